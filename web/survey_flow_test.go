package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

var (
	hiddenInput  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	checkedInput = regexp.MustCompile(`<input type="(?:radio|checkbox)" id="[^"]*" name="([^"]+)" value="([^"]*)" checked>`)
	textInput    = regexp.MustCompile(`<input id="in-[^"]*" name="([^"]+)" value="([^"]*)"`)
	textArea     = regexp.MustCompile(`(?s)<textarea id="in-[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`)
)

// formOf returns what a browser would post from a rendered page: the hidden
// fields and whatever the page's own inputs hold.
func formOf(body string) url.Values {
	v := url.Values{}
	for _, re := range []*regexp.Regexp{hiddenInput, checkedInput, textInput, textArea} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			if m[2] != "" {
				v.Add(m[1], html.UnescapeString(m[2]))
			}
		}
	}
	return v
}

// walk posts the page with extra answers and an action, as a browser
// would, and returns the page it ends on (after the redirect).
func walk(t *testing.T, v *visitor, body, action string, answers map[string]string) (int, string) {
	t.Helper()
	form := formOf(body)
	for k, a := range answers {
		form.Set(k, a)
	}
	form.Set("_action", action)
	resp, next := v.Post(t, "/s/"+v.f.Paged, form)
	return resp.StatusCode, next
}

func TestPagedFormKeepsAnswersAcrossBackAndNext(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	_, body := v.Get(t, "/s/"+f.Paged)
	if !strings.Contains(body, "Del 1 av 3") {
		t.Fatalf("first page does not say Del 1 av 3 (the children page is hidden until asked)")
	}
	status, body := walk(t, v, body, "next", nil)
	if status != http.StatusBadRequest || !strings.Contains(body, "Svar på dette spørsmålet.") || !strings.Contains(body, "Del 1 av 3") {
		t.Fatalf("next without the required answer: status %d; want 400 on the same page", status)
	}
	_, body = walk(t, v, body, "next", map[string]string{"relation": "child", "info_given": "5"})
	if !strings.Contains(body, "Del 2 av 3") || !strings.Contains(body, "Barn i familien?") {
		t.Fatal("second page not shown after a valid first page")
	}
	_, body = walk(t, v, body, "next", map[string]string{"has_children": "yes"})
	if !strings.Contains(body, "Del 3 av 4") || !strings.Contains(body, "Fikk barna informasjon?") {
		t.Fatal("children page not shown when there are children")
	}
	_, body = walk(t, v, body, "back", map[string]string{"children_info": "2"})
	_, body = walk(t, v, body, "back", nil)
	if !strings.Contains(body, "Del 1 av 4") || !regexp.MustCompile(`value="child" checked`).MatchString(body) ||
		!strings.Contains(body, `value="5" checked`) {
		t.Fatalf("back to the first page lost its answers:\n%s", body[strings.Index(body, "<form"):])
	}
	_, body = walk(t, v, body, "next", nil)
	_, body = walk(t, v, body, "next", map[string]string{"has_children": "no"})
	if !strings.Contains(body, "Del 3 av 3") || !strings.Contains(body, "Hva er viktig for deg?") {
		t.Fatal("without children, the children page must be skipped")
	}
	status, body = walk(t, v, body, "submit", map[string]string{"important": "Å bli hørt"})
	if status != http.StatusOK || !strings.Contains(body, "Takk for at du svarte") {
		t.Fatalf("submit: status %d", status)
	}
	var r surveys.Response
	if err := f.Filed(t).FindOne(context.Background(), bson.M{"wave": "paged"}).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if stored(r, "relation") != "child" || stored(r, "important") != "Å bli hørt" || stored(r, "has_children") != "no" {
		t.Fatalf("stored answers %v", r.Answers)
	}
	if _, ok := r.Answers["children_info"]; ok {
		t.Fatal("the answer on the page later hidden was stored")
	}
}

func TestSaveResumeAndSubmit(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	_, body := v.Get(t, "/s/"+f.Paged)
	_, body = walk(t, v, body, "next", map[string]string{"relation": "partner"})
	status, body := walk(t, v, body, "save", map[string]string{"has_children": "yes"})
	code := regexp.MustCompile(`<p class="code">([A-Z2-9-]+)</p>`).FindStringSubmatch(body)
	if status != http.StatusOK || code == nil {
		t.Fatalf("save: status %d, no code shown", status)
	}
	var draft bson.M
	_ = f.Store.DB.Collection("drafts").FindOne(context.Background(), bson.M{}).Decode(&draft)
	for k := range draft {
		if k != "_id" && k != "link" && k != "values" && k != "page" && k != "expires" {
			t.Errorf("draft holds %q", k)
		}
	}

	resp, _ := f.Post(t, "/s/"+f.Paged+"/fortsett", url.Values{"code": {"WRON-GCOD-EXXX"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown code: %d", resp.StatusCode)
	}
	// Resumed in another browser, as on another day.
	typed := strings.ToLower(strings.ReplaceAll(code[1], "-", " "))
	v = newVisitor(f)
	resp, body = v.Post(t, "/s/"+f.Paged+"/fortsett", url.Values{"code": {typed}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Del 2 av 4") || !strings.Contains(body, `value="yes" checked`) {
		t.Fatalf("resume: status %d; want the second page with its answer", resp.StatusCode)
	}
	_, body = walk(t, v, body, "next", nil)
	_, body = walk(t, v, body, "next", map[string]string{"children_info": "4"})
	status, _ = walk(t, v, body, "submit", nil)
	if status != http.StatusOK {
		t.Fatalf("submit after resume: %d", status)
	}
	if n, _ := f.Store.DB.Collection("drafts").CountDocuments(context.Background(), bson.M{}); n != 0 {
		t.Fatalf("%d drafts left after submitting", n)
	}
	var r surveys.Response
	_ = f.Filed(t).FindOne(context.Background(), bson.M{"wave": "paged"}).Decode(&r)
	if stored(r, "relation") != "partner" || stored(r, "children_info") != "4" {
		t.Fatalf("answers after resume %v", r.Answers)
	}
}

func TestWithdrawalWithinSevenDays(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	_, body := v.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "child")
	form.Set("_action", "submit")
	_, body = v.Post(t, "/s/"+f.Open, form)
	receipt := receiptOn(t, body)
	_, again := newVisitor(f).Post(t, "/s/"+f.Open, form)
	if !strings.Contains(again, receipt) {
		t.Fatal("a retried post shows another receipt")
	}
	// The stored response holds neither the receipt nor the submission id.
	var raw bson.M
	_ = f.Filed(t).FindOne(context.Background(), bson.M{}).Decode(&raw)
	for _, v := range raw {
		if s, ok := v.(string); ok && (strings.Contains(s, receipt) || s == form.Get("_sid")) {
			t.Fatalf("response stores %q", s)
		}
	}
	tests := []struct {
		code   string
		status int
		want   string
	}{
		{"AAAA-BBBB-CCCC", http.StatusNotFound, "Vi fant ikke noe svar"},
		{"", http.StatusBadRequest, "Vi fant ikke noe svar"},
		{strings.ToLower(receipt), http.StatusOK, "Svaret ditt er trukket"},
		{receipt, http.StatusNotFound, "Vi fant ikke noe svar"},
	}
	for _, tt := range tests {
		resp, body := f.Post(t, "/trekk", url.Values{"code": {tt.code}})
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("withdraw %q: status %d, want %d with %q", tt.code, resp.StatusCode, tt.status, tt.want)
		}
	}
	if n, _ := f.Filed(t).CountDocuments(context.Background(), bson.M{}); n != 0 {
		t.Fatalf("%d responses after withdrawal", n)
	}
}

func TestWithdrawalAfterTheWaveClosedIsRefused(t *testing.T) {
	f := webtest.New(t)
	ss := surveys.NewStore(f.Store.DB)
	receipt := surveys.ReceiptCode(webtest.Secret, "old-submission")
	r := &surveys.Response{ID: surveys.ResponseID(receipt), Wave: "closed", Unit: "solbakken", Instrument: "test@1",
		Lang: "nb", Answers: surveys.Answers{"info_given": surveys.ChoiceAnswer("4")}}
	if err := ss.SaveResponse(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	resp, body := f.Post(t, "/trekk", url.Values{"code": {receipt}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "avsluttet") {
		t.Fatalf("status %d, want 409 with the reason", resp.StatusCode)
	}
	// In an open wave, the same receipt works, however long ago.
	open := surveys.ReceiptCode(webtest.Secret, "open-submission")
	r.ID, r.Wave = surveys.ResponseID(open), "open"
	if err := ss.SaveResponse(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.WithdrawableResponse(context.Background(), open, webtest.FixedNow); err != nil {
		t.Fatalf("an open wave's answer must be withdrawable: %v", err)
	}
}

var receiptShown = regexp.MustCompile(`<p class="code"[^>]*>([A-Z2-9-]+)</p>`)

// receiptOn returns the receipt a thank-you page shows.
func receiptOn(t *testing.T, body string) string {
	t.Helper()
	m := receiptShown.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("thank-you page shows no receipt")
	}
	return m[1]
}

// stored is the choice or text a response stored for a question, "" when none.
func stored(r surveys.Response, key string) string {
	s, _ := r.Answers[key].Text()
	return s
}

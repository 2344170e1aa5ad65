package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// issueCodes asks for n invitation codes as an advisor and returns them from the CSV.
func issueCodes(t *testing.T, f *webtest.Fixture, n string) []string {
	t.Helper()
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	form := url.Values{"_csrf": {s.CSRF}, "wave": {"open"}, "unit": {"solbakken"}, "count": {n}}
	req, _ := http.NewRequest(http.MethodPost, "/admin/invitations", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", s.Cookie)
	resp, body := f.Do(t, req)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\ufeffkode;lenke\r\n") {
		t.Fatalf("issue: status %d, body starts %q", resp.StatusCode, body[:min(40, len(body))])
	}
	var codes []string
	for _, line := range strings.Split(strings.TrimSpace(body), "\r\n")[1:] {
		code, link, _ := strings.Cut(line, ";")
		if !strings.HasSuffix(link, "/i?kode="+code) {
			t.Fatalf("line %q: link does not carry the code", line)
		}
		codes = append(codes, code)
	}
	return codes
}

// answerWithCode opens the invitation and submits the form; it returns the
// status of the page it ends on.
func answerWithCode(t *testing.T, f *webtest.Fixture, code string) int {
	t.Helper()
	v := newVisitor(f)
	resp, body := v.Get(t, "/i?kode="+url.QueryEscape(strings.ToLower(code)))
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode
	}
	form := formOf(body)
	form.Set("relation", "child")
	form.Set("_action", "submit")
	resp, _ = v.Post(t, "/s/"+f.Open, form)
	return resp.StatusCode
}

func TestInvitationCodesAreSingleUseAndUnlinkable(t *testing.T) {
	f := webtest.New(t)
	codes := issueCodes(t, f, "3")
	if len(codes) != 3 {
		t.Fatalf("%d codes, want 3", len(codes))
	}
	ctx := context.Background()
	if status := answerWithCode(t, f, codes[0]); status != http.StatusOK {
		t.Fatalf("first use: status %d", status)
	}
	resp, body := f.Get(t, "/i?kode="+codes[0])
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "allerede brukt") {
		t.Fatalf("second use: status %d, want 409 saying the code is used", resp.StatusCode)
	}
	if resp, _ := f.Post(t, "/i", url.Values{"code": {"ZZZZ-ZZZZ-ZZZZ"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown code: %d", resp.StatusCode)
	}

	// Nothing stored joins a response to its code: no code or hash in either,
	// no shared field but wave and unit, no time finer than a day.
	var invs []bson.M
	cur, _ := surveys.CodesDB(f.Store.DB).Collection("invitations").Find(ctx, bson.M{})
	_ = cur.All(ctx, &invs)
	var resps []bson.M
	cur, _ = f.Filed(t).Find(ctx, bson.M{})
	_ = cur.All(ctx, &resps)
	if len(invs) != 3 || len(resps) != 1 {
		t.Fatalf("%d invitations, %d responses", len(invs), len(resps))
	}
	for _, inv := range invs {
		for k := range inv {
			if k != "_id" && k != "wave" && k != "unit" && k != "link" && k != "used" {
				t.Errorf("invitation holds %q", k)
			}
		}
		for k, v := range resps[0] {
			if k != "wave" && k != "unit" && v == inv["_id"] {
				t.Errorf("response field %s equals an invitation id", k)
			}
		}
	}
	for _, doc := range append(invs, resps...) {
		for _, v := range doc {
			if s, ok := v.(string); ok {
				for _, code := range codes {
					if strings.Contains(s, code) || strings.Contains(s, strings.ReplaceAll(code, "-", "")) {
						t.Errorf("a stored document holds code %s", code)
					}
				}
			}
		}
	}
}

func TestOneCodeTwoFormsAtOnce(t *testing.T) {
	f := webtest.New(t)
	code := issueCodes(t, f, "1")[0]
	// Two browsers opened the same letter; both submit at the same moment.
	var forms []url.Values
	for range 2 {
		_, body := newVisitor(f).Get(t, "/i?kode="+code)
		form := formOf(body)
		form.Set("relation", "partner")
		form.Set("_action", "submit")
		forms = append(forms, form)
	}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i := range forms {
		wg.Go(func() {
			resp, _ := f.Post(t, "/s/"+f.Open, forms[i])
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther: // to the thank-you page
			ok++
		case http.StatusConflict:
			refused++
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("statuses %v, want one 303 and one 409", statuses)
	}
	if n, _ := f.Filed(t).CountDocuments(context.Background(), bson.M{}); n != 1 {
		t.Fatalf("%d responses, want 1", n)
	}
	// A retry of the form that succeeded is answered with its thank-you page again.
	for i, s := range statuses {
		if s == http.StatusSeeOther {
			if resp, _ := f.Post(t, "/s/"+f.Open, forms[i]); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("retry of the stored form: %d, want 303 to the thank-you page", resp.StatusCode)
			}
		}
	}
}

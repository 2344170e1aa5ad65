package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// These tests play the reader who saves what they can see, waits for one
// relative to answer (or withdraw) and looks again: nothing they see may
// change by one person.

var receiptCode = regexp.MustCompile(`class="code"[^>]*>([A-Z0-9-]+)<`)

// answerOnce answers the test instrument's form at link as a browser
// would (following the redirect to the thank-you page) and returns the
// status it ends on and the receipt shown.
func answerOnce(t *testing.T, f *webtest.Fixture, link, value string) (int, string) {
	t.Helper()
	v := newVisitor(f)
	_, body := v.Get(t, "/s/"+link)
	form := formOf(body)
	form.Set("relation", "child")
	form.Set("info_given", value)
	form.Set("has_children", "no")
	form.Set("_action", "submit")
	resp, body := v.Post(t, "/s/"+link, form)
	m := receiptCode.FindStringSubmatch(body)
	if m == nil {
		return resp.StatusCode, ""
	}
	return resp.StatusCode, m[1]
}

// csrfValue hides the per-request parts of a page (form tokens) so that two
// views can be compared.
var csrfValue = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

func snapshot(t *testing.T, f *webtest.Fixture, s webtest.Session, paths ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range paths {
		resp, body := staffRequest(t, f, s, http.MethodGet, p, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", p, resp.StatusCode)
		}
		out[p] = csrfValue.ReplaceAllString(body, "")
	}
	return out
}

// resultFigure matches what only results show: their sections, a mean.
var resultFigure = regexp.MustCompile(`id="summary"|id="focus"|id="items"|>[0-9],[0-9]<`)

// TestOpenWaveChangesOnlyInSteps: while a wave is open, a unit leader and
// an advisor see how many have answered in steps of five and nothing else;
// one more answer changes at most the step, never a figure.
func TestOpenWaveChangesOnlyInSteps(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	leader, advisor := users["unit_leader"], users["advisor"]
	ls, as := webtest.SignIn(t, f, &leader), webtest.SignIn(t, f, &advisor)
	paths := []string{"/admin/results?wave=open", "/admin/results?wave=open&unit=solbakken"}
	for i := range 6 {
		if code, _ := answerOnce(t, f, f.Open, strconv.Itoa(1+i%6)); code >= 400 {
			t.Fatalf("answer %d: status %d", i, code)
		}
	}
	f.Filed(t)
	for _, s := range []webtest.Session{ls, as} {
		before := snapshot(t, f, s, paths...)
		if code, _ := answerOnce(t, f, f.Open, "6"); code >= 400 {
			t.Fatalf("one more answer: status %d", code)
		}
		f.Filed(t)
		after := snapshot(t, f, s, paths...)
		for _, p := range paths {
			if m := resultFigure.FindString(before[p]); m != "" || !strings.Contains(before[p], "<td>5–9</td>") {
				t.Errorf("%s shows results of an open wave (%q), or not its step", p, m)
			}
			if before[p] != after[p] {
				t.Errorf("%s changed after one answer (6 → 7 is within the step 5–9)", p)
			}
		}
	}
}

// TestClosedWaveNeverMovesByOnePerson: once a wave is closed its results
// are final: a post to its link and a withdrawal with a receipt are both
// refused, and no page a unit leader, the council or the public sees, nor
// the API, changes.
func TestClosedWaveNeverMovesByOnePerson(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	var receipt string
	for i := range 8 {
		code, r := answerOnce(t, f, f.Open, strconv.Itoa(1+i%6))
		if code >= 400 || r == "" {
			t.Fatalf("answer %d: status %d, receipt %q", i, code, r)
		}
		receipt = r
	}
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.CloseWave(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	if err := ss.PublishResults(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	leader, member := users["unit_leader"], users["council"]
	ls, cs := webtest.SignIn(t, f, &leader), webtest.SignIn(t, f, &member)
	tok, _, err := staff.NewStore(f.Store.DB).CreateToken(context.Background(), member.ID, "council", time.Time{}, webtest.FixedNow)
	if err != nil {
		t.Fatal(err)
	}
	leaderPages := []string{"/admin/results?wave=open", "/admin/results?wave=open&unit=solbakken", "/admin/texts?wave=open"}
	councilPages := []string{"/admin/council/results?wave=open"}
	views := func() (map[string]string, map[string]string, string, string) {
		_, public := f.Get(t, "/resultater/open")
		_, api := apiGet(t, f, tok, "/api/v1/waves/open/results")
		return snapshot(t, f, ls, leaderPages...), snapshot(t, f, cs, councilPages...), public, api
	}
	l1, c1, p1, a1 := views()
	if !strings.Contains(l1[leaderPages[0]], `id="summary"`) || !strings.Contains(a1, `"respondents":8`) {
		t.Fatalf("the closed wave shows no results:\n%s", a1)
	}

	// One more relative tries to answer through the same link (a form
	// loaded before the close, posted after it).
	_, _ = answerOnce(t, f, f.Open, "1")
	// One relative tries to withdraw.
	resp, body := f.Post(t, "/trekk", url.Values{"code": {receipt}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "avsluttet") {
		t.Errorf("withdrawal after close: status %d", resp.StatusCode)
	}
	f.Filed(t)

	l2, c2, p2, a2 := views()
	for p := range l1 {
		if l1[p] != l2[p] {
			t.Errorf("the unit leader's %s changed", p)
		}
	}
	for p := range c1 {
		if c1[p] != c2[p] {
			t.Errorf("the council's %s changed", p)
		}
	}
	if p1 != p2 {
		t.Error("the public results page changed")
	}
	if a1 != a2 {
		t.Error("the API's results changed")
	}
}

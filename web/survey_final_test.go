package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

// answered fills the open wave's form as a relative would and returns it,
// ready to post.
func answered(t *testing.T, v *visitor, link, text string) url.Values {
	t.Helper()
	_, body := v.Get(t, "/s/"+link)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "partner")
	form.Set("important", text)
	form.Set("_action", "submit")
	return form
}

// TestThankYouPageIsAGet: the submit redirects to the thank-you page; the
// receipt travels in a short-lived HttpOnly cookie for that page only, never
// in the address. Reloading it, or choosing another language, shows the
// receipt again and stores nothing more.
func TestThankYouPageIsAGet(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	form := answered(t, v, f.Open, "Takk for god hjelp")
	resp, body := v.Post(t, "/s/"+f.Open, form)
	if v.first.StatusCode != http.StatusSeeOther || len(v.hops) != 1 || v.hops[0] != "/s/"+f.Open+"/takk" {
		t.Fatalf("submit answered %d, redirected to %v; want 303 to the thank-you page", v.first.StatusCode, v.hops)
	}
	receipt := receiptOn(t, body)
	var set *http.Cookie
	for _, c := range v.first.Cookies() {
		if c.Name == "stemme_kvittering" {
			set = c
		}
	}
	if set == nil || !set.HttpOnly || set.Path != "/s/"+f.Open+"/takk" || set.MaxAge <= 0 || set.MaxAge > 3600 {
		t.Fatalf("receipt cookie %+v: want HttpOnly, for the thank-you page only, short-lived", set)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("thank-you page Cache-Control %q, want no-store", resp.Header.Get("Cache-Control"))
	}
	for _, tt := range []struct{ path, want string }{
		{"/s/" + f.Open + "/takk", "Takk for at du svarte"},
		{"/s/" + f.Open + "/takk?lang=en", "Thank you for answering"},
	} {
		resp, body := v.Get(t, tt.path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, receipt) || !strings.Contains(body, tt.want) {
			t.Errorf("%s: status %d, receipt shown %v", tt.path, resp.StatusCode, strings.Contains(body, receipt))
		}
	}
	if n := f.Stored(t); n != 1 {
		t.Fatalf("%d answers stored after reloading the thank-you page, want 1", n)
	}
	// Without the cookie, or with a forged one, the page shows no receipt.
	for _, cookie := range []string{"", "stemme_kvittering=AAAA-BBBB-CCCC.99999999999.forged"} {
		resp, body := f.Get(t, "/s/"+f.Open+"/takk", "Cookie", cookie)
		if resp.StatusCode != http.StatusOK || receiptShown.MatchString(body) || !strings.Contains(body, "Kvitteringen vises ikke lenger") {
			t.Errorf("cookie %q: status %d, a receipt shown: %v", cookie, resp.StatusCode, receiptShown.MatchString(body))
		}
	}
}

// TestReplayAfterWithdrawalStoresNothing: once withdrawn, an answer is never
// stored again from the same form, and the relative is told so.
func TestReplayAfterWithdrawalStoresNothing(t *testing.T) {
	f := webtest.New(t)
	v := newVisitor(f)
	form := answered(t, v, f.Open, "Dette trekker jeg")
	_, body := v.Post(t, "/s/"+f.Open, form)
	receipt := receiptOn(t, body)
	if resp, body := f.Post(t, "/trekk", url.Values{"code": {receipt}}); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Svaret ditt er trukket") {
		t.Fatalf("withdrawal: status %d", resp.StatusCode)
	}
	resp, body := f.Post(t, "/s/"+f.Open, form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Du har trukket dette svaret") ||
		!strings.Contains(body, "Dette trekker jeg") || strings.Contains(body, form.Get("_sid")) {
		t.Fatalf("replay after withdrawal: status %d; want 409 saying so, the form kept with a new submission id", resp.StatusCode)
	}
	if n := f.Stored(t); n != 0 {
		t.Fatalf("%d answers stored after the replay, want 0", n)
	}
	// Sent again from the form it came back in, it is a new answer.
	again := formOf(body)
	again.Set("_action", "submit")
	_, body = v.Post(t, "/s/"+f.Open, again)
	if v.first.StatusCode != http.StatusSeeOther || receiptOn(t, body) == receipt {
		t.Fatalf("a new answer after the withdrawal: status %d", v.first.StatusCode)
	}
	if n := f.Stored(t); n != 1 {
		t.Fatalf("%d answers stored, want the new one", n)
	}
}

// TestReplayRacingAWithdrawalIsRetracted: the tombstone is laid just after
// the replay's insert; the check after the insert takes it back before the
// tallier ever counts it. On a store this process alone writes to, the
// burial waits for the insert instead, and the withdrawal it begins takes
// the answer back (TestWithdrawal…); the next replay is refused.
func TestReplayRacingAWithdrawalIsRetracted(t *testing.T) {
	for _, c := range instanceModes {
		t.Run(c.name, func(t *testing.T) {
			f := fixtureAs(t, c)
			form := answered(t, newVisitor(f), f.Open, "Trekkes underveis")
			receipt := surveys.ReceiptCode(webtest.Secret, form.Get("_sid"))
			ss := surveys.NewStore(f.Store.DB)
			restore := web.SetAfterSave(func(waves []string) {
				if err := ss.Bury(context.Background(), surveys.TombstoneID(webtest.Secret, receipt), waves[0]); err != nil {
					t.Error(err)
				}
			})
			resp, _ := f.Post(t, "/s/"+f.Open, form)
			restore()
			if !c.soleWriter {
				if resp.StatusCode != http.StatusConflict {
					t.Fatalf("status %d, want 409", resp.StatusCode)
				}
				if n := f.Stored(t); n != 0 {
					t.Fatalf("%d answers stored, want 0", n)
				}
				return
			}
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want 303: stored before the burial", resp.StatusCode)
			}
			if resp, _ := f.Post(t, "/s/"+f.Open, form); resp.StatusCode != http.StatusConflict {
				t.Fatalf("a replay after the burial: status %d, want 409", resp.StatusCode)
			}
		})
	}
}

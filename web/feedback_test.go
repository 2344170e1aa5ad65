package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// feedbackForm fetches a feedback form page and returns its signed tokens
// with the fields set.
func feedbackForm(t *testing.T, f *webtest.Fixture, path string, fields map[string]string) url.Values {
	t.Helper()
	resp, body := f.Get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	v := webtest.FormTokens(t, body)
	for k, x := range fields {
		v.Set(k, x)
	}
	return v
}

func count(t *testing.T, f *webtest.Fixture, col string) int64 {
	t.Helper()
	n, err := f.Store.DB.Collection(col).CountDocuments(context.Background(), bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFeedbackFormRenders(t *testing.T) {
	f := webtest.New(t)
	for _, tt := range []struct {
		name, path string
		status     int
		want, not  []string
	}{
		{"municipality-wide", "/tilbakemelding?lang=en", 200,
			[]string{"What matters to you?", `<select id="fb-unit" name="unit"`, "Solbakken sykehjem", "Information and guidance",
				`name="contact" value="yes"`, `autocomplete="tel"`, "within 2 working days", "deleted 90 days after", `href="/tilbakemelding?ung=1"`},
			[]string{`name="young"`, `name="unit_fixed"`}},
		{"a unit's own form", "/tilbakemelding/solbakken?lang=nb", 200,
			[]string{"Solbakken sykehjem", `name="unit" value="solbakken"`, `name="unit_fixed" value="1"`, `href="/tilbakemelding/solbakken?lang=en"`},
			[]string{`<select id="fb-unit"`}},
		{"plain language for young relatives", "/tilbakemelding/solbakken?lang=en&ung=1", 200,
			[]string{"Is your mum, dad, brother, sister", `name="young" value="1"`, "Would you like to talk to someone?",
				`href="/tilbakemelding/solbakken?lang=nb&amp;ung=1"`, `href="/tilbakemelding/solbakken"`},
			[]string{"As a relative, you can tell"}},
		{"right to left", "/tilbakemelding?lang=ar", 200, []string{`dir="rtl"`, "ما الذي يهمّك؟"}, nil},
		{"unknown unit", "/tilbakemelding/nosuch", 404, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.Get(t, tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
	if _, body := f.Get(t, "/?lang=en"); !strings.Contains(body, `href="/tilbakemelding"`) {
		t.Error("the front page does not link to the feedback form")
	}
}

func TestFeedbackSubmit(t *testing.T) {
	f := webtest.New(t)
	contact := map[string]string{"text": "Vi savner mer informasjon.", "focus": "information", "contact": "yes",
		"name": "Kari Nordmann", "phone": "912 34 567", "email": "", "contact_lang": "pl", "contact_time": "morning", "follow_up": "12m"}

	form := feedbackForm(t, f, "/tilbakemelding/solbakken?lang=en", contact)
	form.Set("unit", "solbakken") // the unit's form carries it as a hidden field
	form.Set("unit_fixed", "1")
	resp, body := f.Post(t, "/tilbakemelding?lang=en", form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Thank you for getting in touch") {
		t.Fatalf("status %d, no thank-you page", resp.StatusCode)
	}
	// Received Wednesday 18 November 2026: contact by Friday the 20th.
	if !strings.Contains(body, "by 20.11.2026 at the latest") || !strings.Contains(body, "deleted 90 days after") {
		t.Errorf("thank-you page does not give the deadline and the retention")
	}
	// The same form posted again (a double click, a retry) stores nothing twice.
	if resp, _ := f.Post(t, "/tilbakemelding?lang=en", form); resp.StatusCode != http.StatusOK {
		t.Fatalf("repeat: status %d", resp.StatusCode)
	}
	if n, m := count(t, f, "feedback"), count(t, f, "contact_requests"); n != 1 || m != 1 {
		t.Fatalf("%d feedback and %d contact requests, want 1 and 1", n, m)
	}
	var fb struct{ Unit, Focus, Text, Lang, Review string }
	if err := f.Store.DB.Collection("feedback").FindOne(context.Background(), bson.M{}).Decode(&fb); err != nil {
		t.Fatal(err)
	}
	if fb.Unit != "solbakken" || fb.Focus != "information" || fb.Text != contact["text"] || fb.Lang != "en" || fb.Review != "pending" {
		t.Errorf("stored feedback %+v", fb)
	}

	// Text only, municipality-wide: no contact request.
	form = feedbackForm(t, f, "/tilbakemelding", map[string]string{"text": "Takk for god hjelp."})
	if resp, body := f.Post(t, "/tilbakemelding", form); resp.StatusCode != http.StatusOK || strings.Contains(body, "innen 2 virkedager, senest") {
		t.Fatalf("text only: status %d", resp.StatusCode)
	}
	if m := count(t, f, "contact_requests"); m != 1 {
		t.Errorf("a text-only feedback made a contact request")
	}
}

// TestFeedbackErrorsKeepEverything: each refused post answers 4xx with a
// translated message and every field as it was typed.
func TestFeedbackErrorsKeepEverything(t *testing.T) {
	f := webtest.New(t)
	typed := map[string]string{"text": "Noe om <maten> & stellet", "focus": "respect", "contact": "yes",
		"name": "Ola Hansen", "phone": "12ab", "email": "ola@", "contact_lang": "ar", "contact_time": "afternoon", "follow_up": "6m"}
	keep := []string{"Noe om &lt;maten&gt; &amp; stellet</textarea>", `value="Ola Hansen"`, `value="12ab"`, `value="ola@"`,
		`value="respect" selected`, `value="ar" lang="ar" dir="rtl" selected`, `value="afternoon" checked`, `value="6m" checked`,
		`name="contact" value="yes" checked`}
	for _, tt := range []struct {
		name   string
		edit   func(url.Values)
		status int
		want   []string
	}{
		{"bad phone and e-mail", func(url.Values) {}, 400,
			[]string{"Something needs correcting", `href="#fb-phone"`, "Write a phone number with 8 to 15 digits", "Write an email address",
				`id="fb-phone" name="phone"`, `aria-invalid="true"`}},
		{"unknown unit", func(v url.Values) {
			v.Set("unit", "nosuch")
			v.Set("phone", "91234567")
			v.Set("email", "ola@example.no")
		}, 400,
			[]string{`href="#fb-unit"`, "Choose one of the options"}},
		{"expired or forged form", func(v url.Values) { v.Set("_sig", "forged") }, 400,
			[]string{"The form had expired"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := feedbackForm(t, f, "/tilbakemelding?lang=en", typed)
			tt.edit(form)
			resp, body := f.Post(t, "/tilbakemelding?lang=en", form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range append(tt.want, keep...) {
				if tt.name == "unknown unit" && (w == `value="12ab"` || w == `value="ola@"`) {
					continue
				}
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	form := feedbackForm(t, f, "/tilbakemelding?lang=nb", map[string]string{"text": "  "})
	if resp, body := f.Post(t, "/tilbakemelding?lang=nb", form); resp.StatusCode != 400 || !strings.Contains(body, "eller kryss av for at du vil bli kontaktet") {
		t.Errorf("empty form: status %d", resp.StatusCode)
	}
	if n := count(t, f, "feedback"); n != 0 {
		t.Fatalf("refused posts stored %d feedback", n)
	}
}

func TestFeedbackRateLimitKeepsTheText(t *testing.T) {
	f := webtest.New(t)
	form := feedbackForm(t, f, "/tilbakemelding?lang=en", map[string]string{"text": "", "name": "Kari"})
	var resp *http.Response
	var body string
	for range 31 {
		resp, body = f.Post(t, "/tilbakemelding?lang=en", form)
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `value="Kari"`) || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("31st post: status %d; want 429 with the form kept and Retry-After", resp.StatusCode)
	}
}

// TestFeedbackStoresNoAddressOrAgent posts through a proxy header and a
// telling user agent: neither reaches the store or the logs.
func TestFeedbackStoresNoAddressOrAgent(t *testing.T) {
	f := webtest.New(t)
	const agent = "SecretAgent/7.0 (Personal Phone)"
	form := feedbackForm(t, f, "/tilbakemelding", map[string]string{"text": "Hei", "contact": "yes", "name": "Kari Nordmann",
		"email": "kari@example.no", "contact_lang": "nb", "contact_time": "any", "follow_up": "no"})
	req, _ := http.NewRequest(http.MethodPost, "/tilbakemelding", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", agent)
	req.Header.Set("X-Forwarded-For", "203.0.113.77")
	if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, col := range []string{"feedback", "contact_requests"} {
		var raw bson.M
		if err := f.Store.DB.Collection(col).FindOne(context.Background(), bson.M{}).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		dump, _ := bson.MarshalExtJSON(raw, false, false)
		for _, s := range []string{"SecretAgent", "203.0.113.77", "0.0.0.0", "Kari", "kari@example.no", form.Get("_sid")} {
			if strings.Contains(string(dump), s) {
				t.Errorf("%s holds %q", col, s)
			}
		}
	}
	logs := f.Logs.String()
	if !strings.Contains(logs, "route=/tilbakemelding") {
		t.Fatalf("no request log, so this proves nothing:\n%s", logs)
	}
	for _, s := range []string{"SecretAgent", "203.0.113.77", "Kari", "example.no"} {
		if strings.Contains(logs, s) {
			t.Errorf("logs hold %q", s)
		}
	}
}

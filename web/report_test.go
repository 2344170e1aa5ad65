package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/report"
	"github.com/stemme/stemme/report/pdftest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// expectedReport builds the report the way the server does, to know what
// the page and the PDF must both show.
func expectedReport(t *testing.T, f *webtest.Fixture, lang string) *report.Report {
	t.Helper()
	db := f.Store.DB
	fb, err := feedback.NewStore(db, webtest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	fb.Now = func() time.Time { return webtest.FixedNow }
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), report.Sources{DB: db, Results: analysis.NewService(db), Surveys: surveys.NewStore(db),
		Feedback: fb, Actions: actions.NewStore(db), Council: council.NewStore(db)}, bundle,
		report.Options{Year: 2026, Lang: lang, Now: webtest.FixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// keyFigures are the report's figures as lines of text: each must read the
// same on the page and in the PDF.
func keyFigures(r *report.Report) []string {
	out := []string{r.Title(), r.Municipality}
	for _, s := range r.Summary {
		out = append(out, s.Label, s.Value)
	}
	for _, s := range r.Surveys {
		out = append(out, s.Name, s.Answered, s.Coverage)
		for _, m := range s.Focus {
			if !m.Hidden {
				out = append(out, m.Name, m.Index, m.Interval, m.Change)
			}
		}
		for _, u := range s.Units {
			out = append(out, u.Name, u.Respondents)
			for _, c := range u.Cells {
				out = append(out, c.Text)
			}
		}
	}
	fb := r.Feedback
	out = append(out, fb.Period, fb.Total, fb.Contact.Text)
	for _, c := range append(fb.Themes, fb.Units...) {
		out = append(out, c.Name, c.N)
	}
	for _, a := range r.Actions.Rows {
		out = append(out, a.Title, a.Owner, a.Period, a.Status)
		out = append(out, a.Effects...)
	}
	for _, m := range r.Council.Meetings {
		for _, d := range m.Decisions {
			out = append(out, d.Text, d.Responsible, d.FollowUp, d.Status)
		}
	}
	return out
}

var tags = regexp.MustCompile(`<[^>]+>`)

// pageText is a page's text with tags removed and spaces collapsed.
func pageText(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(body, " "))), " ")
}

func TestYearlyReportPageAndPDFShowTheSameFigures(t *testing.T) {
	f := webtest.NewReport(t)
	users := webtest.StaffUsers(t, f)
	want := expectedReport(t, f, "nb")
	if len(want.Surveys) != 1 || len(want.Actions.Rows) == 0 || len(want.Council.Meetings) == 0 || want.Feedback.Total == "0" {
		t.Fatalf("the demo report is missing a section: %d surveys, %d actions, %d meetings, %s feedback",
			len(want.Surveys), len(want.Actions.Rows), len(want.Council.Meetings), want.Feedback.Total)
	}
	for _, role := range []string{"advisor", "council"} {
		u := users[role]
		s := webtest.SignIn(t, f, &u)
		resp, body := f.Get(t, "/admin/report?year=2026", "Cookie", s.Cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: page status %d", role, resp.StatusCode)
		}
		page := pageText(body)
		req, _ := http.NewRequest(http.MethodGet, "/admin/report/pdf?year=2026", nil)
		req.Header.Set("Cookie", s.Cookie)
		resp, raw := f.Do(t, req)
		pdf := []byte(raw)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename="arsrapport-2026-nb.pdf"`) {
			t.Fatalf("%s: PDF status %d, %q, %q", role, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		if _, err := pdftest.CheckStructure(pdf); err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		frags, err := pdftest.Text(pdf)
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Flat(frags)
		for _, fig := range keyFigures(want) {
			fig = strings.Join(strings.Fields(fig), " ")
			if fig == "" {
				continue
			}
			if !strings.Contains(page, fig) {
				t.Errorf("%s: the page lacks %q", role, fig)
			}
			if !strings.Contains(text, fig) {
				t.Errorf("%s: the PDF lacks %q", role, fig)
			}
		}
		// The unit below the threshold: named, hidden, and in no figure.
		if !strings.Contains(text, "Lia avlastningssenter skjult for å beskytte små grupper") {
			t.Errorf("%s: the PDF does not show the small unit as hidden", role)
		}
		if !strings.Contains(body, `<th scope="row">Lia avlastningssenter</th>`+"\n    "+`<td class="heat-hidden" colspan="9">skjult for å beskytte små grupper</td>`) {
			t.Errorf("%s: the page does not show the small unit as hidden in one cell", role)
		}
	}
	log, err := staff.NewStore(f.Store.DB).AuditLog(context.Background(), staff.AuditFilter{Action: staff.AuditReport})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Target != "2026" || !strings.Contains(log[0].Detail, "format=pdf") {
		t.Errorf("audit log of downloads: %+v", log)
	}
	t.Run("bad year", func(t *testing.T) { yearlyReportRefusesABadYear(t, f, users["advisor"]) })
	t.Run("method numbers", func(t *testing.T) { yearlyReportMethodTakesItsNumbers(t, f, users["advisor"]) })
	t.Run("heat map headers", func(t *testing.T) { yearlyReportHeadersBreakBetweenSyllables(t, f, users["advisor"]) })
}

// yearlyReportHeadersBreakBetweenSyllables: the heat map's long focus-area
// names carry soft hyphens between syllables, the only places the CSS lets
// them break (by the Norwegian rule, in English too); short words are as
// written.
func yearlyReportHeadersBreakBetweenSyllables(t *testing.T, f *webtest.Fixture, u staff.User) {
	s := webtest.SignIn(t, f, &u)
	for lang, want := range map[string]string{
		"nb": "<th scope=\"col\">Hel\u00adhets\u00advur\u00adde\u00adring</th>",
		"nn": "<th scope=\"col\">Heil\u00adskaps\u00advur\u00adde\u00adring</th>",
		"en": "<th scope=\"col\">Ove\u00adrall assess\u00adment</th>",
	} {
		resp, body := f.Get(t, "/admin/report?year=2026&lang="+lang, "Cookie", s.Cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s: status %d, the heat map lacks %q", lang, resp.StatusCode, want)
		}
	}
}

// yearlyReportMethodTakesItsNumbers: the method paragraph, in every language
// of the report, names the smallest group shown and the smallest clear change
// from the constants the figures use, not from numbers written in the text.
func yearlyReportMethodTakesItsNumbers(t *testing.T, f *webtest.Fixture, u staff.User) {
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := webtest.SignIn(t, f, &u)
	for _, c := range []struct{ lang, points, group string }{
		{"nb", "minst 13 indekspoeng", "(vanligvis 11)"},
		{"nn", "minst 13 indekspoeng", "(vanlegvis 11)"},
		{"en", "at least 13 index points", "(usually 11)"},
	} {
		loc := i18n.NewLocalizer(bundle, c.lang)
		// The message takes both numbers as parameters.
		if got := locales.Localize(loc, "report.method.text", "K", 11, "Points", 13); !strings.Contains(got, c.points) || !strings.Contains(got, c.group) {
			t.Errorf("%s: with K 11 and Points 13 the method reads %q", c.lang, got)
		}
		// The page fills them in from report.Threshold and analysis.MeaningfulChange.
		want := locales.Localize(loc, "report.method.text", "K", report.Threshold, "Points", analysis.MeaningfulChange)
		resp, body := f.Get(t, "/admin/report?year=2026&lang="+c.lang, "Cookie", s.Cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(pageText(body), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("%s: status %d, the page lacks the method %q", c.lang, resp.StatusCode, want)
		}
	}
}

// yearlyReportRefusesABadYear: a year that is no year, or out of range, is
// refused with the form and its message; a year without anything says so.
// (It shares the fixture of the test above: seeding the demo is slow.)
func yearlyReportRefusesABadYear(t *testing.T, f *webtest.Fixture, u staff.User) {
	s := webtest.SignIn(t, f, &u)
	for _, path := range []string{"/admin/report?year=tjue", "/admin/report?year=1999", "/admin/report?year=2031", "/admin/report/pdf?year=abc"} {
		resp, body := f.Get(t, path, "Cookie", s.Cookie)
		if status := resp.StatusCode; status != http.StatusBadRequest || !strings.Contains(body, "Velg et år mellom 2000 og neste år.") ||
			!strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: status %d, want 400 with the message", path, resp.StatusCode)
		}
	}
	// A year without anything says so, and still makes a PDF.
	resp, body := f.Get(t, "/admin/report?year=2025", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Ingen pårørendeundersøkelse fra 2025 er publisert.") {
		t.Errorf("2025: status %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, "/admin/report/pdf?year=2025&lang=en", nil)
	req.Header.Set("Cookie", s.Cookie)
	resp, raw := f.Do(t, req)
	pdf := []byte(raw)
	if _, err := pdftest.CheckStructure(pdf); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("2025 in English: status %d, %v", resp.StatusCode, err)
	}
	frags, _ := pdftest.Text(pdf)
	if text := pdftest.Flat(frags); !strings.Contains(text, "No relatives' survey of 2025 has been published.") {
		t.Errorf("the English PDF of 2025 reads %q", text[:min(400, len(text))])
	}
}

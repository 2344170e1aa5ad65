package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// withAnswers files six answers in the wave "open" at its one unit, enough
// to show it, and closes the wave: only then do its results exist.
func withAnswers(t *testing.T, f *webtest.Fixture) {
	t.Helper()
	ss := surveys.NewStore(f.Store.DB)
	for i, v := range []string{"6", "5", "4", "5", "3", "dk"} {
		a := surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "info_given": surveys.ChoiceAnswer(v), "has_children": surveys.ChoiceAnswer("no")}
		r := &surveys.Response{ID: fmt.Sprintf("export-%d", i), Wave: "open", Unit: "solbakken", Instrument: "test@1",
			Lang: "nb", Answers: a, Segments: webtest.Instrument().SegmentsOf(a)}
		if err := ss.SaveResponse(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if err := ss.CloseWave(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
}

func TestExportAccess(t *testing.T) {
	f := webtest.New(t)
	withAnswers(t, f)
	users := webtest.StaffUsers(t, f)
	tests := []struct {
		role, query string
		status      int
		// sheets, for a workbook: whether it has raw data (never, on the web).
		raw bool
	}{
		{"advisor", "wave=open&format=xlsx", http.StatusOK, false},
		{"admin", "wave=open&format=csv-raw&sep=comma", http.StatusBadRequest, false},
		{"unit_leader", "wave=open&unit=solbakken&format=xlsx", http.StatusOK, false},
		{"unit_leader", "wave=open&unit=solbakken&format=csv-summary", http.StatusOK, false},
		{"unit_leader", "wave=open&unit=solbakken&format=csv-raw", http.StatusBadRequest, false},
		// Their units and the total, as on their dashboard.
		{"unit_leader", "wave=open&format=xlsx", http.StatusOK, false},
		{"council", "wave=open&format=xlsx", http.StatusBadRequest, false},
		{"council", "wave=closed&format=csv-summary", http.StatusBadRequest, false},
		{"follow_up", "wave=open&format=xlsx", http.StatusForbidden, false},
		{"advisor", "wave=nosuch&format=xlsx", http.StatusBadRequest, false},
		{"advisor", "wave=open&format=pdf", http.StatusBadRequest, false},
		{"advisor", "wave=open&unit=elsewhere", http.StatusBadRequest, false},
		{"advisor", "wave=open&lang=xx", http.StatusBadRequest, false},
	}
	for _, tt := range tests {
		t.Run(tt.role+" "+tt.query, func(t *testing.T) {
			u := users[tt.role]
			s := webtest.SignIn(t, f, &u)
			resp, body := f.Get(t, "/admin/export?"+tt.query, "Cookie", s.Cookie)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tt.status, body)
			}
			if tt.status == http.StatusBadRequest && !strings.Contains(body, `class="error-summary"`) {
				t.Error("a refused export does not show the form with the problem")
			}
			if tt.status != http.StatusOK || !strings.Contains(tt.query, "xlsx") {
				return
			}
			x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatalf("the download does not open: %v", err)
			}
			defer x.Close()
			if got := slices.Contains(x.GetSheetList(), "Rådata"); got != tt.raw {
				t.Errorf("Rådata sheet %v, want %v (%v)", got, tt.raw, x.GetSheetList())
			}
		})
	}
}

func TestExportCouncilPublished(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	if err := surveys.NewStore(f.Store.DB).PublishResults(context.Background(), "closed", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	u := users["council"]
	s := webtest.SignIn(t, f, &u)
	resp, body := f.Get(t, "/admin/export?wave=closed&format=csv-summary", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\uFEFFEnhet;") {
		t.Fatalf("status %d, body %.100q", resp.StatusCode, body)
	}
	_, form := f.Get(t, "/admin/export", "Cookie", s.Cookie)
	if !strings.Contains(form, `value="closed"`) || strings.Contains(form, `value="open"`) || strings.Contains(form, "csv-raw") {
		t.Error("the council's form should offer the published wave only, and no raw data")
	}
}

func TestExportDownloadAndAudit(t *testing.T) {
	f := webtest.New(t)
	withAnswers(t, f)
	users := webtest.StaffUsers(t, f)
	u := users["advisor"]
	s := webtest.SignIn(t, f, &u)
	resp, body := f.Get(t, "/admin/export?wave=open&format=csv-summary&sep=semicolon&lang=nb", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="stemme-open-summary.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(body, "\xEF\xBB\xBFEnhet;") || !strings.Contains(body, "\r\nSolbakken sykehjem;;;6;") {
		t.Errorf("summary %.300q", body)
	}
	log, err := staff.NewStore(f.Store.DB).AuditLog(context.Background(), staff.AuditFilter{Action: staff.AuditExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Actor != u.Email || log[0].Target != "open" || log[0].Detail != "unit=all format=csv-summary lang=nb" {
		t.Errorf("audit %+v", log)
	}
}

func TestExportFormKeepsChoices(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	u := users["advisor"]
	s := webtest.SignIn(t, f, &u)
	resp, body := f.Get(t, "/admin/export?wave=open&unit=solbakken&format=csv-summary&lang=xx&sep=comma", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`value="solbakken" selected`, `value="csv-summary" checked`, `value="comma" checked`, `id="f-lang-msg"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lost %s", want)
		}
	}
}

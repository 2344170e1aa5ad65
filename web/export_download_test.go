package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// reviewedText is a relative's free text an advisor has approved: it is
// read while the export streams, after the handler has returned.
const reviewedText = "Personalet ringer alltid tilbake"

// withReviewedText adds the approved free text to the answers of withAnswers.
func withReviewedText(t *testing.T, f *webtest.Fixture) {
	t.Helper()
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	r := &surveys.Response{ID: "export-text", Wave: "open", Unit: "solbakken", Instrument: "test@1", Lang: "nb",
		Answers: surveys.Answers{"relation": surveys.ChoiceAnswer("partner"), "info_given": surveys.ChoiceAnswer("4"), "has_children": surveys.ChoiceAnswer("no"), "important": surveys.TextAnswer(reviewedText)}}
	r.Segments = webtest.Instrument().SegmentsOf(r.Answers)
	if err := ss.SaveResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	withAnswers(t, f)
	if _, err := f.Store.DB.Collection("texts").UpdateMany(ctx, bson.D{},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: analysis.TextApproved}}}}); err != nil {
		t.Fatal(err)
	}
}

// download gets an export over a real connection and reads the body to
// its end, as a browser saving the file does.
func download(t *testing.T, base, cookie, query string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/admin/export?"+query, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the download: %v", err)
	}
	return resp, body
}

// readCSV parses a CSV export (semicolons, a byte order mark) and checks
// every record is as wide as the header.
func readCSV(t *testing.T, body []byte, comma rune) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Error("a CSV for Excel lacks its byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF"))))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if len(recs) < 2 {
		t.Fatalf("the CSV has %d records", len(recs))
	}
	return recs
}

// TestExportDownloadsOpen downloads every format over HTTP from a
// listening server, as a browser does, and opens each file: the workbook
// with excelize (its free-text sheet holds the reviewed text, which is
// read after the handler returns: a file cut off when the request's
// context ends would fail here), the CSV files with encoding/csv, the
// statistics package with archive/zip.
func TestExportDownloadsOpen(t *testing.T) {
	f := webtest.New(t)
	withReviewedText(t, f)
	users := webtest.StaffUsers(t, f)
	u := users["advisor"]
	s := webtest.SignIn(t, f, &u)
	base := webtest.Listen(t, f)
	tests := []struct {
		format, mime, file string
		open               func(t *testing.T, body []byte)
	}{
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "stemme-open.xlsx", func(t *testing.T, body []byte) {
			x, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("the workbook does not open: %v", err)
			}
			defer x.Close()
			if got := x.GetSheetList(); !slices.Equal(got, []string{"Om eksporten", "Kodebok", "Sammendrag", "Innsatsområder", "Fritekst", "Diagram"}) {
				t.Errorf("sheets %q", got)
			}
			texts, _ := x.GetRows("Fritekst")
			if !slices.ContainsFunc(texts, func(r []string) bool { return slices.Contains(r, reviewedText) }) {
				t.Errorf("the reviewed free text is missing: %q", texts)
			}
			summary, _ := x.GetRows("Sammendrag")
			if !slices.ContainsFunc(summary, func(r []string) bool { return len(r) > 3 && r[0] == "Solbakken sykehjem" && r[3] == "7" }) {
				t.Errorf("the summary lacks Solbakken's 7 answers: %q", summary)
			}
		}},
		{"csv-summary", "text/csv; charset=utf-8", "stemme-open-summary.csv", func(t *testing.T, body []byte) {
			recs := readCSV(t, body, ';')
			if recs[0][0] != "Enhet" || !slices.ContainsFunc(recs, func(r []string) bool { return r[0] == "Solbakken sykehjem" && r[3] == "7" }) {
				t.Errorf("summary %q", recs)
			}
		}},
		{"csv-codebook", "text/csv; charset=utf-8", "stemme-open-codebook.csv", func(t *testing.T, body []byte) {
			recs := readCSV(t, body, ';')
			if !slices.ContainsFunc(recs, func(r []string) bool { return r[0] == "children_info" && r[6] == "${has_children} = 'yes'" }) {
				t.Errorf("the codebook lacks the routing of children_info: %q", recs)
			}
		}},
		{"stats", "application/zip", "stemme-open-stats.zip", func(t *testing.T, body []byte) {
			zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatalf("the package does not open: %v", err)
			}
			var names []string
			for _, zf := range zr.File {
				names = append(names, zf.Name)
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || len(b) == 0 {
					t.Errorf("%s: %d bytes, %v", zf.Name, len(b), err)
				}
				if zf.Name == "stemme-open-stats.csv" {
					recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
					if err != nil || len(recs) < 2 || recs[0][8] != "count" {
						t.Errorf("the data do not parse: %v %q", err, recs)
					}
				}
			}
			slices.Sort(names)
			if want := []string{"README.txt", "stemme-open-codebook.csv", "stemme-open-stats.R", "stemme-open-stats.csv",
				"stemme-open-stats.do", "stemme-open-stats.sps"}; !slices.Equal(names, want) {
				t.Errorf("files %q, want %q (no record-level data on the web)", names, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			resp, body := download(t, base, s.Cookie, "wave=open&format="+tt.format)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %.200s", resp.StatusCode, body)
			}
			if len(body) == 0 {
				t.Fatal("the download is empty")
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.mime {
				t.Errorf("Content-Type %q, want %q", ct, tt.mime)
			}
			if cd := resp.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="%s"`, tt.file) {
				t.Errorf("Content-Disposition %q", cd)
			}
			tt.open(t, body)
		})
	}
}

// TestExportInTheQuestionnairesLanguage: a wave whose questionnaire is in
// Lithuanian exports in Lithuanian (English headers, Lithuanian question
// texts), and the form offers it; a language neither the questionnaire
// nor the export headers have is refused.
func TestExportInTheQuestionnairesLanguage(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	in := webtest.Instrument()
	in.Key = "litauisk"
	in.Languages = append(in.Languages, surveys.LanguageStatus{Code: "lt", Status: surveys.StatusDraft})
	lt := func(t surveys.Text) {
		if t != nil {
			t["lt"] = "LT " + t["en"]
		}
	}
	lt(in.Title)
	for i := range in.FocusAreas {
		lt(in.FocusAreas[i].Name)
	}
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			lt(c.Label)
		}
	}
	for pi := range in.Pages {
		lt(in.Pages[pi].Title)
		for _, q := range in.Pages[pi].Questions {
			lt(q.Text)
			lt(q.Help)
		}
	}
	in.Pages[0].Questions[1].Text["lt"] = "Ar gaunate informacijos?"
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.InsertWave(ctx, &surveys.Wave{ID: "lt", Kind: surveys.WaveUnit, Name: "Lietuviškai", Instrument: in.ID,
		Units: []string{"solbakken"}, Languages: []string{"nb", "lt"}, Opens: "2026-10-01", Closes: "2026-11-30", Status: surveys.WaveOpen}); err != nil {
		t.Fatal(err)
	}
	for i, v := range []string{"6", "5", "4", "5", "3", "dk"} {
		a := surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "info_given": surveys.ChoiceAnswer(v), "has_children": surveys.ChoiceAnswer("no")}
		r := &surveys.Response{ID: fmt.Sprintf("lt-%d", i), Wave: "lt", Unit: "solbakken", Instrument: in.ID, Lang: "lt",
			Answers: a, Segments: in.SegmentsOf(a)}
		if err := ss.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := ss.CloseWave(ctx, "lt", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	users := webtest.StaffUsers(t, f)
	u := users["advisor"]
	s := webtest.SignIn(t, f, &u)
	_, form := f.Get(t, "/admin/export", "Cookie", s.Cookie)
	if !strings.Contains(form, `<option value="lt" lang="lt"`) {
		t.Error("the export form does not offer Lithuanian")
	}
	resp, body := f.Get(t, "/admin/export?wave=lt&format=xlsx&lang=lt", "Cookie", s.Cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	cb, err := x.GetRows("Codebook")
	if err != nil {
		t.Fatalf("no English Codebook sheet: %v (%q)", err, x.GetSheetList())
	}
	if !slices.ContainsFunc(cb, func(r []string) bool { return len(r) > 3 && r[0] == "info_given" && r[3] == "Ar gaunate informacijos?" }) {
		t.Errorf("the codebook lacks the Lithuanian question text: %q", cb)
	}
	for _, q := range []string{"wave=lt&format=xlsx&lang=pl", "wave=lt&format=stats&lang=not-a-code!"} {
		if resp, body := f.Get(t, "/admin/export?"+q, "Cookie", s.Cookie); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="f-lang-msg"`) {
			t.Errorf("%s: status %d, want 400 with the language marked", q, resp.StatusCode)
		}
	}
}

package report_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/demo"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/report"
	"github.com/stemme/stemme/report/pdftest"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef")
	// now is a Wednesday in November 2026, as the web tests' demo.
	now = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
)

// demoDB is the demo municipality as the server seeds it: the overall
// surveys of 2022 and 2026 counted and published, actions, the council and
// the feedback.
func demoDB(t *testing.T) *mongo.Database {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	if _, err := demo.Seed(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedCouncil(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedFeedback(ctx, db, testSecret, now); err != nil {
		t.Fatal(err)
	}
	return db
}

func sources(t testing.TB, db *mongo.Database) report.Sources {
	t.Helper()
	fb, err := feedback.NewStore(db, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	fb.Now = func() time.Time { return now }
	return report.Sources{DB: db, Results: analysis.NewService(db), Surveys: surveys.NewStore(db), Feedback: fb,
		Actions: actions.NewStore(db), Council: council.NewStore(db)}
}

func build(t *testing.T, db *mongo.Database, year int, lang string) (*report.Report, []byte) {
	t.Helper()
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(context.Background(), sources(t, db), bundle, report.Options{Year: year, Lang: lang, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	began := time.Now()
	if err := report.WritePDF(&buf, r, now); err != nil {
		t.Fatal(err)
	}
	t.Logf("PDF of %d in %s: %d bytes in %s", year, lang, buf.Len(), time.Since(began).Round(time.Millisecond))
	// STEMME_REPORT_DIR keeps the PDFs for a person to look at.
	if dir := os.Getenv("STEMME_REPORT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("arsrapport-%d-%s.pdf", year, lang)), buf.Bytes(), 0o644)
	}
	return r, buf.Bytes()
}

// TestPDFShowsTheResultsServicesFigures: every figure of the total and of
// the units in the PDF is the results service's, read as the public; the
// unit below the threshold appears only as hidden, and the total without it.
func TestPDFShowsTheResultsServicesFigures(t *testing.T) {
	db := demoDB(t)
	r, pdf := build(t, db, 2026, "nb")
	pages, err := pdftest.CheckStructure(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if pages < 2 || pages > 16 {
		t.Errorf("%d pages", pages)
	}
	frags, err := pdftest.Text(pdf)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Flat(frags)
	for _, want := range []string{r.Title(), "Eksempel kommune", "Pårørendeundersøkelsen 2026", "Innsatsområde", "Tilbakemeldinger per tema",
		"Pårørenderådet", "Fast kontaktperson for hver pårørende i hjemmetjenesten", "Kvalitetsrådgiver legger fram status"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	view, err := analysis.NewService(db).View(context.Background(), analysis.Public, "overall_2026")
	if err != nil || view.Results == nil {
		t.Fatalf("results: %v", err)
	}
	res := view.Results
	total := res.Group(analysis.Municipality, analysis.AllSegment, "")
	if !strings.Contains(text, strconv.FormatInt(total.Respondents, 10)+" pårørende svarte") {
		t.Errorf("the PDF lacks the total's %d respondents", total.Respondents)
	}
	for _, fa := range res.Instrument.FocusAreas {
		it := total.Focus[fa.Key]
		want := fa.Name.In("nb") + " " + whole(it.Index.Mean) + " " + whole(math.Max(0, it.Index.Lo)) + "–" + whole(math.Min(100, it.Index.Hi))
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks the focus area row %q", want)
		}
	}
	hidden := 0
	for _, u := range res.Units {
		g := res.Group(u, analysis.AllSegment, "")
		name := unitName(t, db, u)
		if g.Hidden {
			hidden++
			if !strings.Contains(text, name+" skjult for å beskytte små grupper") {
				t.Errorf("the hidden unit %s is not shown as hidden", name)
			}
			continue
		}
		row := name + " " + strconv.FormatInt(g.Respondents, 10)
		for _, fa := range res.Instrument.FocusAreas {
			row += " " + whole(g.Focus[fa.Key].Index.Mean)
		}
		if !strings.Contains(text, row) {
			t.Errorf("the PDF lacks the unit row %q", row)
		}
	}
	if hidden == 0 {
		t.Fatal("the demo has no hidden unit: the test proves nothing")
	}
	// The hidden unit's answers are in no figure: the total is the sum of
	// the units shown, never of them all.
	all, err := analysis.Tallies(context.Background(), db, "overall_2026")
	if err != nil {
		t.Fatal(err)
	}
	var everyone int64
	for _, tl := range all {
		if tl.Segment == analysis.AllSegment {
			everyone += tl.N
		}
	}
	if everyone == total.Respondents {
		t.Fatal("the total counts the hidden unit")
	}
	for _, f := range frags {
		if strings.Contains(f, strconv.FormatInt(everyone, 10)) {
			t.Errorf("the PDF shows %d, the count with the hidden unit: %q", everyone, f)
		}
	}
}

func whole(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) }

func unitName(t *testing.T, db *mongo.Database, id string) string {
	t.Helper()
	u, err := surveys.NewStore(db).Unit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Name
}

// TestPDFRendersNorwegianLetters: æ, ø and å are drawn with the embedded
// font and read back as the same letters.
func TestPDFRendersNorwegianLetters(t *testing.T) {
	db := demoDB(t)
	for _, lang := range []string{"nb", "nn", "en"} {
		r, pdf := build(t, db, 2026, lang)
		if !bytes.Contains(pdf, []byte("/FontFile2")) || !bytes.Contains(bytes.ToLower(pdf), []byte("/basefont /utf8dejavusanscondensed")) {
			t.Errorf("%s: the font is not embedded", lang)
		}
		frags, err := pdftest.Text(pdf)
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Flat(frags)
		for _, want := range []string{"Pårørendeundersøkelsen", "Solbakken sykehjem", r.Title()} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF lacks %q", lang, want)
			}
		}
	}
}

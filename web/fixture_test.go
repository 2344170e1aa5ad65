package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// fixture is a running app on a fresh database with one small instrument,
// one open wave with a link, and one closed wave.
type fixture struct {
	app    *fiber.App
	st     *store.Store
	open   string // link id of the open wave
	closed string // link id of the closed wave
	paged  string // link id of an open wave with a four-page instrument
	logs   *strings.Builder
	// tallier counts what the app accepts; filed waits for it.
	tallier *analysis.Tallier
}

// filed counts every accepted answer and returns the collection of filed
// responses: answers wait in an inbox until the tallier has counted them.
func (f *fixture) filed(t testing.TB) *mongo.Collection {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.tallier.Flush(ctx); err != nil {
		t.Fatalf("flushing the tallier: %v", err)
	}
	return f.st.DB.Collection("responses")
}

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// testLoginPolicy is the default login throttling with waits a tenth as
// long, so that tests of wrong passwords do not sleep for seconds.
var testLoginPolicy = staff.LoginPolicy{
	BaseDelay: 25 * time.Millisecond, MaxDelay: 400 * time.Millisecond,
	SourceLockAfter: 10, SourceLockFor: 15 * time.Minute, MaxSourceLock: 24 * time.Hour,
	AccountForget: time.Hour, SourceForget: 48 * time.Hour,
}

// fixedNow is a Wednesday in the middle of the open wave.
var fixedNow = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

func text(nb, en string) surveys.Text { return surveys.Text{"nb": nb, "en": en} }

func testInstrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "extent6"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6"} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: text(v, v)})
	}
	scale.Choices = append(scale.Choices, surveys.Choice{Value: surveys.DontKnow, Label: text("Vet ikke", "Don't know")})
	max := 120.0
	return &surveys.Instrument{
		Key: "test", Version: 1, Status: surveys.InstrumentPublished,
		Title:      text("Testundersøkelse", "Test survey"),
		Languages:  []surveys.LanguageStatus{{Code: "nb", Status: "draft"}, {Code: "en", Status: "draft"}},
		FocusAreas: []surveys.FocusArea{{Key: "information", Name: text("Informasjon", "Information")}},
		Lists: []surveys.ChoiceList{scale, {Name: "relation", Choices: []surveys.Choice{
			{Value: "child", Label: text("Barn", "Child")}, {Value: "partner", Label: text("Partner", "Partner")}}}},
		Pages: []surveys.Page{{Key: "p1", Title: text("Om deg", "About you"), Questions: []surveys.Question{
			{Key: "relation", Type: surveys.TypeSingle, Segment: "relation", List: "relation", Required: true,
				Text: text("Hvem er du pårørende til?", "Whom are you a relative of?")},
			{Key: "info_given", Type: surveys.TypeScale, List: "extent6", FocusArea: "information",
				Text: text("Får du informasjon?", "Do you get information?")},
			{Key: "has_children", Type: surveys.TypeYesNo, Text: text("Barn i familien?", "Children in the family?")},
			{Key: "children_info", Type: surveys.TypeScale, List: "extent6", FocusArea: "information",
				ShowIf: "${has_children} = 'yes'", Text: text("Fikk barna informasjon?", "Did the children get information?")},
			{Key: "age", Type: surveys.TypeNumber, Max: &max, Text: text("Alder", "Age")},
			{Key: "important", Type: surveys.TypeLongText, Text: text("Hva er viktig for deg?", "What matters to you?")},
		}}},
	}
}

// pagedInstrument spreads the test questions over four pages; the third is
// shown only to those with children in the family.
func pagedInstrument() *surveys.Instrument {
	in := testInstrument()
	in.Key = "paged"
	qs := in.Pages[0].Questions
	in.Pages = []surveys.Page{
		{Key: "about", Title: text("Om deg", "About you"), Questions: qs[0:2]},
		{Key: "family", Title: text("Familien", "The family"), Questions: qs[2:3]},
		{Key: "children", Title: text("Barna", "The children"), Questions: qs[3:4]},
		{Key: "end", Title: text("Til slutt", "Finally"), Questions: qs[4:6]},
	}
	return in
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureAt(t, "http://localhost:8080")
}

// newFixtureAt is newFixture with the given public base URL; opts change
// the app's configuration.
func newFixtureAt(t testing.TB, baseURL string, opts ...func(*web.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	ss := surveys.NewStore(st.DB)
	for _, u := range []surveys.Unit{{ID: "solbakken", Name: "Solbakken sykehjem", Kind: surveys.KindNursingHome, Active: true}} {
		if err := ss.InsertUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	in := testInstrument()
	for _, i := range []*surveys.Instrument{in, pagedInstrument()} {
		if err := ss.InsertInstrument(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{st: st, logs: &strings.Builder{}}
	for _, w := range []*surveys.Wave{
		{ID: "open", Kind: surveys.WaveUnit, Name: "Åpen", Instrument: in.ID, Units: []string{"solbakken"},
			Languages: []string{"nb", "en"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen},
		{ID: "paged", Kind: surveys.WaveUnit, Name: "Sider", Instrument: "paged@1", Units: []string{"solbakken"},
			Languages: []string{"nb", "en"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen},
		{ID: "closed", Kind: surveys.WaveUnit, Name: "Lukket", Instrument: in.ID, Units: []string{"solbakken"},
			Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-02-01", Status: surveys.WaveClosed},
	} {
		links, err := ss.InsertWave(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		switch w.ID {
		case "open":
			f.open = links[0].ID
		case "paged":
			f.paged = links[0].ID
		default:
			f.closed = links[0].ID
		}
	}
	logger := slog.New(slog.NewTextHandler(&lockedWriter{b: f.logs}, nil))
	f.tallier = analysis.NewTallier(st.DB, logger)
	t.Cleanup(f.tallier.Start())
	cfg := web.Config{Store: st, Logger: logger, BaseURL: baseURL, Secret: testSecret,
		Now: func() time.Time { return fixedNow }, Tallier: f.tallier, Login: testLoginPolicy}
	for _, o := range opts {
		o(&cfg)
	}
	app, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.app = app
	return f
}

// do sends a request through the app and returns status and body.
func (f *fixture) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	withHost(req)
	resp, err := f.app.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// withHost names the host as every HTTP/1.1 client does: fasthttp refuses
// a request without one, and http.NewRequest("GET", "/path") has none.
func withHost(req *http.Request) {
	if req.Host == "" && req.URL.Host == "" {
		req.Host = "localhost:8080"
	}
}

func (f *fixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return f.do(t, getRequest(path, header...))
}

func (f *fixture) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return f.do(t, postRequest(path, form))
}

// responseID is the stored id of the response a form's submission id leads to.
func responseID(sid string) string {
	return surveys.ResponseID(surveys.ReceiptCode(testSecret, sid))
}

var hiddenField = regexp.MustCompile(`name="(_sid|_sig)" value="([^"]+)"`)

// formTokens returns the hidden submission id and signature of a rendered form.
func formTokens(t testing.TB, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], m[2])
	}
	if v.Get("_sid") == "" || v.Get("_sig") == "" {
		t.Fatalf("form has no submission id or signature")
	}
	return v
}

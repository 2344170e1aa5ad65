package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

// Fixture is a running app on a fresh database. New gives it one small
// instrument, one open wave with a link, and one closed wave.
type Fixture struct {
	App    *fiber.App
	Store  *store.Store
	Open   string // link id of the open wave
	Closed string // link id of the closed wave
	Paged  string // link id of an open wave with a four-page instrument
	Logs   *strings.Builder
	// Tallier counts what the app accepts; Filed waits for it.
	Tallier *analysis.Tallier
}

// Filed counts every accepted answer and returns the collection of filed
// responses: answers wait in an inbox until the tallier has counted them.
func (f *Fixture) Filed(t testing.TB) *mongo.Collection {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.Tallier.Flush(ctx); err != nil {
		t.Fatalf("flushing the tallier: %v", err)
	}
	return f.Store.DB.Collection("responses")
}

// Stored counts the answers kept: filed, or still waiting in the inbox.
func (f *Fixture) Stored(t testing.TB) int64 {
	t.Helper()
	n, err := f.Filed(t).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := f.Store.DB.Collection("response_inbox").CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return n + waiting
}

// Secret is the installation secret of every fixture.
var Secret = []byte("0123456789abcdef0123456789abcdef")

// LoginPolicy is the default login throttling with waits a tenth as
// long, so that tests of wrong passwords do not sleep for seconds.
var LoginPolicy = staff.LoginPolicy{
	BaseDelay: 25 * time.Millisecond, MaxDelay: 400 * time.Millisecond,
	SourceLockAfter: 10, SourceLockFor: 15 * time.Minute, MaxSourceLock: 24 * time.Hour,
	AccountForget: time.Hour, SourceForget: 48 * time.Hour,
}

// FixedNow is a Wednesday in the middle of the open wave.
var FixedNow = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

// BaseURL is the public address fixtures are served at unless told otherwise.
const BaseURL = "http://localhost:8080"

// New is a fixture at BaseURL.
func New(t testing.TB) *Fixture {
	t.Helper()
	return NewAt(t, BaseURL)
}

// NewAt is New with the given public base URL; opts change the app's
// configuration.
func NewAt(t testing.TB, baseURL string, opts ...func(*web.Config)) *Fixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.New(t)
	ss := surveys.NewStore(st.DB)
	for _, u := range []surveys.Unit{{ID: "solbakken", Name: "Solbakken sykehjem", Kind: surveys.KindNursingHome, Active: true}} {
		if err := ss.InsertUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	in := Instrument()
	for _, i := range []*surveys.Instrument{in, PagedInstrument()} {
		if err := ss.InsertInstrument(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{}
	for _, w := range []*surveys.Wave{
		{ID: "open", Kind: surveys.WaveUnit, Name: "Åpen", Instrument: in.ID, Units: []string{"solbakken"},
			Languages: []string{"nb", "en"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen},
		{ID: "paged", Kind: surveys.WaveUnit, Name: "Sider", Instrument: "paged@1", Units: []string{"solbakken"},
			Languages: []string{"nb", "en"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen},
		{ID: "closed", Kind: surveys.WaveUnit, Name: "Lukket", Instrument: in.ID, Units: []string{"solbakken"},
			Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-02-01", Status: surveys.WaveClosed},
	} {
		ls, err := ss.InsertWave(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		links[w.ID] = ls[0].ID
	}
	f := Serve(t, st, web.Config{BaseURL: baseURL, Login: LoginPolicy}, opts...)
	f.Open, f.Paged, f.Closed = links["open"], links["paged"], links["closed"]
	return f
}

// SeveralInstances is an option of NewAt: the app runs as one of several
// instances on one store, checking answers by reading the store around
// their insert, as on a shared MongoDB.
func SeveralInstances(c *web.Config) { c.SoleWriter = false }

// Serve runs the app on st with cfg, filling in the store, a logger into
// Logs, a started tallier, the Secret, FixedNow and BaseURL where cfg
// leaves them empty; opts change the configuration after that.
func Serve(t testing.TB, st *store.Store, cfg web.Config, opts ...func(*web.Config)) *Fixture {
	t.Helper()
	f := &Fixture{Store: st, Logs: &strings.Builder{}}
	logger := f.Logger()
	f.Tallier = analysis.NewTallier(st.DB, logger)
	t.Cleanup(f.Tallier.Start())
	cfg.Store, cfg.Logger, cfg.Tallier = st, logger, f.Tallier
	// As cmd/stemme runs it: the test process alone writes to its embedded
	// store. The second store leg, and tests of several instances
	// (SeveralInstances), run without.
	cfg.SoleWriter = st.Embedded
	if cfg.Secret == nil {
		cfg.Secret = Secret
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return FixedNow }
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = BaseURL
	}
	for _, o := range opts {
		o(&cfg)
	}
	app, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.App = app
	return f
}

// Do sends a request through the app and returns status and body.
func (f *Fixture) Do(t testing.TB, req *http.Request) (*http.Response, string) {
	t.Helper()
	WithHost(req)
	resp, err := f.App.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// WithHost names the host as every HTTP/1.1 client does: fasthttp refuses
// a request without one, and http.NewRequest("GET", "/path") has none.
func WithHost(req *http.Request) {
	if req.Host == "" && req.URL.Host == "" {
		req.Host = "localhost:8080"
	}
}

// Get fetches a path with the headers given as name, value pairs.
func (f *Fixture) Get(t testing.TB, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return f.Do(t, GetRequest(path, header...))
}

// Post posts a form.
func (f *Fixture) Post(t testing.TB, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return f.Do(t, PostRequest(path, form))
}

// GetRequest is a GET with the headers given as name, value pairs.
func GetRequest(path string, header ...string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// PostRequest is the post of a form, url-encoded as browsers send it.
func PostRequest(path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// Logger logs into the fixture's Logs, as its app does.
func (f *Fixture) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(&lockedWriter{b: f.Logs}, nil))
}

// lockedWriter lets concurrent requests log into one builder.
type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

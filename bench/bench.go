// Package bench is the load and performance harness behind "stemme bench":
// it runs the real server on loopback against a store of its own, and
// measures each path against a baseline taken in the same run, so the
// machine's speed cancels out of the ratios.
package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/web"
)

// Options bound a run.
type Options struct {
	// Submits is the number of answers posted (and inserted for the baseline).
	Submits int
	// FormClients and FormRequests shape the form latency measurement.
	FormClients, FormRequests int
	// Retally is the number of answers recounted.
	Retally int
	// DashboardAnswers is the smaller wave of the dashboard comparison; the
	// larger holds a hundred times as many.
	DashboardAnswers int
	// Journeys and BlankForms size the journey measurement.
	Journeys, BlankForms int
	// Progress, if set, receives a line per step.
	Progress io.Writer
	// Only, if set, names the measurements to make (see Measurements);
	// the others are left out.
	Only []string
	// Spawn, if set, makes a load in another process (see RunLoad), so
	// that the server's CPU time holds none of the client's.
	Spawn func(ctx context.Context, spec LoadSpec) (*LoadResult, error)
	// CPUProfile, if set, is the path prefix of CPU profiles of the timed
	// part of some measurements (the journeys, the retally): PREFIX-NAME.prof.
	CPUProfile string
	// Extra measurements (dashboard pages, exports) run after the built-in ones.
	Extra []Measurement
}

// Quick is a short run for tests; Full is what docs/BENCHMARKS.md reports.
var (
	Quick = Options{Submits: 160, FormClients: 10, FormRequests: 200, Retally: 2000, DashboardAnswers: 1000,
		Journeys: 20, BlankForms: 200}
	Full = Options{Submits: 2000, FormClients: 50, FormRequests: 5000, Retally: 100_000, DashboardAnswers: 10_000,
		Journeys: 400, BlankForms: 4000}
)

// Result is one measured figure against its goal.
type Result struct {
	Name, Figure, Goal string
	Met                bool
	Note               string
}

// Measurement is a step of a run; Env gives it the running server.
type Measurement func(ctx context.Context, env *Env) ([]Result, error)

// Env is what a measurement works with.
type Env struct {
	Store   *store.Store
	Base    string
	Link    string
	Tallier *analysis.Tallier
	App     *fiber.App
	Options Options
}

// Report is a whole run.
type Report struct {
	Date    time.Time
	Machine string
	Results []Result
	Took    time.Duration
}

// Run starts the app on loopback against st (seeded with the demo
// municipality, whose open wave's first link is link) and measures.
func Run(ctx context.Context, st *store.Store, link string, secret []byte, opts Options) (*Report, error) {
	began := time.Now()
	tallier := analysis.NewTallier(st.DB, nil)
	if st.Embedded {
		tallier.Exclusive()
	}
	stop := tallier.Start()
	defer stop()
	app, err := web.New(web.Config{Store: st, BaseURL: "http://127.0.0.1", Secret: secret, Tallier: tallier, SoleWriter: st.Embedded,
		TrustedProxies: []string{"127.0.0.1"}})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() { _ = app.Listener(ln) }()
	defer func() { _ = app.ShutdownWithTimeout(10 * time.Second) }()
	env := &Env{Store: st, Base: "http://" + ln.Addr().String(), Link: link, Tallier: tallier, App: app, Options: opts}

	var steps []Measurement
	for _, m := range Measurements {
		if (len(opts.Only) == 0 && !onDemand[m.Name]) || slices.Contains(opts.Only, m.Name) ||
			// The export writes the retally's wave.
			(m.Name == "retally" && slices.Contains(opts.Only, "export")) {
			steps = append(steps, m.Measure)
		}
	}
	steps = append(steps, opts.Extra...)
	r := &Report{Date: time.Now(), Machine: machine(st)}
	for _, step := range steps {
		got, err := step(ctx, env)
		if err != nil {
			return nil, err
		}
		for _, res := range got {
			progress(opts, "%-44s %s (goal %s)", res.Name, res.Figure, res.Goal)
		}
		r.Results = append(r.Results, got...)
	}
	r.Took = time.Since(began)
	return r, nil
}

// Measurements are the built-in measurements of a run, in their order.
var Measurements = []struct {
	Name    string
	Measure Measurement
}{
	{"submit", submitThroughput},
	{"single", singleSubmit},
	{"form", formLatency},
	{"journey", journeyCost},
	{"retally", retally},
	{"export", exportXLSX},
	{"dashboard", dashboardCost},
	{"storage", answersStorage},
}

// onDemand measurements are left out of a whole run: they settle a
// question once (storage: docs/STORAGE.md) and are made with --only.
var onDemand = map[string]bool{"storage": true}

// profile writes a CPU profile of what runs until the returned function is
// called (which may be called again), when Options.CPUProfile asks for one.
func (env *Env) profile(name string) (stop func()) {
	if env.Options.CPUProfile == "" {
		return func() {}
	}
	f, err := os.Create(env.Options.CPUProfile + "-" + name + ".prof")
	if err != nil {
		progress(env.Options, "no CPU profile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		progress(env.Options, "no CPU profile: %v", err)
		return func() {}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			f.Close()
		})
	}
}

func progress(opts Options, format string, args ...any) {
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, format+"\n", args...)
	}
}

func machine(st *store.Store) string {
	kind := "MongoDB at MONGODB_URI"
	if st.Embedded {
		kind = "embedded FerretDB 1.24.2 on SQLite"
	}
	return fmt.Sprintf("%d cores (%s/%s), Go %s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		strings.TrimPrefix(runtime.Version(), "go"), kind)
}

// percentile of sorted durations, p in (0, 1].
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func sortDurations(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }

// Markdown renders the report as the section docs/BENCHMARKS.md keeps.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Run on %s, %s; the whole run took %s.\n\n", r.Date.Format("2006-01-02"), r.Machine, r.Took.Round(time.Second))
	b.WriteString("| measurement | figure | goal | met |\n|---|---|---|---|\n")
	for _, res := range r.Results {
		met := "yes"
		if !res.Met {
			met = "**no**"
		}
		fig := res.Figure
		if res.Note != "" {
			fig += " — " + res.Note
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", res.Name, fig, res.Goal, met)
	}
	return b.String()
}

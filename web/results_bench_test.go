package web_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/analysistest"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/synth"
	"github.com/stemme/stemme/web"
)

// BenchmarkDashboard renders the advisor dashboard of the whole
// municipality for a wave of 10,000 answers and one of 1,000,000, on the
// demo municipality with the built-in instrument, and reports the ratio of
// their view times: the dashboard reads tallies, never answers, so the goal
// is a ratio of at most 1.5. The tallies are built directly (a million
// answers cannot be submitted in a benchmark): 1,000 synthetic answers are
// counted and their tallies scaled by 10 and by 1,000. "cold" is a view
// with the results cache off (the wave's and its comparison wave's
// tallies are read and the results computed every time), "warm" a view served from the results cache,
// "elsewhere" a view after a tally batch of another wave (the cache checks
// the versions of the waves it read), "here" a view after a batch of the
// wave viewed (its results are computed again). Each mode also views an
// open wave of 10,000 answers (participation). Views of the waves
// alternate, so a burst of load elsewhere hits each.
// Run with
//
//	go test ./web -run '^$' -bench Dashboard -benchtime 40x
func BenchmarkDashboard(b *testing.B) {
	f := webtest.NewDemo(b)
	ctx := context.Background()
	st := staff.NewStore(f.Store.DB)
	advisor, err := st.CreateUser(ctx, staff.User{Email: "advisor@kommune.no", Name: "advisor",
		Grants: []staff.Grant{{Role: staff.RoleAdvisor}}}, "korrekt hest batteri stift")
	if err != nil {
		b.Fatal(err)
	}
	token, err := st.StartSession(ctx, advisor.ID, webtest.FixedNow)
	if err != nil {
		b.Fatal(err)
	}
	cookie := "stemme_session=" + token
	ss := surveys.NewStore(f.Store.DB)
	current, err := ss.Wave(ctx, webtest.DemoCurrent)
	if err != nil {
		b.Fatal(err)
	}
	in, err := ss.Instrument(ctx, current.Instrument)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	bias := synth.ItemBiases(rng, in)
	var rs []surveys.Response
	for i := range 1000 {
		a := synth.Answers(rng, in, rng.NormFloat64()*0.5, bias)
		rs = append(rs, surveys.Response{ID: strconv.Itoa(i), Unit: current.Units[i%len(current.Units)], Answers: a,
			Segments: in.SegmentsOf(a)})
	}
	sizes := []struct {
		wave  string
		scale int64
	}{{"bench_10k", 10}, {"bench_1m", 1000}}
	for i, sz := range sizes {
		w := &surveys.Wave{ID: sz.wave, Kind: surveys.WaveOverall, Name: sz.wave, Year: 2030, Instrument: in.ID,
			Units: current.Units, Languages: []string{"nb"}, Opens: "2030-01-01", Closes: "2030-02-01",
			Threshold: surveys.DefaultThreshold, Status: surveys.WaveClosed, Final: true}
		if _, err := ss.InsertWave(ctx, w); err != nil {
			b.Fatal(err)
		}
		for j := range rs {
			rs[j].Wave = sz.wave
		}
		n, err := analysistest.StoreAnswers(ctx, f.Store.DB, sz.wave, int64(1<<40+i), in, rs, sz.scale)
		if err != nil {
			b.Fatal(err)
		}
		if want := 1000 * sz.scale; n != want {
			b.Fatalf("%s holds %d answers, want %d", sz.wave, n, want)
		}
	}
	// An open wave's page shows participation, counted from its tallies.
	open := &surveys.Wave{ID: "bench_open", Kind: surveys.WaveOverall, Name: "bench_open", Year: 2031, Instrument: in.ID,
		Units: current.Units, Languages: []string{"nb"}, Opens: "2031-01-01", Closes: "2031-02-01",
		Threshold: surveys.DefaultThreshold, Status: surveys.WaveOpen}
	if _, err := ss.InsertWave(ctx, open); err != nil {
		b.Fatal(err)
	}
	seq := int64(1 << 41)
	// batch writes a wave's tallies anew as the next batch, as the tallier
	// does when answers arrive (or a retally): scaled like the wave's own.
	batch := func(wave string, scale int64) {
		seq++
		for j := range rs {
			rs[j].Wave = wave
		}
		if _, err := analysistest.StoreAnswers(ctx, f.Store.DB, wave, seq, in, rs, scale); err != nil {
			b.Fatal(err)
		}
	}
	batch(open.ID, 10)
	// Final: a closed wave that is not would be made final by the
	// tallier, which recounts it from its answers (none here).
	check := func() {
		for _, sz := range sizes {
			v, err := analysis.NewService(f.Store.DB).View(ctx, analysis.Reader{All: true}, sz.wave)
			if err != nil || v.State != analysis.StateFinal || v.Results.Group(analysis.Municipality, "", "").Respondents != 1000*sz.scale {
				b.Fatalf("%s is not a final wave of %d answers: %v", sz.wave, 1000*sz.scale, err)
			}
		}
	}
	check()
	for _, sz := range sizes {
		start := time.Now()
		ts, err := analysis.Tallies(ctx, f.Store.DB, sz.wave)
		b.Logf("%s: %d tallies read in %v (%v)", sz.wave, len(ts), time.Since(start), err)
	}
	view := func(wave string) time.Duration {
		req, _ := http.NewRequest(http.MethodGet, "/admin/results?wave="+wave, nil)
		req.Header.Set("Cookie", cookie)
		webtest.WithHost(req)
		start := time.Now()
		resp, err := f.App.Test(req, 60_000)
		d := time.Since(start)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("view of %s: %v, status %v\n%s", wave, err, resp.StatusCode, f.Logs)
		}
		return d
	}
	// Before each view: nothing (cold: the cache is off; warm), a batch
	// counted in another wave (elsewhere), or in the wave viewed (here).
	for _, mode := range []struct {
		name    string
		entries int
		before  func(wave string, scale int64)
	}{
		{"cold", 0, nil}, {"warm", 8, nil},
		{"elsewhere", 8, func(string, int64) { batch("bench_other", 1) }},
		{"here", 8, batch},
	} {
		b.Run(mode.name, func(b *testing.B) {
			defer web.SetResultsCacheEntries(mode.entries)()
			timed := func(wave string, scale int64) time.Duration {
				if mode.before != nil {
					mode.before(wave, scale)
				}
				return view(wave)
			}
			timed(sizes[0].wave, sizes[0].scale)
			timed(sizes[1].wave, sizes[1].scale)
			timed(open.ID, 10)
			var small, big, opened []time.Duration
			b.ResetTimer()
			for range b.N {
				small = append(small, timed(sizes[0].wave, sizes[0].scale))
				big = append(big, timed(sizes[1].wave, sizes[1].scale))
				opened = append(opened, timed(open.ID, 10))
			}
			b.StopTimer()
			check()
			ms := func(ds []time.Duration) float64 {
				slices.Sort(ds)
				return float64(ds[len(ds)/2]) / float64(time.Millisecond)
			}
			m10k, m1m := ms(small), ms(big)
			b.ReportMetric(m10k, "ms/view-10k")
			b.ReportMetric(m1m, "ms/view-1M")
			b.ReportMetric(ms(opened), "ms/view-open")
			b.ReportMetric(m1m/m10k, "ratio")
		})
	}
}

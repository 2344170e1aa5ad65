package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/analysistest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/synth"
)

// insertAnswers puts n synthetic answers to the built-in survey straight
// among the filed responses of a new closed wave over the demo's units.
func insertAnswers(ctx context.Context, env *Env, wave string, n int) (*surveys.Wave, error) {
	ss := surveys.NewStore(env.Store.DB)
	in, err := ss.Instrument(ctx, "parorende@1")
	if err != nil {
		return nil, err
	}
	units := []string{"solbakken", "fjordtun", "hjemme_nord", "hjemme_sor", "bekkestua", "lia_avlastning"}
	w := &surveys.Wave{ID: wave, Kind: surveys.WaveUnit, Name: wave, Year: 2026, Instrument: in.ID, Units: units,
		Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-01-31", Status: surveys.WaveClosed, Final: true}
	if _, err := ss.InsertWave(ctx, w); err != nil {
		return nil, err
	}
	col := env.Store.DB.Collection("responses")
	err = eachSynthAnswer(in, wave, units, n, func(r surveys.Response) any { return r }, func(batch []any) error {
		_, err := col.InsertMany(ctx, batch)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// eachSynthAnswer makes n synthetic answers to in, the same for the same
// n, and hands them to insert a thousand at a time, each made a document by doc.
func eachSynthAnswer(in *surveys.Instrument, wave string, units []string, n int,
	doc func(surveys.Response) any, insert func([]any) error) error {
	rng := rand.New(rand.NewPCG(uint64(n), 11))
	bias := synth.ItemBiases(rng, in)
	batch := make([]any, 0, 1000)
	for i := range n {
		a := synth.Answers(rng, in, rng.NormFloat64(), bias)
		batch = append(batch, doc(surveys.Response{ID: fmt.Sprintf("%s-%d", wave, i), Wave: wave,
			Unit: units[rng.IntN(len(units))], Instrument: in.ID, Lang: "nb", Segments: in.SegmentsOf(a), Answers: a}))
		if len(batch) == cap(batch) || i == n-1 {
			if err := insert(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// retally recounts a wave of Options.Retally answers: first a rebuild
// from the responses (which writes the answer chunks, as filing does), then
// the retally an operator runs, which reads the chunks; beside a bare read
// of the responses.
func retally(ctx context.Context, env *Env) ([]Result, error) {
	n := env.Options.Retally
	if _, err := insertAnswers(ctx, env, "bench_retally", n); err != nil {
		return nil, err
	}
	// The floor under any recount of the responses: one pass over them
	// that does nothing with them, measured in the same run.
	start := time.Now()
	err := surveys.NewStore(env.Store.DB).EachResponse(ctx, "bench_retally", func(*surveys.Response) error { return nil })
	if err != nil {
		return nil, err
	}
	read := time.Since(start)
	stop := env.profile("rebuild")
	start = time.Now()
	err = env.Tallier.Rebuild(ctx, "bench_retally", nil)
	rebuilt := time.Since(start)
	stop()
	if err != nil {
		return nil, err
	}
	stop = env.profile("retally")
	start = time.Now()
	err = env.Tallier.Retally(ctx, "bench_retally", nil)
	took := time.Since(start)
	stop()
	if err != nil {
		return nil, err
	}
	// The goal is for 100,000 answers; a shorter run is scaled to it.
	per100k := time.Duration(float64(took) * 100_000 / float64(n))
	return []Result{{
		Name: fmt.Sprintf("retally of %d answers", n),
		Figure: fmt.Sprintf("%s (%.0f answers/s) from the answer chunks; from the responses %s, against %s to read them: ratio %.2f",
			took.Round(time.Millisecond), float64(n)/took.Seconds(), rebuilt.Round(time.Millisecond),
			read.Round(time.Millisecond), rebuilt.Seconds()/read.Seconds()),
		Goal: "≤ 10 s for 100,000", Met: per100k <= 10*time.Second,
	}}, nil
}

// dashboardCost computes a wave's results from tallies of
// Options.DashboardAnswers answers (10,000) and from tallies of the same
// shape holding a hundred times as many.
func dashboardCost(ctx context.Context, env *Env) ([]Result, error) {
	n := env.Options.DashboardAnswers
	w, err := insertAnswers(ctx, env, "bench_small", n)
	if err != nil {
		return nil, err
	}
	if err := env.Tallier.Retally(ctx, w.ID, nil); err != nil {
		return nil, err
	}
	big := *w
	big.ID, big.Name = "bench_large", "bench_large"
	if _, err := surveys.NewStore(env.Store.DB).InsertWave(ctx, &big); err != nil {
		return nil, err
	}
	if err := analysistest.CopyTallies(ctx, env.Store.DB, w.ID, big.ID, 100); err != nil {
		return nil, err
	}
	// Uncached, as the first view after a wave's results become final.
	svc := analysis.NewService(env.Store.DB)
	svc.SetLimit(0)
	view := func(id string) func() error {
		return func() error { _, err := svc.View(ctx, analysis.Reader{All: true}, id); return err }
	}
	small, err := median(5, view(w.ID))
	if err != nil {
		return nil, err
	}
	large, err := median(5, view(big.ID))
	if err != nil {
		return nil, err
	}
	ratio := large.Seconds() / small.Seconds()
	return []Result{{
		Name:   fmt.Sprintf("results from tallies, %d vs %d answers", 100*n, n),
		Figure: fmt.Sprintf("%s vs %s: ratio %.2f", ms(large), ms(small), ratio),
		Goal:   "ratio ≤ 1.5", Met: ratio <= 1.5,
	}}, nil
}

// median times f n times and returns the median duration.
func median(n int, f func() error) (time.Duration, error) {
	took := make([]time.Duration, n)
	for i := range took {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		took[i] = time.Since(start)
	}
	sortDurations(took)
	return took[n/2], nil
}

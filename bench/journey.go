package bench

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// journeyClients is the number of relatives answering at once.
const journeyClients = 10

// journeyCost runs complete journeys through the built-in survey with ten
// clients and, alternating with them in rounds, blank-form GETs with as
// many, and sets the server's CPU time per page step against its CPU time
// per blank form. A journey is one blank form and one step per page; a
// step's CPU is what a journey costs beyond its blank form, per step,
// including what the steps leave for later (the journey's versions
// written behind them, the tallier counting the answer), which is waited
// for before the clock is read.
func journeyCost(ctx context.Context, env *Env) ([]Result, error) {
	opts := env.Options
	load, note := opts.Spawn, ""
	if load == nil {
		load, note = RunLoad, "load generator in the server's process"
	}
	spec := func(kind string, n, first int) LoadSpec {
		return LoadSpec{Base: env.Base, Link: env.Link, Kind: kind, Clients: journeyClients, N: n, First: first}
	}
	// Every cache and connection is warm before the clock starts.
	if _, err := load(ctx, spec("journeys", journeyClients, 1<<20)); err != nil {
		return nil, err
	}
	if _, err := load(ctx, spec("blank", 10*journeyClients, 1<<20)); err != nil {
		return nil, err
	}
	settle := func() error {
		if err := env.Tallier.Flush(ctx); err != nil {
			return err
		}
		time.Sleep(300 * time.Millisecond) // the journeys' writer gathers for 100 ms
		return nil
	}
	if err := settle(); err != nil {
		return nil, err
	}
	stop := env.profile("journey")
	defer stop()
	const rounds = 4
	var (
		steps              []int64
		journeyWall        time.Duration
		stepCPU, blankCPU  time.Duration
		nSteps, nJourneys  int
		nBlank             int
		ratios             []float64
		measured           = true
		perRound, perBlank = max(opts.Journeys/rounds, 1), max(opts.BlankForms/rounds, 1)
	)
	for r := range rounds {
		c0, ok0 := processCPU()
		jr, err := load(ctx, spec("journeys", perRound, r*perRound))
		if err != nil {
			return nil, err
		}
		if err := settle(); err != nil {
			return nil, err
		}
		c1, ok1 := processCPU()
		if _, err := load(ctx, spec("blank", perBlank, r*perBlank)); err != nil {
			return nil, err
		}
		if err := settle(); err != nil {
			return nil, err
		}
		c2, ok2 := processCPU()
		measured = measured && ok0 && ok1 && ok2
		blank := (c2 - c1) / time.Duration(perBlank)
		// A journey's own blank form is taken out: what is left are its steps.
		step := (c1 - c0 - time.Duration(perRound)*blank) / time.Duration(max(len(jr.Steps), 1))
		ratios = append(ratios, float64(step)/float64(max(blank, 1)))
		steps = append(steps, jr.Steps...)
		journeyWall += jr.Wall
		stepCPU += c1 - c0 - time.Duration(perRound)*blank
		blankCPU += c2 - c1
		nSteps += len(jr.Steps)
		nJourneys += perRound
		nBlank += perBlank
	}
	stop()
	slices.Sort(steps)
	slices.Sort(ratios)
	ratio := (ratios[rounds/2-1] + ratios[rounds/2]) / 2
	at := func(p float64) string {
		return ms(time.Duration(percentile(durations(steps), p)))
	}
	results := []Result{{
		Name: fmt.Sprintf("journeys through the built-in survey, %d clients, %d journeys", journeyClients, nJourneys),
		Figure: fmt.Sprintf("%.1f journeys/s, %.1f steps per journey; page step p50 %s, p99 %s",
			float64(nJourneys)/journeyWall.Seconds(), float64(nSteps)/float64(nJourneys), at(.5), at(.99)),
		Goal: "(measured)", Met: true, Note: note,
	}}
	if !measured {
		return results, nil
	}
	return append(results, Result{
		Name: "server CPU per page step vs per blank form",
		Figure: fmt.Sprintf("%d µs vs %d µs: ratio %.2f (median of %d rounds)",
			(stepCPU / time.Duration(nSteps)).Microseconds(), (blankCPU / time.Duration(nBlank)).Microseconds(), ratio, rounds),
		Goal: "ratio ≤ 3", Met: ratio <= 3, Note: note,
	}), nil
}

func durations(us []int64) []time.Duration {
	out := make([]time.Duration, len(us))
	for i, u := range us {
		out[i] = time.Duration(u) * time.Microsecond
	}
	return out
}

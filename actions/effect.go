package actions

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// EffectState says what can be said about a finding in a later wave.
type EffectState string

// Effect states.
const (
	// Measured: a later wave measured the same thing for the same units.
	Measured EffectState = "measured"
	// NotYet: no later wave has measured it.
	NotYet EffectState = "not_yet"
	// ChangedUnits: a later wave measured it, but for other units, so the
	// two values are not about the same relatives.
	ChangedUnits EffectState = "changed_units"
	// TooFew: one of the two sides is suppressed (too few answers).
	TooFew EffectState = "too_few"
)

// Effect is a finding's value in its own wave and in the first later wave
// that measured the same question or focus area for the same units.
type Effect struct {
	Finding Finding
	State   EffectState
	// Later is the later wave, set unless NotYet.
	Later *surveys.Wave
	// Before and After are the 0–100 indices with their intervals; set
	// only when Measured. Test is nil when no test is possible (N < 2).
	Before, After *analysis.Interval
	Test          *analysis.Welch
}

// Effects computes the effect of each of an action's findings, as rd may
// read them: only waves whose results rd may read count, before or after.
// Results come from the results service (svc), so everything is already
// suppressed and final; they are shared between the findings of one call.
func Effects(ctx context.Context, svc *analysis.Service, db *mongo.Database, a *Action, rd analysis.Reader) ([]Effect, error) {
	ev, err := NewEvaluator(ctx, svc, db, rd)
	if err != nil {
		return nil, err
	}
	out := make([]Effect, 0, len(a.Findings))
	for _, f := range a.Findings {
		e, ok, err := ev.Effect(ctx, f)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// Evaluator computes effects of many findings with one list of waves and
// one view of each wave's results.
type Evaluator struct {
	svc     *analysis.Service
	db      *mongo.Database
	rd      analysis.Reader
	waves   []surveys.Wave
	results map[string]*analysis.Results
	ins     map[string]*surveys.Instrument
}

// NewEvaluator reads the waves rd may read once. The effect of an action is
// measured only by closed, counted waves: a wave still open has no results.
func NewEvaluator(ctx context.Context, svc *analysis.Service, db *mongo.Database, rd analysis.Reader) (*Evaluator, error) {
	waves, err := svc.Waves(ctx, rd)
	if err != nil {
		return nil, err
	}
	var ready []surveys.Wave
	for _, w := range waves {
		if w.ResultsReady() {
			ready = append(ready, w)
		}
	}
	return &Evaluator{svc: svc, db: db, rd: rd, waves: ready, results: map[string]*analysis.Results{},
		ins: map[string]*surveys.Instrument{}}, nil
}

// Results reads (once) the suppressed results of a wave, as the reader may.
func (ev *Evaluator) Results(ctx context.Context, wave string) (*analysis.Results, error) {
	if r, ok := ev.results[wave]; ok {
		return r, nil
	}
	v, err := ev.svc.View(ctx, ev.rd, wave)
	if err != nil {
		return nil, fmt.Errorf("actions: results of %s: %w", wave, err)
	}
	if v.Results == nil {
		return nil, fmt.Errorf("actions: results of %s: %w", wave, analysis.ErrNoResults)
	}
	ev.results[wave] = v.Results
	return v.Results, nil
}

func (ev *Evaluator) wave(id string) *surveys.Wave {
	for i := range ev.waves {
		if ev.waves[i].ID == id {
			return &ev.waves[i]
		}
	}
	return nil
}

func (ev *Evaluator) counts(w *surveys.Wave) bool { return w.ResultsReady() }

// Effect computes one finding's effect; ok is false when the finding's
// own wave is gone or not the reader's to read.
func (ev *Evaluator) Effect(ctx context.Context, f Finding) (Effect, bool, error) {
	origin := ev.wave(f.Wave)
	if origin == nil || !ev.counts(origin) {
		return Effect{}, false, nil
	}
	e := Effect{Finding: f, State: NotYet}
	later, changed, err := ev.laterWave(ctx, origin, f)
	if err != nil {
		return Effect{}, false, err
	}
	switch {
	case later != nil:
		e.Later = later
	case changed != nil:
		e.Later, e.State = changed, ChangedUnits
		return e, true, nil
	default:
		return e, true, nil
	}
	before, err := ev.item(ctx, origin.ID, f)
	if err != nil {
		return Effect{}, false, err
	}
	after, err := ev.item(ctx, later.ID, f)
	if err != nil {
		return Effect{}, false, err
	}
	if before == nil || after == nil {
		e.State = TooFew
		return e, true, nil
	}
	if f.Unit == analysis.Municipality && !sameSet(before.Units, after.Units) {
		// The totals add up different units (one was too small to show
		// in one of the waves): another population.
		e.State = ChangedUnits
		return e, true, nil
	}
	e.State = Measured
	b, a := before.Index, after.Index
	e.Before, e.After = &b, &a
	if w, ok := analysis.CompareItems(after, before); ok {
		e.Test = &w
	}
	return e, true, nil
}

// item is the finding's measure in a wave's suppressed results, or nil
// when it is hidden or was not answered.
func (ev *Evaluator) item(ctx context.Context, wave string, f Finding) (*analysis.Item, error) {
	r, err := ev.Results(ctx, wave)
	if err != nil {
		return nil, err
	}
	return ShownItem(r, f.Unit, f.Item, f.Focus), nil
}

// ShownItem is a measure of a unit (or the municipality) in suppressed
// results, or nil when the group or the measure is hidden or absent.
func ShownItem(r *analysis.Results, unit, item, focus string) *analysis.Item {
	g := r.Group(unit, "", "")
	if g.Hidden {
		return nil
	}
	it := g.Items[item]
	if item == "" {
		it = g.Focus[focus]
	}
	if it == nil || it.Hidden || it.Valid == 0 {
		return nil
	}
	return it
}

// laterWave finds the first wave after origin (by opening date) that
// measured the finding's question or focus area for the same units. For a
// unit, that is the first later wave including the unit; for the
// municipality, the first later wave with exactly the origin's units. When
// no such wave exists but a later wave measured the measure for an
// overlapping but different set of units, that wave is returned as changed.
func (ev *Evaluator) laterWave(ctx context.Context, origin *surveys.Wave, f Finding) (same, changed *surveys.Wave, err error) {
	cands := make([]*surveys.Wave, 0, len(ev.waves))
	for i := range ev.waves {
		w := &ev.waves[i]
		if w.ID != origin.ID && w.Opens > origin.Opens && ev.counts(w) {
			cands = append(cands, w)
		}
	}
	slices.SortFunc(cands, func(a, b *surveys.Wave) int {
		if a.Opens != b.Opens {
			if a.Opens < b.Opens {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	for _, w := range cands {
		measures, err := ev.measures(ctx, w, f)
		if err != nil {
			return nil, nil, err
		}
		if !measures {
			continue
		}
		overlap := slices.ContainsFunc(w.Units, func(u string) bool { return slices.Contains(origin.Units, u) })
		switch {
		case f.Unit != "" && slices.Contains(w.Units, f.Unit):
			return w, nil, nil
		case f.Unit == "" && sameSet(w.Units, origin.Units):
			return w, nil, nil
		case f.Unit == "" && overlap && changed == nil:
			changed = w
		}
	}
	return nil, changed, nil
}

// measures reports whether a wave's instrument has the finding's question
// (same key) or focus area (same key, with at least one question in it).
func (ev *Evaluator) measures(ctx context.Context, w *surveys.Wave, f Finding) (bool, error) {
	in, ok := ev.ins[w.Instrument]
	if !ok {
		var err error
		if in, err = surveys.NewStore(ev.db).Instrument(ctx, w.Instrument); err != nil {
			return false, err
		}
		ev.ins[w.Instrument] = in
	}
	for _, q := range in.Questions() {
		if (f.Item != "" && q.Key == f.Item) || (f.Item == "" && q.FocusArea == f.Focus && q.Type == surveys.TypeScale) {
			return true, nil
		}
	}
	return false, nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// Errors of linking a finding.
var (
	ErrHidden  = errors.New("actions: the finding is hidden (too few answers) and cannot be linked")
	ErrMeasure = errors.New("actions: the wave has no such question or focus area")
)

// NewFinding reads a finding's value from a wave's suppressed results, to
// store with the link. A hidden measure cannot be linked: its value must
// not be stored anywhere.
func NewFinding(r *analysis.Results, unit, item, focus string) (Finding, error) {
	if (item == "") == (focus == "") {
		return Finding{}, ErrMeasure
	}
	if unit != analysis.Municipality && !slices.Contains(r.Units, unit) {
		return Finding{}, ErrMeasure
	}
	if item != "" {
		if q, ok := r.Instrument.Question(item); !ok || q.Type != surveys.TypeScale {
			return Finding{}, ErrMeasure
		}
	} else if !slices.ContainsFunc(r.Instrument.FocusAreas, func(a surveys.FocusArea) bool { return a.Key == focus }) {
		return Finding{}, ErrMeasure
	}
	it := ShownItem(r, unit, item, focus)
	if it == nil {
		return Finding{}, ErrHidden
	}
	return Finding{Wave: r.Wave.ID, Unit: unit, Item: item, Focus: focus,
		Index: it.Index.Mean, Lo: it.Index.Lo, Hi: it.Index.Hi, N: it.Index.N}, nil
}

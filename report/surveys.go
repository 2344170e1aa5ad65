package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// Survey is one published wave of the year, as the public reads it.
type Survey struct {
	ID, Name string
	// Period is when it took answers; Published the day it was published.
	Period, Published string
	// Answered says how many answered the total (and the response rate);
	// Coverage which units the total adds up and how many are hidden.
	Answered, Coverage string
	TotalHidden        bool
	// Previous names the published wave compared with, "" when none.
	Previous string
	Focus    []Measure
	// Best and Worst are the questions with the highest and lowest index.
	Best, Worst []Measure
	// FocusNames head the columns of Units: one row per unit of the wave.
	FocusNames []string
	Units      []UnitRow
}

// Measure is a focus area or question of the total, as shown.
type Measure struct {
	Name   string
	Hidden bool
	N      string
	// Index (0–100), its 95 % interval and the share answering 5 or 6.
	Index, Interval, Positive string
	// Change says in words how it moved since the previous wave;
	// Direction is up, down, same or "" (no comparison).
	Change, Direction string
	Significant       bool
	// Value, Lo, Hi and Previous draw the charts; NaN when not shown.
	Value, Lo, Hi, Previous float64
}

// UnitRow is one unit's respondents and focus-area indices.
type UnitRow struct {
	Name        string
	Hidden      bool
	Respondents string
	Cells       []Cell
}

// Cell is one index of a unit; Hidden when suppressed.
type Cell struct {
	Text   string
	Hidden bool
	Value  float64
}

// listed is how many questions Best and Worst hold.
const listed = 3

func waveYear(w *surveys.Wave) int {
	if w.Year != 0 {
		return w.Year
	}
	y, _ := strconv.Atoi(w.Closes[:min(4, len(w.Closes))])
	return y
}

// surveys reads the year's published waves from the results service as
// the public reads them, and counts the year's closed waves it leaves out.
func (r *Report) surveys(ctx context.Context, src Sources, names unitNames) error {
	all, err := src.Surveys.Waves(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	published, err := src.Results.Waves(ctx, analysis.Public)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, w := range all {
		if waveYear(&w) == r.Year && w.Status == surveys.WaveClosed &&
			!slices.ContainsFunc(published, func(p surveys.Wave) bool { return p.ID == w.ID }) {
			r.Unpublished++
		}
	}
	slices.SortStableFunc(published, func(a, b surveys.Wave) int { return cmp.Compare(a.Opens, b.Opens) })
	for _, w := range published {
		if waveYear(&w) != r.Year {
			continue
		}
		view, err := src.Results.View(ctx, analysis.Public, w.ID)
		if err != nil {
			return fmt.Errorf("report: results of %s: %w", w.ID, err)
		}
		if view.Results == nil {
			continue // not final: no results yet
		}
		r.Surveys = append(r.Surveys, r.survey(view.Results, names))
	}
	return nil
}

func (r *Report) survey(res *analysis.Results, names unitNames) Survey {
	w := res.Wave
	s := Survey{ID: w.ID, Name: w.Name, Period: r.date(w.Opens) + "–" + r.date(w.Closes), Published: r.date(w.Published)}
	if res.Previous != nil {
		s.Previous = res.Previous.Name
	}
	total := res.Group(analysis.Municipality, analysis.AllSegment, "")
	s.TotalHidden = total.Hidden
	switch {
	case total.Hidden:
		s.Answered = r.T("report.survey.total_hidden")
	case math.IsNaN(total.Rate):
		s.Answered = r.T("report.survey.answered", "N", whole(float64(total.Respondents)))
	default:
		s.Answered = r.T("report.survey.answered_rate", "N", whole(float64(total.Respondents)), "Rate", r.pct(total.Rate))
	}
	s.Coverage = r.T("report.survey.coverage", "Shown", len(res.Shown), "Units", len(res.Units))
	if hidden := len(res.Units) - len(res.Shown); hidden > 0 {
		s.Coverage += " " + r.T("report.survey.units_hidden", "Count", hidden)
	}
	lang := r.Lang
	for _, fa := range res.Instrument.FocusAreas {
		var it *analysis.Item
		if !total.Hidden {
			it = total.Focus[fa.Key]
		}
		s.Focus = append(s.Focus, r.measure(fa.Name.In(lang), it))
		s.FocusNames = append(s.FocusNames, fa.Name.In(lang))
	}
	s.Best, s.Worst = r.bestAndWorst(res, total)
	for _, u := range res.Units {
		s.Units = append(s.Units, r.unitRow(res, names.of(u), res.Group(u, analysis.AllSegment, "")))
	}
	return s
}

// measure describes one item or focus area of the total, copying what the
// results show; a hidden one carries no figure at all.
func (r *Report) measure(name string, it *analysis.Item) Measure {
	m := Measure{Name: name, Hidden: it == nil || it.Hidden || math.IsNaN(it.Index.Mean),
		Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Previous: math.NaN()}
	if m.Hidden {
		return m
	}
	m.N, m.Index, m.Interval, m.Positive = whole(float64(it.N)), whole(it.Index.Mean), span(it.Index), r.pct(it.Positive)
	m.Value, m.Lo, m.Hi = it.Index.Mean, it.Index.Lo, it.Index.Hi
	c := it.VsPrevious
	switch {
	case it.NotComparable != "":
		m.Change = r.T("report.change.not_comparable")
	case c != nil && !math.IsNaN(c.Other.Mean):
		m.Previous = c.Other.Mean
		// The change between the two whole numbers shown, so that a
		// reader who subtracts them gets the same.
		diff := math.Round(it.Index.Mean) - math.Round(c.Other.Mean)
		m.Direction = analysis.Direction(diff)
		// Only a clear change is marked: significant and at least
		// analysis.MeaningfulChange points, as on the pages.
		m.Significant = analysis.Clear(diff, c.Test.Significant) && m.Direction != "same"
		key := "report.change." + m.Direction
		if m.Significant {
			key += "_sig"
		}
		m.Change = r.T(key, "Diff", whole(math.Abs(diff)), "Other", whole(c.Other.Mean))
	}
	return m
}

// bestAndWorst are the shown scale questions of the total with the highest
// and the lowest index, the lowest first in the second list.
func (r *Report) bestAndWorst(res *analysis.Results, total *analysis.Group) (best, worst []Measure) {
	if total.Hidden {
		return nil, nil
	}
	var items []Measure
	for _, q := range res.Instrument.Questions() {
		if q.Type != surveys.TypeScale {
			continue
		}
		if m := r.measure(q.Text.In(r.Lang), total.Items[q.Key]); !m.Hidden {
			items = append(items, m)
		}
	}
	slices.SortStableFunc(items, func(a, b Measure) int { return cmp.Compare(b.Value, a.Value) })
	best = items[:min(listed, len(items))]
	for i := len(items) - 1; i >= 0 && i >= len(items)-listed; i-- {
		worst = append(worst, items[i])
	}
	return best, worst
}

func (r *Report) unitRow(res *analysis.Results, name string, g *analysis.Group) UnitRow {
	row := UnitRow{Name: name, Hidden: g.Hidden}
	if g.Hidden {
		return row
	}
	row.Respondents = whole(float64(g.Respondents))
	for _, fa := range res.Instrument.FocusAreas {
		it := g.Focus[fa.Key]
		if it == nil || it.Hidden || math.IsNaN(it.Index.Mean) {
			row.Cells = append(row.Cells, Cell{Hidden: true, Value: math.NaN()})
			continue
		}
		row.Cells = append(row.Cells, Cell{Text: whole(it.Index.Mean), Value: it.Index.Mean})
	}
	return row
}

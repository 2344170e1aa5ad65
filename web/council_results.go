package web

import (
	"cmp"
	"context"
	"html/template"
	"math"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// councilView is the relatives' council's plain-language report of one
// published wave: readable on a phone, and printable as a clean document.
type councilView struct {
	Waves    []option
	Wave     *surveys.Wave
	Previous string
	// Intro says how many answered, in words.
	Intro       string
	Best, Worst []summaryItem
	Changes     []summaryChange
	Focus       []measureRow
	FocusChart  template.HTML
	Heat        heatMap
	Actions     []councilAction
	How         howToRead
}

// summaryItem is one finding, stated as a sentence.
type summaryItem struct {
	Sentence string
}

type summaryChange struct {
	Name, Text string
	// Clear marks a change that is significant and meaningful (analysis.Clear).
	Clear     bool
	Direction string
}

// councilAction is an action linked to the wave's results.
type councilAction struct {
	Title, Owner, Due, Status string
}

// councilActions lists the actions linked to a wave's findings.
func (h *handler) councilActions(ctx context.Context, p *page, r *analysis.Results) ([]councilAction, error) {
	list, err := h.actions.ForWave(ctx, r.Wave.ID)
	if err != nil {
		return nil, err
	}
	out := make([]councilAction, 0, len(list))
	for _, a := range list {
		out = append(out, councilAction{Title: a.Title, Owner: a.Owner, Due: a.Period,
			Status: p.T("actions.status." + string(a.Status))})
	}
	return out, nil
}

// summarySize is how many findings each list of the summary shows.
const summarySize = 3

// changesShown is how many changes since the previous wave are listed.
const changesShown = 5

// councilResults shows a published wave to the council (and to advisors,
// who see what the council sees). An unpublished wave does not exist here.
func (h *handler) councilResults(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "results.council.title")
	// The report shows what the council sees, to advisors too: published
	// waves, compared only with published waves.
	waves, err := h.results.Waves(ctx, analysis.Public)
	if err != nil {
		return storeError(err)
	}
	waveID := c.Query("wave")
	v := councilView{}
	for _, x := range waves {
		if waveID == "" {
			waveID = x.ID
		}
		v.Waves = append(v.Waves, option{Value: x.ID, Label: x.Name, Selected: x.ID == waveID})
	}
	if waveID == "" {
		p.Data = v
		return h.views.render(c, fiber.StatusOK, "council_results", p)
	}
	view, err := h.view(ctx, analysis.Public, waveID)
	if err != nil {
		return resultsError(err)
	}
	w, r := view.Wave, view.Results
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	f := newFigures(p)
	f.plain = true
	v.Wave = w
	v.How = newHowToRead(p, councilPlain, r.Instrument, r.Threshold)
	if r.Previous != nil {
		v.Previous = r.Previous.Name
	}
	g := r.Group(analysis.Municipality, analysis.AllSegment, "")
	switch {
	case g.Hidden:
		v.Intro = p.T("results.council.intro_hidden")
	case math.IsNaN(g.Rate):
		v.Intro = p.T("results.council.intro_norate", "N", f.whole(float64(g.Respondents)))
	default:
		v.Intro = p.T("results.council.intro", "N", f.whole(float64(g.Respondents)), "Rate", f.pct(g.Rate))
	}
	v.Best, v.Worst = bestAndWorst(f, r, g)
	v.Focus = focusRows(f, r, g, "council", false)
	v.FocusChart = focusChart(f, "council-chart", v.Focus)
	v.Changes = biggestChanges(f, r, g, v.Focus)
	v.Heat = newHeatMap(f, r, "council-heat", p.T("results.heat.caption"), p.T("results.unit"))
	v.Heat.addRow(f, r, p.T("results.municipality"), g)
	for _, u := range w.Units {
		v.Heat.addRow(f, r, names.of(u), r.Group(u, analysis.AllSegment, ""))
	}
	if v.Actions, err = h.councilActions(ctx, p, r); err != nil {
		return storeError(err)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "council_results", p)
}

// bestAndWorst are the shown scale items with the highest and the lowest
// index for the whole municipality, lowest first in the second list.
func bestAndWorst(f figures, r *analysis.Results, g *analysis.Group) (best, worst []summaryItem) {
	type ranked struct {
		q  surveys.Question
		it *analysis.Item
	}
	var items []ranked
	for _, q := range r.Instrument.Questions() {
		it := g.Items[q.Key]
		if q.Type != surveys.TypeScale || g.Hidden || it == nil || it.Hidden || math.IsNaN(it.Index.Mean) {
			continue
		}
		items = append(items, ranked{q, it})
	}
	slices.SortStableFunc(items, func(a, b ranked) int { return cmp.Compare(b.it.Index.Mean, a.it.Index.Mean) })
	summary := func(x ranked) summaryItem {
		return summaryItem{Sentence: findingSentence(f, r.Instrument, x.q, x.it)}
	}
	for i := 0; i < len(items) && i < summarySize; i++ {
		best = append(best, summary(items[i]))
	}
	for i := len(items) - 1; i >= 0 && i >= len(items)-summarySize; i-- {
		worst = append(worst, summary(items[i]))
	}
	return best, worst
}

// biggestChanges lists the focus areas and items that moved most since the
// previous wave: clear changes (significant and at least
// analysis.MeaningfulChange points) first, then by size.
func biggestChanges(f figures, r *analysis.Results, g *analysis.Group, focus []measureRow) []summaryChange {
	type moved struct {
		name  string
		it    *analysis.Item
		diff  float64
		clear bool
	}
	var all []moved
	add := func(name string, it *analysis.Item) {
		if it == nil || it.Hidden || it.VsPrevious == nil || math.IsNaN(it.Index.Mean) || math.IsNaN(it.VsPrevious.Other.Mean) {
			return
		}
		diff := it.Index.Mean - it.VsPrevious.Other.Mean
		shown := math.Round(it.Index.Mean) - math.Round(it.VsPrevious.Other.Mean)
		all = append(all, moved{name, it, diff, analysis.Clear(shown, it.VsPrevious.Test.Significant)})
	}
	if g.Hidden {
		return nil
	}
	for _, row := range focus {
		add(row.Name, row.item)
	}
	for _, q := range r.Instrument.Questions() {
		if q.Type == surveys.TypeScale {
			add(q.Text.In(f.p.Lang), g.Items[q.Key])
		}
	}
	slices.SortStableFunc(all, func(a, b moved) int {
		if a.clear != b.clear {
			if a.clear {
				return -1
			}
			return 1
		}
		return cmp.Compare(math.Abs(b.diff), math.Abs(a.diff))
	})
	var out []summaryChange
	for _, m := range all[:min(len(all), changesShown)] {
		d := analysis.Direction(m.diff)
		clear := m.clear && d != "same"
		key := "results.council.change." + d
		switch {
		case clear:
			key += "_sig"
		case d != "same" && m.it.VsPrevious.Test.Significant:
			key = "difference.council." + d + "_small"
		}
		out = append(out, summaryChange{Name: m.name, Clear: clear, Direction: d,
			Text: f.p.T(key, "From", f.whole(m.it.VsPrevious.Other.Mean), "To", f.whole(m.it.Index.Mean))})
	}
	return out
}

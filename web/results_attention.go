package web

import (
	"cmp"
	"context"
	"math"
	"net/url"
	"slices"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

// attentionView opens the advisor dashboard with what needs attention,
// before the detail: the weakest focus areas, the largest changes since
// the previous wave, the units that differ from the rest, and the work
// waiting (overdue contact requests, texts not yet reviewed). Like the
// rest of the dashboard it only copies what analysis.Results shows: a
// hidden group contributes nothing, so a hidden unit is never named here.
type attentionView struct {
	Weakest []attentionArea
	// Changes are measured against Previous, the previous comparable wave.
	Changes  []summaryChange
	Previous string
	Differ   []unitDifference
	// Overdue counts contact requests past the two-working-day deadline in
	// the units the user reads; OverdueLink is set if the user handles them.
	Overdue     int
	OverdueLink string
	// Pending counts this wave's free text awaiting review, in scope.
	Pending     int
	PendingLink string
}

// attentionArea is one of the weakest focus areas of the group shown.
type attentionArea struct {
	Name, Index, Interval string
}

// unitDifference is a unit whose focus area differs clearly from the
// other units: Welch's t-test, p < 0.05, and at least
// analysis.MeaningfulChange index points (analysis.Clear).
type unitDifference struct {
	Unit, Area, Index, Rest, Direction, P, Link string
	// size is the difference in index points, either way.
	size float64
}

// attentionSize is how many entries each list at the top shows.
const attentionSize = 3

// differencesShown is how many clear unit differences are listed, and
// differencesPerUnit how many of them one unit may take.
const (
	differencesShown   = 5
	differencesPerUnit = 2
)

// weakestAreas are the shown focus areas of a group, lowest index first.
func weakestAreas(focus []measureRow) []attentionArea {
	rows := slices.DeleteFunc(slices.Clone(focus), func(m measureRow) bool {
		return m.Hidden || m.item == nil || math.IsNaN(m.item.Index.Mean)
	})
	slices.SortStableFunc(rows, func(a, b measureRow) int { return cmp.Compare(a.item.Index.Mean, b.item.Index.Mean) })
	var out []attentionArea
	for _, m := range rows[:min(len(rows), attentionSize)] {
		out = append(out, attentionArea{Name: m.Name, Index: m.Index, Interval: m.Interval})
	}
	return out
}

// unitDifferences lists the focus areas where a unit in scope (every unit
// the reader sees for the total, else the one unit) differs clearly from
// the rest, largest first. Hidden units have no comparison at all.
func unitDifferences(f figures, r *analysis.Results, rd analysis.Reader, unit string, names unitIndex) []unitDifference {
	units := []string{unit}
	if unit == analysis.Municipality {
		units = slices.DeleteFunc(slices.Clone(r.Wave.Units), func(u string) bool { return !rd.SeesUnit(r.Wave, u) })
	}
	var out []unitDifference
	for _, u := range units {
		g := r.Group(u, analysis.AllSegment, "")
		if g == nil || g.Hidden {
			continue
		}
		for _, fa := range r.Instrument.FocusAreas {
			it := g.Focus[fa.Key]
			if it == nil || it.Hidden || it.VsRest == nil || !it.VsRest.Test.Significant || math.IsNaN(it.Index.Mean) {
				continue
			}
			diff := math.Round(it.Index.Mean) - math.Round(it.VsRest.Other.Mean)
			d := analysis.Direction(diff)
			if d == "same" || !analysis.Clear(diff, true) {
				continue
			}
			out = append(out, unitDifference{Unit: names.of(u), Area: fa.Name.In(f.p.Lang), Index: f.whole(it.Index.Mean),
				Rest: f.whole(it.VsRest.Other.Mean), Direction: d, P: pValue(f, it.VsRest.Test.P), size: math.Abs(it.Index.Mean - it.VsRest.Other.Mean),
				Link: "/admin/results?" + url.Values{"wave": {r.Wave.ID}, "unit": {u}}.Encode() + "#focus"})
		}
	}
	// The largest differences first, at most two per unit, so that one
	// unit far from the rest does not hide the others.
	slices.SortStableFunc(out, func(a, b unitDifference) int { return cmp.Compare(b.size, a.size) })
	perUnit := map[string]int{}
	shown := out[:0]
	for _, d := range out {
		if perUnit[d.Unit] < differencesPerUnit && len(shown) < differencesShown {
			perUnit[d.Unit]++
			shown = append(shown, d)
		}
	}
	return shown
}

// pValue writes p as statisticians read it: "< 0,001" below a thousandth.
func pValue(f figures, p float64) string {
	if p < 0.001 {
		return "< " + f.dec(0.001, 3)
	}
	return f.dec(p, 3)
}

// attention gathers the top of the dashboard for the group shown.
func (h *handler) attention(ctx context.Context, f figures, r *analysis.Results, rd analysis.Reader, v *resultsView, names unitIndex) (attentionView, error) {
	a := attentionView{Weakest: weakestAreas(v.Focus)}
	g := r.Group(v.Unit, analysis.AllSegment, "")
	if r.Previous != nil {
		a.Previous = r.Previous.Name
		changes := biggestChanges(f, r, g, v.Focus)
		a.Changes = changes[:min(len(changes), attentionSize)]
	}
	a.Differ = unitDifferences(f, r, rd, v.Unit, names)
	for _, row := range v.Texts.Rows {
		a.Pending += row.Counts[slices.Index(textStatuses, analysis.TextPending)]
	}
	u := f.p.User
	if a.Pending > 0 && u.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		a.PendingLink = "/admin/review?" + url.Values{"wave": {r.Wave.ID}, "status": {analysis.TextPending}}.Encode()
	}
	// Contact requests are counted, never shown, in the units the user
	// reads results of; only those who handle them get the link.
	requests, err := h.feedback.Requests(ctx, rd.Units, rd.All, false)
	if err != nil {
		return a, err
	}
	now := h.cfg.Now()
	for _, req := range requests {
		if req.Overdue(now) {
			a.Overdue++
		}
	}
	if _, all := feedback.HandledUnits(*u); a.Overdue > 0 && (all || len(u.UnitsFor(staff.RoleFollowUp)) > 0) {
		a.OverdueLink = "/admin/followup"
	}
	return a, nil
}

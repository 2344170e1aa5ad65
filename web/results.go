package web

import (
	"html/template"
	"math"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// resultsView is the advisor dashboard: one wave, one unit (or the whole
// municipality), one background question to break the results down by.
type resultsView struct {
	// Meaningful is analysis.MeaningfulChange, for the page's explanation
	// of which differences are marked.
	Meaningful              int
	Waves, Units, Segments  []option
	Wave                    *surveys.Wave
	Unit, UnitName          string
	Segment, SegmentName    string
	Previous                string
	Hidden                  bool
	Respondents, Rate       string
	Focus                   []measureRow
	FocusChart              template.HTML
	Items                   []itemGroup
	Breakdown               heatMap
	Heat                    heatMap
	Rates                   []rateRow
	Texts                   textTable
	Categories              []string
	CanPublish, CanWithdraw bool
	Error                   string
	// State is the wave's analysis.State; Participation is set while open.
	State         int
	Participation []participationRow
	// TotalUnits says how many units the total adds up; K is the threshold.
	TotalUnits string
	K          int
	// Attention opens the page: what needs attention, before the detail.
	Attention attentionView
}

type rateRow struct {
	Name, Respondents, Rate string
	Hidden                  bool
	// PopulationTooSmall: more answers than relatives recorded.
	PopulationTooSmall bool
}

// participationRow is one unit of an open wave: how many have answered, in
// steps of k, and the response rate those bounds give.
type participationRow struct {
	Name, Answers, Rate string
}

// resultsShow is the advisor dashboard (GET form: wave, unit, segment).
func (h *handler) resultsShow(c *fiber.Ctx) error {
	return h.renderResults(c, fiber.StatusOK, "", c.Query("wave"))
}

func (h *handler) renderResults(c *fiber.Ctx, status int, errKey, waveID string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "results.title")
	rd := readerOf(p.User)
	waves, err := h.results.Waves(ctx, rd)
	if err != nil {
		return storeError(err)
	}
	v := resultsView{Meaningful: analysis.MeaningfulChange}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	if waveID == "" {
		// The newest wave with results, else the newest.
		for i := range waves {
			if waves[i].ResultsReady() {
				waveID = waves[i].ID
				break
			}
		}
		if waveID == "" && len(waves) > 0 {
			waveID = waves[0].ID
		}
	}
	for _, x := range waves {
		v.Waves = append(v.Waves, option{Value: x.ID, Label: x.Name, Selected: x.ID == waveID})
	}
	if len(v.Waves) == 0 {
		p.Data = v
		return h.views.render(c, status, "results", p)
	}
	view, err := h.view(ctx, rd, waveID)
	if err != nil {
		return resultsError(err)
	}
	w := view.Wave
	v.Wave, v.State = w, int(view.State)
	v.K = analysis.ClampThreshold(w.Threshold)
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	f := newFigures(p)
	if view.State == analysis.StateOpen {
		for _, up := range view.Participation.Units {
			row := participationRow{Name: names.of(up.Unit),
				Answers: p.T("results.participation.step", "From", up.From, "To", up.To)}
			if !math.IsNaN(up.RateLo) {
				row.Rate = f.pct(up.RateLo) + "–" + f.pct(up.RateHi)
			}
			v.Participation = append(v.Participation, row)
		}
	}
	if view.State != analysis.StateFinal {
		p.Data = v
		return h.views.render(c, status, "results", p)
	}
	r := view.Results
	unit, err := chosenUnit(c, rd, w)
	if err != nil {
		return err
	}
	v.Unit = unit
	v.CanPublish = rd.All && w.Published == ""
	v.CanWithdraw = rd.All && w.Published != ""
	if r.Previous != nil {
		v.Previous = r.Previous.Name
	}
	v.Units = append(v.Units, option{Value: analysis.Municipality, Label: p.T("results.municipality"), Selected: unit == ""})
	for _, u := range w.Units {
		if rd.SeesUnit(w, u) {
			v.Units = append(v.Units, option{Value: u, Label: names.of(u), Selected: u == unit})
		}
	}
	v.UnitName = p.T("results.municipality")
	if unit != analysis.Municipality {
		v.UnitName = names.of(unit)
	}
	v.TotalUnits = p.T("results.total_units", "Shown", len(r.Shown), "All", len(r.Units), "K", r.Threshold)
	g := r.Group(unit, analysis.AllSegment, "")
	v.Hidden = g.Hidden
	if !g.Hidden {
		v.Respondents, v.Rate = f.whole(float64(g.Respondents)), f.pct(g.Rate)
	}
	v.Focus = focusRows(f, r, g, "focus", true)
	v.FocusChart = focusChart(f, "focus-chart", v.Focus)
	v.Items = itemGroups(f, r, g, true)
	v.Categories = categories(p)
	if err := h.breakdown(c, f, r, &v); err != nil {
		return err
	}
	v.Heat = newHeatMap(f, r, "heat", p.T("results.heat.caption"), p.T("results.unit"))
	v.Heat.addRow(f, r, p.T("results.municipality"), r.Group(analysis.Municipality, analysis.AllSegment, ""))
	v.Rates = append(v.Rates, rateOf(f, p.T("results.municipality"), r.Group(analysis.Municipality, analysis.AllSegment, "")))
	for _, u := range w.Units {
		if rd.SeesUnit(w, u) {
			v.Heat.addRow(f, r, names.of(u), r.Group(u, analysis.AllSegment, ""))
			v.Rates = append(v.Rates, rateOf(f, names.of(u), r.Group(u, analysis.AllSegment, "")))
		}
	}
	if v.Texts, err = h.textTable(ctx, p, r, rd, unit); err != nil {
		return storeError(err)
	}
	if v.Attention, err = h.attention(ctx, f, r, rd, &v, names); err != nil {
		return storeError(err)
	}
	if done := c.Query("done"); done == "published" || done == "withdrawn" {
		p.Notice = p.T("results.done."+done, "Name", w.Name)
	}
	p.Data = v
	return h.views.render(c, status, "results", p)
}

// chosenUnit reads the unit asked for: absent means the total for those
// who read every unit, and the first own unit of the wave for unit leaders.
// A unit outside the user's grants is refused (403), one outside the wave
// is bad input.
func chosenUnit(c *fiber.Ctx, rd analysis.Reader, w *surveys.Wave) (string, error) {
	if !c.Context().QueryArgs().Has("unit") {
		if rd.All || (rd.Published && w.Published != "") {
			return analysis.Municipality, nil
		}
		for _, u := range w.Units {
			if slices.Contains(rd.Units, u) {
				return u, nil
			}
		}
		return analysis.Municipality, nil
	}
	unit := c.Query("unit")
	if unit != analysis.Municipality && !slices.Contains(w.Units, unit) {
		return "", fiber.ErrBadRequest
	}
	if !rd.SeesUnit(w, unit) {
		return "", fiber.ErrForbidden
	}
	return unit, nil
}

// breakdown fills the segment choice and the chosen segment's table: the
// total's respondents split by their answer to one background question.
// Units are not broken down (their groups would be small, and the rest of
// a unit could be reconstructed across units).
func (h *handler) breakdown(c *fiber.Ctx, f figures, r *analysis.Results, v *resultsView) error {
	seg := c.Query("segment")
	found := false
	for _, key := range surveys.SegmentKeys {
		q, ok := segmentQuestion(r.Instrument, key)
		if !ok {
			continue
		}
		if seg == "" {
			seg = key
		}
		if key == seg {
			found = true
			v.SegmentName = q.Text.In(f.p.Lang)
		}
		v.Segments = append(v.Segments, option{Value: key, Label: q.Text.In(f.p.Lang), Selected: key == seg})
	}
	if seg != "" && !found {
		return fiber.ErrBadRequest
	}
	v.Segment = seg
	v.Breakdown = newHeatMap(f, r, "breakdown", f.p.T("results.breakdown.caption", "Question", v.SegmentName,
		"Unit", f.p.T("results.municipality")), f.p.T("results.breakdown.answer"))
	for _, value := range r.Values(analysis.Municipality, seg) {
		v.Breakdown.addRow(f, r, segmentLabel(f.p, r.Instrument, seg, value), r.Group(analysis.Municipality, seg, value))
	}
	return nil
}

func rateOf(f figures, name string, g *analysis.Group) rateRow {
	if g.Hidden {
		return rateRow{Name: name, Hidden: true}
	}
	return rateRow{Name: name, Respondents: f.whole(float64(g.Respondents)), Rate: f.pct(g.Rate),
		PopulationTooSmall: g.PopulationTooSmall}
}

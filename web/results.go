package web

import (
	"context"
	"html/template"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// resultsView is the advisor dashboard: one wave, one unit (or the whole
// municipality), one background question to break the results down by.
type resultsView struct {
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
}

type rateRow struct {
	Name, Respondents, Rate string
	Hidden                  bool
}

// resultsScope is what one user may see of results: every unit and the
// municipality (advisors, admins), or only the units of their grants.
type resultsScope struct {
	all   bool
	units []string
}

func resultsScopeOf(u *staff.User) resultsScope {
	if u.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		return resultsScope{all: true}
	}
	return resultsScope{units: u.UnitsFor(staff.RoleUnitLeader)}
}

func (s resultsScope) unit(id string) bool {
	if s.all {
		return true
	}
	return id != analysis.Municipality && slices.Contains(s.units, id)
}

// wave reports whether any unit of the wave is in the scope.
func (s resultsScope) wave(w *surveys.Wave) bool {
	return s.all || slices.ContainsFunc(w.Units, s.unit)
}

// resultsShow is the advisor dashboard (GET form: wave, unit, segment).
func (h *handler) resultsShow(c *fiber.Ctx) error {
	return h.renderResults(c, fiber.StatusOK, "", c.Query("wave"))
}

func (h *handler) renderResults(c *fiber.Ctx, status int, errKey, waveID string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "results.title")
	scope := resultsScopeOf(p.User)
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	v := resultsView{}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	var w *surveys.Wave
	for i := range waves {
		x := &waves[i]
		if x.Status == surveys.WaveDraft || !scope.wave(x) {
			continue
		}
		if waveID == "" {
			waveID = x.ID
		}
		if x.ID == waveID {
			w = x
		}
		v.Waves = append(v.Waves, option{Value: x.ID, Label: x.Name, Selected: x.ID == waveID})
	}
	if len(v.Waves) == 0 {
		p.Data = v
		return h.views.render(c, status, "results", p)
	}
	if w == nil {
		return h.missingWave(ctx, waveID)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	unit, err := chosenUnit(c, scope, w)
	if err != nil {
		return err
	}
	r, err := h.results(ctx, w, waves)
	if err != nil {
		return storeError(err)
	}
	f := newFigures(p)
	v.Wave, v.Unit = w, unit
	v.CanPublish = scope.all && w.Status == surveys.WaveClosed && w.Published == ""
	v.CanWithdraw = scope.all && w.Published != ""
	if r.Previous != nil {
		v.Previous = r.Previous.Name
	}
	if scope.all {
		v.Units = append(v.Units, option{Value: analysis.Municipality, Label: p.T("results.municipality"), Selected: unit == ""})
	}
	for _, u := range w.Units {
		if scope.unit(u) {
			v.Units = append(v.Units, option{Value: u, Label: names.of(u), Selected: u == unit})
		}
	}
	v.UnitName = p.T("results.municipality")
	if unit != analysis.Municipality {
		v.UnitName = names.of(unit)
	}
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
	if scope.all {
		v.Heat.addRow(f, r, p.T("results.municipality"), r.Group(analysis.Municipality, analysis.AllSegment, ""))
		v.Rates = append(v.Rates, rateOf(f, p.T("results.municipality"), r.Group(analysis.Municipality, analysis.AllSegment, "")))
	}
	for _, u := range w.Units {
		if scope.unit(u) {
			v.Heat.addRow(f, r, names.of(u), r.Group(u, analysis.AllSegment, ""))
			v.Rates = append(v.Rates, rateOf(f, names.of(u), r.Group(u, analysis.AllSegment, "")))
		}
	}
	if v.Texts, err = h.textTable(ctx, p, r, scope, unit); err != nil {
		return storeError(err)
	}
	if done := c.Query("done"); done == "published" || done == "withdrawn" {
		p.Notice = p.T("results.done."+done, "Name", w.Name)
	}
	p.Data = v
	return h.views.render(c, status, "results", p)
}

// missingWave is 404 for a wave that does not exist or has no results
// yet, and 403 for one outside the user's units.
func (h *handler) missingWave(ctx context.Context, id string) error {
	w, err := h.surveys.Wave(ctx, id)
	if err != nil {
		return storeError(err)
	}
	if w.Status == surveys.WaveDraft {
		return fiber.ErrNotFound
	}
	return fiber.ErrForbidden
}

// chosenUnit reads the unit asked for: absent means the municipality for
// advisors and the first own unit of the wave for unit leaders. A unit
// outside the user's grants is refused (403), one outside the wave is bad input.
func chosenUnit(c *fiber.Ctx, scope resultsScope, w *surveys.Wave) (string, error) {
	if !c.Context().QueryArgs().Has("unit") {
		if scope.all {
			return analysis.Municipality, nil
		}
		for _, u := range w.Units {
			if scope.unit(u) {
				return u, nil
			}
		}
		return "", fiber.ErrForbidden
	}
	unit := c.Query("unit")
	if !scope.unit(unit) {
		return "", fiber.ErrForbidden
	}
	if unit != analysis.Municipality && !slices.Contains(w.Units, unit) {
		return "", fiber.ErrBadRequest
	}
	return unit, nil
}

// breakdown fills the segment choice and the chosen segment's table: the
// unit's respondents split by their answer to one background question.
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
	v.Breakdown = newHeatMap(f, r, "breakdown", f.p.T("results.breakdown.caption", "Question", v.SegmentName, "Unit", v.UnitName), f.p.T("results.breakdown.answer"))
	for _, value := range r.Values(v.Unit, seg) {
		v.Breakdown.addRow(f, r, segmentLabel(f.p, r.Instrument, seg, value), r.Group(v.Unit, seg, value))
	}
	return nil
}

func rateOf(f figures, name string, g *analysis.Group) rateRow {
	if g.Hidden {
		return rateRow{Name: name, Hidden: true}
	}
	return rateRow{Name: name, Respondents: f.whole(float64(g.Respondents)), Rate: f.pct(g.Rate)}
}

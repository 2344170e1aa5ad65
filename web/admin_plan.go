package web

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type planView struct {
	Year, Prev, Next int
	// StartYear is the overall survey's first year, 0 when not set.
	StartYear, StaleAfter int
	OverallDue            bool
	NextOverall           int
	Overall               planWave
	Planned               []planRow
	Stale                 []planRow
	Entries               []planRow
	Units                 []surveys.Unit
	Form                  planForm
	Error                 string
	Problems              []string
}

// planWave names a wave and its translated status; empty when there is none.
type planWave struct {
	Name, Status string
}

// planRow is one line of the plan's tables.
type planRow struct {
	UnitID, Unit string
	Year         int
	Wave         planWave
}

// planShow shows what the survey plan asks of a year.
func (h *handler) planShow(c *fiber.Ctx) error {
	year, ok := h.currentYear(), true
	if q := c.Query("year"); q != "" {
		year, ok = parseYear(q)
	}
	if !ok {
		return h.renderPlan(c, fiber.StatusBadRequest, h.currentYear(), nil, "plan.error.view_year", nil)
	}
	return h.renderPlan(c, fiber.StatusOK, year, nil, "", nil)
}

func (h *handler) currentYear() int { return h.cfg.Now().In(surveys.Oslo).Year() }

// parseYear reads a year the plan accepts (2000–2100).
func parseYear(s string) (int, bool) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	return y, err == nil && y >= 2000 && y <= 2100
}

// planSave changes the plan: its start year and staleness, and adds or
// removes an entry.
func (h *handler) planSave(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	f := parsePlanForm(c)
	view, ok := parseYear(f.View)
	if !ok {
		view = h.currentYear()
	}
	pl, err := h.surveys.GetPlan(ctx)
	if err != nil {
		return storeError(err)
	}
	units, err := h.serviceUnits(c)
	if err != nil {
		return err
	}
	next, detail, msg := f.apply(pl, units)
	if msg != "" {
		return h.renderPlan(c, fiber.StatusBadRequest, view, &f, msg, nil)
	}
	if err := h.ops.Plan.Save(ctx, actor(c), next, detail); err != nil {
		var ps surveys.Problems
		if errors.As(err, &ps) {
			return h.renderPlan(c, fiber.StatusBadRequest, view, &f, "plan.error.invalid", ps)
		}
		return storeError(err)
	}
	return c.Redirect(fmt.Sprintf("/admin/plan?year=%d&saved=1", view), fiber.StatusSeeOther)
}

// renderPlan shows the plan for year; f is the form as posted, nil to fill
// it from the stored plan.
func (h *handler) renderPlan(c *fiber.Ctx, status, year int, f *planForm, errKey string, ps surveys.Problems) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	pl, err := h.surveys.GetPlan(ctx)
	if err != nil {
		return storeError(err)
	}
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "plan.title")
	names := unitIndex{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	waveOf := func(ref surveys.WaveRef) planWave {
		i := slices.IndexFunc(waves, func(w surveys.Wave) bool { return w.ID == ref.ID })
		if ref.ID == "" || i < 0 {
			return planWave{}
		}
		return planWave{Name: waves[i].Name, Status: p.T("waves.status." + ref.Status)}
	}
	due := pl.Due(year, units, waves)
	v := planView{Year: year, Prev: max(year-1, 2000), Next: min(year+1, 2100), StartYear: pl.OverallStartYear,
		StaleAfter: cmp.Or(pl.StaleAfterYears, surveys.DefaultStaleAfterYears), OverallDue: due.OverallDue,
		NextOverall: due.NextOverall, Overall: waveOf(due.OverallWave)}
	for _, s := range due.Planned {
		v.Planned = append(v.Planned, planRow{UnitID: s.Unit, Unit: names.of(s.Unit), Wave: waveOf(s.Wave)})
	}
	for _, s := range due.Stale {
		v.Stale = append(v.Stale, planRow{UnitID: s.Unit, Unit: names.of(s.Unit), Year: s.LastYear})
	}
	for _, e := range pl.Entries {
		v.Entries = append(v.Entries, planRow{UnitID: e.Unit, Unit: names.of(e.Unit), Year: e.Year})
	}
	for _, u := range units {
		if u.Active && u.ServiceUnit() {
			v.Units = append(v.Units, u)
		}
	}
	if f != nil {
		v.Form = *f
	} else {
		v.Form = planFormFrom(pl, year)
	}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	for _, pr := range ps {
		v.Problems = append(v.Problems, fieldName(p, "plan.field.", pr.Where)+": "+problemMessage(p, pr))
	}
	if c.Query("saved") != "" && status == fiber.StatusOK {
		p.Notice = p.T("plan.saved")
	}
	p.Data = v
	return h.views.render(c, status, "plan", p)
}

// planForm is the plan form as posted: every field as typed, so a
// mistake is shown back as it was written.
type planForm struct {
	StartYear, StaleAfter, Unit, Year string
	// RemoveUnit and RemoveYear name an entry to remove instead.
	RemoveUnit, RemoveYear string
	// View is the year the page showed, to return to.
	View string
}

func parsePlanForm(c *fiber.Ctx) planForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return planForm{StartYear: v("overall_start_year"), StaleAfter: v("stale_after_years"), Unit: v("unit"),
		Year: v("year"), RemoveUnit: v("remove_unit"), RemoveYear: v("remove_year"), View: v("view")}
}

func planFormFrom(pl surveys.Plan, year int) planForm {
	f := planForm{Year: strconv.Itoa(year), View: strconv.Itoa(year),
		StaleAfter: strconv.Itoa(cmp.Or(pl.StaleAfterYears, surveys.DefaultStaleAfterYears))}
	if pl.OverallStartYear != 0 {
		f.StartYear = strconv.Itoa(pl.OverallStartYear)
	}
	return f
}

// apply returns the plan with the form's change, a line for the audit log,
// or the message id of the first problem.
func (f planForm) apply(pl surveys.Plan, units []surveys.Unit) (surveys.Plan, string, string) {
	pl.Entries = slices.Clone(pl.Entries)
	if f.RemoveUnit != "" {
		year, _ := strconv.Atoi(f.RemoveYear)
		e := surveys.PlanEntry{Unit: f.RemoveUnit, Year: year}
		i := slices.Index(pl.Entries, e)
		if i < 0 {
			return pl, "", "plan.error.no_entry"
		}
		pl.Entries = slices.Delete(pl.Entries, i, i+1)
		return pl, fmt.Sprintf("remove %s %d", e.Unit, e.Year), ""
	}
	start, ok := parseYear(f.StartYear)
	if !ok {
		return pl, "", "plan.error.start_year"
	}
	stale, err := strconv.Atoi(f.StaleAfter)
	if f.StaleAfter == "" {
		stale, err = surveys.DefaultStaleAfterYears, nil
	}
	if err != nil || stale < 1 || stale > 20 {
		return pl, "", "plan.error.stale"
	}
	pl.OverallStartYear, pl.StaleAfterYears = start, stale
	detail := fmt.Sprintf("overall from %d; stale after %d", start, stale)
	if f.Unit == "" {
		return pl, detail, ""
	}
	year, ok := parseYear(f.Year)
	if !ok {
		return pl, "", "plan.error.year"
	}
	if !slices.ContainsFunc(units, func(u surveys.Unit) bool { return u.ID == f.Unit && u.Active }) {
		return pl, "", "plan.error.unit"
	}
	e := surveys.PlanEntry{Unit: f.Unit, Year: year}
	if slices.Contains(pl.Entries, e) {
		return pl, "", "plan.error.duplicate"
	}
	pl.Entries = append(pl.Entries, e)
	return pl, detail + fmt.Sprintf("; add %s %d", e.Unit, e.Year), ""
}

package web

import (
	"math"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web/charts"
)

// publicResultsView lists the published waves.
type publicResultsView struct {
	Waves []surveys.Wave
}

// publicWaveView is one published wave's results, suppressed, with the
// actions linked to its findings.
type publicWaveView struct {
	Wave    *surveys.Wave
	Title   string
	Groups  []publicGroup
	Actions []publicAction
	How     howToRead
}

type publicGroup struct {
	Name        string
	Hidden      bool
	Respondents int64
	Areas       []publicMeasure
	// Summary says in a sentence which shown area is best and which weakest.
	Summary string
}

type publicMeasure struct {
	Name, Value string
	Hidden      bool
	index       float64
}

type publicAction struct {
	Title, Description, Owner, Period, Status, Area, Units string
}

// publishedWaves are the waves whose results an advisor has published, newest first.
func (h *handler) publishedWaves(c *fiber.Ctx) ([]surveys.Wave, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	waves, err := h.results.Waves(ctx, analysis.Public)
	if err != nil {
		return nil, storeError(err)
	}
	return waves, nil
}

// publicResults is /resultater: the published waves.
func (h *handler) publicResults(c *fiber.Ctx) error {
	waves, err := h.publishedWaves(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	p.Title = p.T("results_public.title")
	p.Data = publicResultsView{Waves: waves}
	return h.views.render(c, fiber.StatusOK, "public_results", p)
}

// publicResultsWave is /resultater/:wave: the municipality and each unit
// by focus area, a hidden group shown only as "too few answers".
func (h *handler) publicResultsWave(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	view, err := h.view(ctx, analysis.Public, c.Params("wave"))
	if err != nil {
		return resultsError(err)
	}
	w, r := view.Wave, view.Results
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	v := publicWaveView{Wave: w, Title: r.Instrument.Title.In(p.Lang) + " – " + w.Name,
		How: newHowToRead(p, "results_public.", r.Instrument, r.Threshold)}
	areas := scaleAreas(r.Instrument)
	for _, unit := range append([]string{analysis.Municipality}, r.Units...) {
		g := r.Group(unit, "", "")
		pg := publicGroup{Name: p.T("results_public.municipality"), Hidden: g.Hidden}
		if unit != analysis.Municipality {
			pg.Name = names.of(unit)
		}
		if !g.Hidden {
			pg.Respondents = g.Respondents
			for _, a := range areas {
				m := publicMeasure{Name: r.Instrument.FocusAreaName(a, p.Lang), Hidden: true}
				if it := actions.ShownItem(r, unit, "", a); it != nil {
					m.Hidden, m.Value, m.index = false, formatIndex(it.Index), it.Index.Mean
				}
				pg.Areas = append(pg.Areas, m)
			}
			pg.Summary = bestAndWeakestArea(p, pg.Areas)
		}
		v.Groups = append(v.Groups, pg)
	}
	linked, err := h.actions.ForWave(ctx, w.ID)
	if err != nil {
		return storeError(err)
	}
	for _, a := range linked {
		pa := publicAction{Title: a.Title, Description: a.Description, Owner: a.Owner, Period: a.Period,
			Status: p.T("results_public.status." + string(a.Status)), Units: unitList(p, names, a.Units)}
		if a.Units == nil {
			pa.Units = p.T("results_public.municipality")
		}
		if a.FocusArea != "" {
			pa.Area = r.Instrument.FocusAreaName(a.FocusArea, p.Lang)
		}
		v.Actions = append(v.Actions, pa)
	}
	p.Title = v.Title
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "public_results_wave", p)
}

// bestAndWeakestArea says which shown focus area has the highest index and
// which the lowest, or nothing when fewer than two are shown.
func bestAndWeakestArea(p *page, areas []publicMeasure) string {
	var hi, lo *publicMeasure
	shown := 0
	for i := range areas {
		a := &areas[i]
		if a.Hidden || math.IsNaN(a.index) {
			continue
		}
		shown++
		if hi == nil || a.index > hi.index {
			hi = a
		}
		if lo == nil || a.index < lo.index {
			lo = a
		}
	}
	if shown < 2 || hi.index == lo.index {
		return ""
	}
	return p.T("results_public.summary", "High", hi.Name, "HighValue", charts.Whole(hi.index),
		"Low", lo.Name, "LowValue", charts.Whole(lo.index))
}

// scaleAreas are the focus areas with at least one scale question, in order.
func scaleAreas(in *surveys.Instrument) []string {
	has := map[string]bool{}
	for _, q := range in.Questions() {
		if q.Type == surveys.TypeScale && q.FocusArea != "" {
			has[q.FocusArea] = true
		}
	}
	var out []string
	for _, a := range in.FocusAreas {
		if has[a.Key] {
			out = append(out, a.Key)
		}
	}
	return out
}

package web

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

type apiWave struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Year      int      `json:"year,omitempty"`
	Status    string   `json:"status"`
	Opens     string   `json:"opens"`
	Closes    string   `json:"closes"`
	Units     []string `json:"units"`
	Published *string  `json:"published"`
	// Results says whether the wave's results exist: only once it is
	// closed and every answer is counted.
	Results bool `json:"results"`
}

// apiWaves lists the waves the token's user may see; a unit leader sees
// only their own units of each.
func (h *handler) apiWaves(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	rd := readerOf(apiUser(c))
	waves, err := h.results.Waves(ctx, rd)
	if err != nil {
		return h.apiStoreError(c, err)
	}
	out := []apiWave{}
	for i := range waves {
		w := &waves[i]
		units := []string{}
		for _, u := range w.Units {
			if rd.SeesUnit(w, u) {
				units = append(units, u)
			}
		}
		out = append(out, apiWave{ID: w.ID, Kind: w.Kind, Name: w.Name, Year: w.Year, Status: w.Status, Opens: w.Opens,
			Closes: w.Closes, Units: units, Published: strp(w.Published), Results: w.ResultsReady()})
	}
	return c.JSON(fiber.Map{"waves": out})
}

type apiUnit struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Active bool   `json:"active"`
}

// apiUnits lists the units: every unit for those who see every unit, a
// unit leader's own otherwise.
func (h *handler) apiUnits(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	rd := readerOf(apiUser(c))
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return h.apiStoreError(c, err)
	}
	out := []apiUnit{}
	for _, u := range units {
		if rd.All || rd.Published || slices.Contains(rd.Units, u.ID) {
			out = append(out, apiUnit{ID: u.ID, Name: u.Name, Kind: u.Kind, Active: u.Active})
		}
	}
	return c.JSON(fiber.Map{"units": out})
}

// apiQuery is a results request after its checks.
type apiQuery struct {
	r             *analysis.Results
	unit, segment string
	lang          string
}

// apiResultsQuery reads the wave's results through the results service,
// as the token's user may read them, and checks the query. It writes the
// error response itself and then returns ok false.
func (h *handler) apiResultsQuery(c *fiber.Ctx) (apiQuery, bool, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	rd := readerOf(apiUser(c))
	q := apiQuery{unit: c.Query("unit"), segment: c.Query("segment"), lang: c.Query("lang", "nb")}
	view, err := h.view(ctx, rd, c.Params("wave"))
	if errors.Is(err, analysis.ErrNoResults) {
		// An unpublished wave is not there for the council: 404, not 403.
		return q, false, apiError(c, fiber.StatusNotFound, "not_found")
	}
	if err != nil {
		return q, false, h.apiStoreError(c, err)
	}
	w := view.Wave
	switch {
	case q.unit != "" && !slices.Contains(w.Units, q.unit):
		return q, false, apiError(c, fiber.StatusNotFound, "not_found")
	case q.segment != "" && !slices.Contains(surveys.SegmentKeys, q.segment):
		return q, false, apiError(c, fiber.StatusBadRequest, "unknown_segment")
	case q.segment != "" && q.unit != "":
		// Only the total is broken down by background questions.
		return q, false, apiError(c, fiber.StatusBadRequest, "segment_of_total_only")
	case !slices.Contains(surveys.Languages, q.lang):
		return q, false, apiError(c, fiber.StatusBadRequest, "bad_request")
	case !rd.SeesUnit(w, q.unit):
		return q, false, apiError(c, fiber.StatusForbidden, "forbidden")
	case view.State != analysis.StateFinal:
		// Results exist once the wave is closed and counted.
		return q, false, apiError(c, fiber.StatusConflict, "not_final")
	}
	q.r = view.Results
	return q, true, nil
}

// groups are the groups a query names: the unit (or municipality) as a
// whole, or each value of the segment within it, in the question's order.
func (q apiQuery) groups(focus, items bool, item string) []any {
	r := q.r
	if q.segment == "" {
		return []any{apiGroupOf(r, r.Group(q.unit, "", ""), q.lang, "", focus, items, item)}
	}
	labels := map[string]string{}
	for _, qu := range r.Instrument.Questions() {
		if l, ok := r.Instrument.List(qu.List); ok && qu.Segment == q.segment {
			for _, ch := range l.Choices {
				labels[ch.Value] = ch.Label.In(q.lang)
			}
		}
	}
	out := []any{}
	for _, v := range r.Values(q.unit, q.segment) {
		out = append(out, apiGroupOf(r, r.Group(q.unit, q.segment, v), q.lang, labels[v], focus, items, item))
	}
	return out
}

func (q apiQuery) body(groups []any) fiber.Map {
	var prev *string
	if q.r.Previous != nil {
		prev = strp(q.r.Previous.ID)
	}
	return fiber.Map{"wave": q.r.Wave.ID, "unit": strp(q.unit), "segment": strp(q.segment), "threshold": q.r.Threshold,
		"previous_wave": prev, "groups": groups}
}

// apiResults: focus areas and items of the groups.
func (h *handler) apiResults(c *fiber.Ctx) error {
	q, ok, err := h.apiResultsQuery(c)
	if !ok {
		return err
	}
	return c.JSON(q.body(q.groups(true, true, "")))
}

// apiFocusAreas: the focus-area indices of the groups.
func (h *handler) apiFocusAreas(c *fiber.Ctx) error {
	q, ok, err := h.apiResultsQuery(c)
	if !ok {
		return err
	}
	return c.JSON(q.body(q.groups(true, false, "")))
}

// apiItem: one scale or number question in the groups.
func (h *handler) apiItem(c *fiber.Ctx) error {
	q, ok, err := h.apiResultsQuery(c)
	if !ok {
		return err
	}
	item := c.Params("item")
	qu, found := q.r.Instrument.Question(item)
	if !found || (qu.Type != surveys.TypeScale && qu.Type != surveys.TypeNumber) {
		return apiError(c, fiber.StatusNotFound, "not_found")
	}
	b := q.body(q.groups(false, true, item))
	b["item"] = item
	return c.JSON(b)
}

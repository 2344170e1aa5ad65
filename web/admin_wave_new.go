package web

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// Creating a wave: the advisor picks a published questionnaire, the units,
// the languages (only those the questionnaire has complete), the period,
// the smallest group shown and the population per unit. The wave is
// stored as a draft after the checks that decide whether it may open.

// waveForm is the new-wave form as posted, kept as typed.
type waveForm struct {
	Kind, Name, Year, Instrument, Opens, Closes, Threshold string
	Units, Languages                                       []string
	Population                                             map[string]string
}

func parseWaveForm(c *fiber.Ctx) waveForm {
	f := waveForm{Kind: c.FormValue("kind"), Name: strings.TrimSpace(c.FormValue("name")),
		Year: strings.TrimSpace(c.FormValue("year")), Instrument: c.FormValue("instrument"),
		Opens: strings.TrimSpace(c.FormValue("opens")), Closes: strings.TrimSpace(c.FormValue("closes")),
		Threshold: strings.TrimSpace(c.FormValue("threshold")), Population: map[string]string{}}
	for k, v := range c.Request().PostArgs().All() {
		key, val := string(k), strings.TrimSpace(string(v))
		switch {
		case key == "unit":
			f.Units = append(f.Units, val)
		case key == "language":
			f.Languages = append(f.Languages, val)
		case strings.HasPrefix(key, "population.") && val != "":
			f.Population[strings.TrimPrefix(key, "population.")] = val
		}
	}
	return f
}

// wave builds the wave; bad lists the fields that are not numbers.
func (f waveForm) wave() (surveys.Wave, map[string]string) {
	bad := map[string]string{}
	w := surveys.Wave{Kind: f.Kind, Name: f.Name, Instrument: f.Instrument, Units: f.Units, Languages: f.Languages,
		Opens: f.Opens, Closes: f.Closes}
	number := func(field, s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad[field] = "editor.wave.error.number"
		}
		return n
	}
	w.Year = number("year", f.Year)
	if f.Threshold != "" {
		w.Threshold = number("threshold", f.Threshold)
	}
	for unit, s := range f.Population {
		if slices.Contains(f.Units, unit) {
			if w.Population == nil {
				w.Population = map[string]int{}
			}
			w.Population[unit] = number("population", s)
		}
	}
	if f.Name == "" {
		bad["name"] = "editor.wave.error.name"
	}
	return w, bad
}

type waveNewView struct {
	Form        waveForm
	Instruments []editorOption
	Units       []waveUnitChoice
	Languages   []editorLang
	Errors      editorErrors
	Error       string
	Problems    []problemLink
}

type waveUnitChoice struct {
	ID, Name, Kind, Population string
	Checked                    bool
}

// waveNewShow shows an empty form: this year, the newest published
// questionnaire, and the default threshold.
func (h *handler) waveNewShow(c *fiber.Ctx) error {
	f := waveForm{Kind: surveys.WaveUnit, Year: strconv.Itoa(h.cfg.Now().In(surveys.Oslo).Year()),
		Threshold: strconv.Itoa(surveys.DefaultThreshold), Population: map[string]string{}}
	return h.renderWaveNew(c, fiber.StatusOK, f, nil, "", nil)
}

// waveCreate stores the wave, or shows the form again with every problem;
// op=refresh only updates the languages for another questionnaire.
func (h *handler) waveCreate(c *fiber.Ctx) error {
	f := parseWaveForm(c)
	if c.FormValue("op") == "refresh" {
		return h.renderWaveNew(c, fiber.StatusOK, f, nil, "", nil)
	}
	w, bad := f.wave()
	if len(bad) > 0 {
		return h.renderWaveNew(c, fiber.StatusBadRequest, f, bad, "editor.wave.error.invalid", nil)
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	err := h.ops.Waves.Create(ctx, actor(c), &w)
	var ps surveys.Problems
	switch {
	case errors.As(err, &ps):
		return h.renderWaveNew(c, fiber.StatusBadRequest, f, nil, "editor.wave.error.invalid", ps)
	case err != nil:
		return storeError(err)
	}
	return c.Redirect("/admin/waves", fiber.StatusSeeOther)
}

func (h *handler) renderWaveNew(c *fiber.Ctx, status int, f waveForm, bad map[string]string, errKey string, ps surveys.Problems) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	ins, err := h.surveys.Instruments(ctx)
	if err != nil {
		return storeError(err)
	}
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "editor.wave.title")
	v := waveNewView{Form: f, Errors: editorErrors{}}
	var chosen *surveys.Instrument
	for i := len(ins) - 1; i >= 0; i-- { // newest first
		in := &ins[i]
		if in.Status != surveys.InstrumentPublished {
			continue
		}
		if f.Instrument == "" {
			v.Form.Instrument = in.ID
			f.Instrument = in.ID
		}
		if in.ID == f.Instrument {
			chosen = in
		}
		v.Instruments = append(v.Instruments, editorOption{Value: in.ID, Label: in.ID + ": " + in.Title.In(p.Lang)})
	}
	if chosen != nil {
		for _, l := range h.editorLanguages(chosen, editorPair{}) {
			if l.Missing == 0 && l.Stale == 0 {
				v.Languages = append(v.Languages, l)
			}
		}
	}
	for _, u := range units {
		if !u.Active || !u.ServiceUnit() {
			continue
		}
		v.Units = append(v.Units, waveUnitChoice{ID: u.ID, Name: u.Name, Kind: p.T("editor.wave.unit_kind." + u.Kind),
			Population: f.Population[u.ID], Checked: slices.Contains(f.Units, u.ID)})
	}
	for field, key := range bad {
		v.Errors["f-"+field] = p.T(key)
		v.Problems = append(v.Problems, problemLink{Place: p.T("editor.wave.field." + field), Message: p.T(key), URL: "#f-" + field})
	}
	for _, pr := range ps {
		field := strings.SplitN(pr.Where, "[", 2)[0]
		msg := problemMessage(p, pr)
		if v.Errors["f-"+field] != "" {
			v.Errors["f-"+field] += " "
		}
		v.Errors["f-"+field] += msg
		v.Problems = append(v.Problems, problemLink{Place: p.T("editor.wave.field." + field), Message: msg, URL: "#f-" + field})
	}
	slices.SortStableFunc(v.Problems, func(a, b problemLink) int { return strings.Compare(a.URL, b.URL) })
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	p.Data = v
	return h.views.render(c, status, "wave_new", p)
}

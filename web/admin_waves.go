package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type wavesView struct {
	Waves []waveRow
	// Links are the open links of every open wave, to print on posters.
	Links []waveLinks
	// Error is a translated message; Problems the domain's list behind it.
	Error    string
	Problems []string
}

type waveRow struct {
	surveys.Wave
	// UnitNames and LanguageList are the wave's units and languages, joined.
	UnitNames, LanguageList string
}

type waveLinks struct {
	Name  string
	Links []homeLink
}

// wavesList shows every wave with buttons to open or close it.
func (h *handler) wavesList(c *fiber.Ctx) error {
	return h.renderWaves(c, fiber.StatusOK, "", nil)
}

// waveOpen opens a draft wave; waveClose closes an open one.
func (h *handler) waveOpen(c *fiber.Ctx) error  { return h.waveTransition(c, surveys.WaveOpen) }
func (h *handler) waveClose(c *fiber.Ctx) error { return h.waveTransition(c, surveys.WaveClosed) }

func (h *handler) waveTransition(c *fiber.Ctx, to string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	change, detail := h.ops.Waves.Open, "open"
	if to == surveys.WaveClosed {
		change, detail = h.ops.Waves.Close, "close"
	}
	err := change(ctx, actor(c), id)
	var te *surveys.TransitionError
	var ps surveys.Problems
	switch {
	case errors.As(err, &te):
		return h.renderWaves(c, fiber.StatusConflict, transitionMessage(te), nil)
	case errors.As(err, &ps):
		return h.renderWaves(c, fiber.StatusBadRequest, "waves.error.invalid", ps)
	case err != nil:
		return storeError(err)
	}
	return c.Redirect("/admin/waves?"+detail+"="+url.QueryEscape(id), fiber.StatusSeeOther)
}

// transitionMessage names the message for a refused status change.
func transitionMessage(te *surveys.TransitionError) string {
	switch {
	case te.From == te.To:
		return "waves.error.already_" + te.To
	case te.From == surveys.WaveClosed:
		return "waves.error.reopen"
	case te.To == surveys.WaveClosed && te.From == surveys.WaveDraft:
		return "waves.error.close_draft"
	}
	// The status was right when read but changed before the write.
	return "waves.error.changed"
}

func (h *handler) renderWaves(c *fiber.Ctx, status int, errKey string, ps surveys.Problems) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	p := h.staffPage(c, "waves.title")
	var v wavesView
	for _, w := range waves {
		units := make([]string, len(w.Units))
		for i, u := range w.Units {
			units[i] = names.of(u)
		}
		row := waveRow{Wave: w, UnitNames: strings.Join(units, ", "), LanguageList: strings.Join(w.Languages, ", ")}
		v.Waves = append(v.Waves, row)
		if w.Status != surveys.WaveOpen {
			continue
		}
		links, err := h.surveys.Links(ctx, w.ID)
		if err != nil {
			return storeError(err)
		}
		wl := waveLinks{Name: w.Name}
		for _, l := range links {
			wl.Links = append(wl.Links, homeLink{Name: names.of(l.Unit), URL: h.cfg.BaseURL + "/s/" + l.ID,
				Poster: "/admin/posters/" + l.ID})
		}
		v.Links = append(v.Links, wl)
	}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	for _, pr := range ps {
		v.Problems = append(v.Problems, fieldName(p, "waves.field.", pr.Where)+": "+problemMessage(p, pr))
	}
	p.Notice = waveNotice(p, c, waves)
	p.Data = v
	return h.views.render(c, status, "waves", p)
}

// waveNotice confirms a change the list was redirected after.
func waveNotice(p *page, c *fiber.Ctx, waves []surveys.Wave) string {
	for _, done := range []string{"open", "close", "population"} {
		id := c.Query(done)
		if id == "" {
			continue
		}
		for _, w := range waves {
			if w.ID == id && done == "population" {
				return p.T("population.done", "Name", w.Name)
			}
			if w.ID == id {
				return p.T("waves.done."+done, "Name", w.Name)
			}
		}
	}
	return ""
}

// unitIndex maps unit ids to names.
type unitIndex map[string]string

// of is the unit's name, or its id when it no longer exists.
func (u unitIndex) of(id string) string {
	if n := u[id]; n != "" {
		return n
	}
	return id
}

func (h *handler) unitNames(c *fiber.Ctx) (unitIndex, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	names := unitIndex{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return names, nil
}

// fieldName translates the field a domain problem is about, or keeps its
// own name when there is no message for it. Only plain field names are
// looked up: "entries[3]" is shown as it is.
func fieldName(p *page, prefix, where string) string {
	if !surveys.ValidKey(where) {
		return where
	}
	if s := p.T(prefix + where); s != prefix+where {
		return s
	}
	return where
}

package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type arenasAdminView struct {
	Sections []arenas.Section
	Events   []arenaEventRow
	Kinds    []choice
	Form     arenas.Event
	Errors   map[string]string
	Error    string
}

type arenaEventRow struct {
	arenas.Event
	KindName string
	SignedUp int
}

// arenasAdmin is where admins write each arena's text and add its dates.
func (h *handler) arenasAdmin(c *fiber.Ctx) error {
	p := h.staffPage(c, "arenas.title")
	if c.Query("saved") != "" {
		p.Notice = p.T("arenas.done.saved")
	}
	return h.renderArenas(c, p, fiber.StatusOK, arenasAdminView{Form: arenas.Event{Kind: arenas.KindSchool, SignUp: true}})
}

func (h *handler) renderArenas(c *fiber.Ctx, p *page, status int, v arenasAdminView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	secs, err := h.arenas.Sections(ctx)
	if err != nil {
		return storeError(err)
	}
	events, err := h.arenas.Events(ctx, surveys.LocalDate(h.cfg.Now()))
	if err != nil {
		return storeError(err)
	}
	counts, err := h.arenas.Counts(ctx)
	if err != nil {
		return storeError(err)
	}
	for _, k := range arenas.Kinds {
		s := secs[k]
		s.Kind = k
		v.Sections = append(v.Sections, s)
		v.Kinds = append(v.Kinds, choice{Value: k, Label: p.T("delta.arena.heading." + k), Selected: k == v.Form.Kind})
	}
	for _, e := range events {
		v.Events = append(v.Events, arenaEventRow{Event: e, KindName: p.T("delta.arena.heading." + e.Kind), SignedUp: counts[e.ID]})
	}
	p.Data = v
	return h.views.render(c, status, "admin_arenas", p)
}

// arenaSectionSave saves one arena's introduction and contact line.
func (h *handler) arenaSectionSave(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	kind := c.Params("kind")
	err := h.ops.Arenas.SaveSection(ctx, actor(c), arenas.Section{Kind: kind, Intro: c.FormValue("intro"), Contact: c.FormValue("contact")})
	var fe arenas.FieldErrors
	if errors.As(err, &fe) {
		p := h.staffPage(c, "arenas.title")
		return h.renderArenas(c, p, fiber.StatusBadRequest, arenasAdminView{Error: p.T(fe[0].Message, "Max", arenas.MaxIntro)})
	}
	if err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/arenas?saved=1", fiber.StatusSeeOther)
}

// arenaEventAdd adds a date to an arena.
func (h *handler) arenaEventAdd(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "arenas.title")
	e := arenas.Event{Kind: c.FormValue("kind"), Title: c.FormValue("title"), Date: strings.TrimSpace(c.FormValue("date")),
		Time: c.FormValue("time"), Place: c.FormValue("place"), Description: c.FormValue("description"),
		SignUp: c.FormValue("signup") == "yes"}
	if s := strings.TrimSpace(c.FormValue("capacity")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		e.Capacity = n
	}
	if err := h.ops.Arenas.AddEvent(ctx, actor(c), &e); err != nil {
		var fe arenas.FieldErrors
		if !errors.As(err, &fe) {
			return storeError(err)
		}
		v := arenasAdminView{Form: e, Errors: map[string]string{}, Error: p.T("arenas.error.summary")}
		for _, x := range fe {
			v.Errors[x.Field] = p.T(x.Message, "Max", arenas.MaxIntro)
		}
		return h.renderArenas(c, p, fiber.StatusBadRequest, v)
	}
	return c.Redirect("/admin/arenas?saved=1", fiber.StatusSeeOther)
}

// arenaEventRemove cancels a date and deletes its sign-ups.
func (h *handler) arenaEventRemove(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	if err := h.ops.Arenas.RemoveEvent(ctx, actor(c), id); errors.Is(err, arenas.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/arenas?saved=1", fiber.StatusSeeOther)
}

// arenaSignUps lists who signed up for a date; every view is audited first.
func (h *handler) arenaSignUps(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "arenas.signups_title")
	e, err := h.arenas.Event(ctx, c.Params("id"))
	if errors.Is(err, arenas.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	if err := h.staff.Audit(ctx, h.cfg.Now(), actor(c), staff.AuditContactView, "arena/"+e.ID, e.Kind); err != nil {
		return storeError(err)
	}
	people, err := h.arenas.SignUps(ctx, e.ID)
	if err != nil {
		return err
	}
	p.Data = struct {
		Event  arenas.Event
		People []arenas.Person
	}{e, people}
	return h.views.render(c, fiber.StatusOK, "arena_signups", p)
}

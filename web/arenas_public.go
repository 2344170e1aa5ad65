package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/surveys"
)

// arenaSection is one arena on /delta: the admin's text and its dates.
type arenaSection struct {
	Kind, Intro, Contact string
	Events               []arenas.Event
}

// deltaArenas reads every arena's text and coming dates, by kind.
func (h *handler) deltaArenas(c *fiber.Ctx) (map[string]*arenaSection, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	secs, err := h.arenas.Sections(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	events, err := h.arenas.Events(ctx, surveys.LocalDate(h.cfg.Now()))
	if err != nil {
		return nil, storeError(err)
	}
	out := map[string]*arenaSection{}
	for _, k := range arenas.Kinds {
		out[k] = &arenaSection{Kind: k, Intro: secs[k].Intro, Contact: secs[k].Contact}
	}
	for _, e := range events {
		if a := out[e.Kind]; a != nil {
			a.Events = append(a.Events, e)
		}
	}
	return out, nil
}

// arenaSigLink signs the sign-up form's submission id, as for feedback.
func arenaSigLink(event string) string { return "arena:" + event }

type signUpView struct {
	Event  arenas.Event
	Name   string
	Phone  string
	Email  string
	SID    string
	Sig    string
	Errors map[string]string
	Error  string
}

// signUpShow is the public sign-up form of one event.
func (h *handler) signUpShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	e, err := h.arenas.Event(ctx, c.Params("event"))
	if errors.Is(err, arenas.ErrNotFound) || (err == nil && (!e.SignUp || e.Date < surveys.LocalDate(h.cfg.Now()))) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	sid := surveys.NewSubmissionID()
	return h.renderSignUp(c, fiber.StatusOK, signUpView{Event: e, SID: sid, Sig: h.formSignature(arenaSigLink(e.ID), sid)})
}

func (h *handler) renderSignUp(c *fiber.Ctx, status int, v signUpView) error {
	p := h.page(c)
	p.Title = p.T("delta.signup.title")
	if v.Error != "" {
		v.Error = p.T(v.Error)
	}
	for k, m := range v.Errors {
		v.Errors[k] = p.T(m)
	}
	p.Data = v
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, status, "arena_signup", p)
}

// signUpSubmit stores a sign-up: name and one way to reach the person,
// sealed, deleted the day after the event.
func (h *handler) signUpSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	e, err := h.arenas.Event(ctx, c.Params("event"))
	if errors.Is(err, arenas.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	v := signUpView{Event: e, Name: c.FormValue("name"), Phone: c.FormValue("phone"), Email: c.FormValue("email"),
		SID: c.FormValue("_sid"), Sig: c.FormValue("_sig")}
	if !h.validSignature(arenaSigLink(e.ID), v.SID, v.Sig) {
		v.SID = surveys.NewSubmissionID()
		v.Sig = h.formSignature(arenaSigLink(e.ID), v.SID)
		v.Error = "survey.error.expired"
		return h.renderSignUp(c, fiber.StatusBadRequest, v)
	}
	err = h.arenas.SignUp(ctx, e.ID, v.SID, arenas.Person{Name: v.Name, Phone: v.Phone, Email: v.Email}, h.cfg.Now())
	var fe arenas.FieldErrors
	switch {
	case errors.As(err, &fe):
		v.Errors, v.Error = map[string]string{}, "delta.signup.error.summary"
		for _, x := range fe {
			v.Errors[x.Field] = x.Message
		}
		return h.renderSignUp(c, fiber.StatusBadRequest, v)
	case errors.Is(err, arenas.ErrFull):
		v.Error = "delta.signup.error.full"
		return h.renderSignUp(c, fiber.StatusConflict, v)
	case errors.Is(err, arenas.ErrClosed):
		v.Error = "delta.signup.error.closed"
		return h.renderSignUp(c, fiber.StatusConflict, v)
	case err != nil:
		return storeError(err)
	}
	p := h.page(c)
	p.Title = p.T("delta.signup.thanks_title")
	p.Data = v
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, fiber.StatusOK, "arena_thanks", p)
}

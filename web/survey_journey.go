package web

import (
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// Every step of a form follows post–redirect–get: the post stores the form
// as the next version of the relative's journey (surveys.Journeys) and
// redirects to the page to show, ?side=N, which is then an ordinary GET.
// Back, Forward, reload and a change of language show a page again with
// everything entered and never ask to resubmit a form. The journey is
// found through a random handle in an HttpOnly cookie limited to the
// survey's own path; answers never appear in a URL.
//
// Posts still carry every value entered (the other pages' in hidden
// fields), so a post never reads the journey and stays whole when the store
// cannot keep it: the next page is then sent straight away, as before.

const journeyCookie = "stemme_skjema"

// pageParam is the query parameter naming the page shown, counted from 1.
const pageParam = "side"

func surveyPath(link string) string { return "/s/" + link }

// pageURL is the address of one page of a form.
func pageURL(link string, page int) string {
	return surveyPath(link) + "?" + pageParam + "=" + strconv.Itoa(page+1)
}

// journeyOf returns the journey the request's cookie leads to, if any.
func (h *handler) journeyOf(c *fiber.Ctx, s *openSurvey) (surveys.JourneyState, bool) {
	handle := c.Cookies(journeyCookie)
	if handle == "" {
		return surveys.JourneyState{}, false
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	j, err := h.journeys.Load(ctx, handle, s.Link.ID, h.cfg.Now())
	if err != nil {
		if !errors.Is(err, surveys.ErrNoJourney) {
			h.cfg.Logger.Warn("journey not read", slog.String("error", err.Error()))
		}
		return surveys.JourneyState{}, false
	}
	return j, true
}

// keepJourney stores the form as the journey's next version and sets the
// cookie. It reports false when the store could not keep it.
func (h *handler) keepJourney(c *fiber.Ctx, s *openSurvey, st formState, notice string) bool {
	ctx, cancel := h.ctx(c)
	defer cancel()
	j := surveys.JourneyState{Values: questionValues(s.Instrument, st.Values), Page: st.Page, SID: st.SID,
		Resume: st.Resume, Code: st.Code, Notice: notice}
	handle := c.Cookies(journeyCookie)
	if h.journeys.Holds(handle, s.Link.ID, j, h.cfg.Now()) {
		return true // Back or Next without a change: the version in hand is this one
	}
	handle, err := h.journeys.Save(ctx, handle, s.Link.ID, j, h.cfg.Now())
	if err != nil {
		h.cfg.Logger.Error("journey not saved", slog.String("error", err.Error()))
		return false
	}
	c.Cookie(&fiber.Cookie{Name: journeyCookie, Value: handle, Path: surveyPath(s.Link.ID),
		MaxAge: int(surveys.JourneyTTL / time.Second), HTTPOnly: true, Secure: h.https, SameSite: fiber.CookieSameSiteLaxMode})
	return true
}

// endJourney forgets the journey once its answer is stored.
func (h *handler) endJourney(c *fiber.Ctx, s *openSurvey) {
	if handle := c.Cookies(journeyCookie); handle != "" {
		h.journeys.Forget(handle)
	}
	c.Cookie(&fiber.Cookie{Name: journeyCookie, Value: "", Path: surveyPath(s.Link.ID), MaxAge: -1,
		Expires: time.Unix(0, 0), HTTPOnly: true, Secure: h.https, SameSite: fiber.CookieSameSiteLaxMode})
}

// goTo keeps the form and redirects to the page to show (with the language
// chosen, when lang is set); without the store it shows the page at once.
func (h *handler) goTo(c *fiber.Ctx, p *page, s *openSurvey, st formState, page int, lang string) error {
	st.Page = page
	if !h.keepJourney(c, s, st, "") {
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	target := pageURL(s.Link.ID, page)
	if lang != "" {
		target += "&lang=" + lang
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// startJourney begins a journey (from a resume code or an invitation) and
// redirects to its page; without the store it shows the page at once.
func (h *handler) startJourney(c *fiber.Ctx, p *page, s *openSurvey, st formState, noticeID string) error {
	if !h.keepJourney(c, s, st, noticeID) {
		if noticeID != "" {
			st.Notice = p.T(noticeID)
		}
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	return c.Redirect(pageURL(s.Link.ID, st.Page), fiber.StatusSeeOther)
}

// questionValues keeps the values of the instrument's questions only.
func questionValues(in *surveys.Instrument, values map[string][]string) map[string][]string {
	kept := make(map[string][]string, len(values))
	for k, v := range values {
		if _, ok := in.Question(k); ok {
			kept[k] = v
		}
	}
	return kept
}

// journeyPage is the page a GET asks for (?side=N, counted from 1), the
// first page when it asks for none or for one the form does not have.
func journeyPage(c *fiber.Ctx, in *surveys.Instrument) (int, bool) {
	raw := c.Query(pageParam)
	if raw == "" {
		return 0, false
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > len(in.Pages) {
		return 0, true
	}
	return n - 1, true
}

// switchLanguage keeps the form, every answer and the page, and shows the
// page again in the language chosen. An unknown language is ignored.
func (h *handler) switchLanguage(c *fiber.Ctx, p *page, s *openSurvey, st formState, lang string) error {
	if _, ok := h.tr.supported(lang); !ok {
		lang = ""
	}
	return h.goTo(c, p, s, st, st.Page, lang)
}

package web

import (
	"bytes"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// surveyShow renders the first page of the form behind an open link.
func (h *handler) surveyShow(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	st := formState{SID: surveys.NewSubmissionID()}
	key, cacheable := freshFormKey(c, s, p)
	if !cacheable {
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	blank, err := h.freshForms.get(key, func() ([]byte, error) {
		v := buildSurveyView(p, s, nil, nil, 0)
		v.SID, v.Sig, v.Available = sidMark, sigMark, true
		p.Title, p.Data = v.Title, v
		return h.views.bytes("survey", p)
	})
	if err != nil {
		return err
	}
	page := bytes.Replace(blank, []byte(sidMark), []byte(st.SID), 1)
	page = bytes.Replace(page, []byte(sigMark), []byte(h.formSignature(s.Link.ID, st.SID)), 1)
	return sendHTML(c, fiber.StatusOK, page)
}

// A blank form differs between relatives only in its submission id and
// signature, so it is rendered once per link, language and address and
// the two are put in for each relative: loading a form costs a copy, not
// a render. The marks are letters only, which html/template leaves as they are.
const (
	sidMark = "stemmeSubmissionIDMarkQ7x"
	sigMark = "stemmeSignatureMarkQ7x"
)

// freshFormKey says whether this blank form may come from the cache: only
// with no query but the language, so no code ever lands in the cache.
func freshFormKey(c *fiber.Ctx, s *openSurvey, p *page) (string, bool) {
	q := c.Context().QueryArgs()
	if q.Len() > 1 || (q.Len() == 1 && !q.Has("lang")) {
		return "", false
	}
	return s.Link.ID + "\x00" + p.Lang + "\x00" + p.Content + "\x00" + string(c.Request().URI().FullURI()), true
}

// freshFormCache holds rendered blank forms for a short while; a form's
// texts can change only through a new wave or instrument version.
type freshFormCache struct {
	mu      sync.Mutex
	entries map[string]freshForm
}

type freshForm struct {
	html    []byte
	expires time.Time
}

const (
	freshFormTTL     = 30 * time.Second
	freshFormEntries = 512
)

func (fc *freshFormCache) get(key string, render func() ([]byte, error)) ([]byte, error) {
	now := time.Now()
	fc.mu.Lock()
	e, ok := fc.entries[key]
	fc.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.html, nil
	}
	html, err := render()
	if err != nil {
		return nil, err
	}
	fc.mu.Lock()
	if fc.entries == nil || len(fc.entries) >= freshFormEntries {
		fc.entries = map[string]freshForm{}
	}
	fc.entries[key] = freshForm{html: html, expires: now.Add(freshFormTTL)}
	fc.mu.Unlock()
	return html, nil
}

// answerable loads the survey behind the link with a page in the request's
// language. When the wave takes no answers today it renders the closed or
// not-yet-open page itself and returns a nil survey.
func (h *handler) answerable(c *fiber.Ctx) (*openSurvey, *page, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	s, err := h.loadSurvey(ctx, c.Params("link"))
	if err != nil {
		return nil, nil, err
	}
	p := h.surveyPage(c, s)
	if a := s.Wave.Availability(surveys.LocalDate(h.cfg.Now())); a != surveys.Available {
		return nil, p, h.renderUnavailable(c, p, s, a)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s, p, nil
}
func (h *handler) renderSurvey(c *fiber.Ctx, p *page, s *openSurvey, status int, st formState, errs []surveys.FieldError) error {
	v := buildSurveyView(p, s, st.Values, errs, st.Page)
	v.SID, v.Sig, v.Notice, v.Resume, v.Available = st.SID, h.formSignature(s.Link.ID, st.SID), st.Notice, st.Resume, true
	v.Code = st.Code
	p.Title = v.Title
	if len(errs) > 0 {
		p.Title = p.T("survey.error.title_prefix") + " " + v.Title
	}
	p.Data = v
	return h.views.render(c, status, "survey", p)
}

func (h *handler) renderUnavailable(c *fiber.Ctx, p *page, s *openSurvey, a surveys.Availability) error {
	v := surveyView{Title: s.Instrument.Title.In(p.Lang), UnitName: s.Unit.Name, Closed: a == surveys.Closed}
	p.Title = v.Title
	p.Data = v
	status := fiber.StatusOK
	if v.Closed {
		status = fiber.StatusGone
	}
	return h.views.render(c, status, "unavailable", p)
}

package web

import (
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// surveyShow renders a page of the form behind an open link: the relative's
// journey when the cookie leads to one, a blank first page otherwise.
func (h *handler) surveyShow(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	pageIndex, asked := journeyPage(c, s.Instrument)
	if j, ok := h.journeyOf(c, s); ok {
		st := formState{Values: j.Values, Page: pageIndex, SID: j.SID, Resume: j.Resume, Code: j.Code}
		if j.Notice != "" {
			st.Notice = p.T(j.Notice)
		}
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	st := formState{SID: surveys.NewSubmissionID()}
	if asked && pageIndex > 0 {
		// A later page without its journey: the answers have expired.
		st.Notice = p.T("survey.flow.expired", "Hours", int(surveys.JourneyTTL.Hours()))
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	key, cacheable := freshFormKey(c, s, p)
	if !cacheable {
		return h.renderSurvey(c, p, s, fiber.StatusOK, st, nil)
	}
	blank, err := h.blanks.get(key, func() (*skeleton, error) {
		v := buildSurveyView(p, s, nil, nil, 0)
		v.SID, v.Sig, v.Available = sidMark, sigMark, true
		p.Title, p.Data = surveyTitle(p, v, fiber.StatusOK), v
		html, err := h.views.bytes("survey", p)
		if err != nil {
			return nil, err
		}
		return cutIdentity(string(html))
	})
	if err != nil {
		return err
	}
	blank.fill(htmlBody(c, fiber.StatusOK), &surveyView{SID: st.SID, Sig: h.formSignature(s.Link.ID, st.SID)})
	return nil
}

// A blank form differs between relatives only in its submission id and
// signature, so it is rendered once per link, language and address, cut
// at those two (a skeleton, survey_skeleton.go), and filled in for each
// relative: loading a form costs a copy, not a render. The marks are
// letters only, which html/template leaves as they are.
const (
	sidMark = "stemmeSubmissionIDMarkQ7x"
	sigMark = "stemmeSignatureMarkQ7x"
)

// freshFormKey says whether this blank form may come from the cache: only
// with no query but the language, so no code ever lands in the cache. The
// key holds the language resolved, not the one asked for, so an unknown
// ?lang= cannot fill the cache with copies.
func freshFormKey(c *fiber.Ctx, s *openSurvey, p *page) (string, bool) {
	q := c.Context().QueryArgs()
	if q.Len() > 1 || (q.Len() == 1 && !q.Has("lang")) {
		return "", false
	}
	// The logo's version is in the key so that a new logo shows at once.
	return s.Link.ID + "\x00" + p.Lang + "\x00" + p.Content + "\x00" + p.LogoURL + "\x00" + string(c.Request().URI().Host()) + c.Path(), true
}

// freshFormCache holds rendered thank-you pages.
type freshFormCache = renderCache[[]byte]

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
	if st.Kept {
		// A post answered with the form is a page of its own; with scripts,
		// its history entry becomes the page's address, so Back and reload
		// never offer to send the form again.
		v.PageURL = pageURL(s.Link.ID, v.PageIndex)
	}
	if plainPage(p, &v, status) {
		// A page of the journey: its skeleton with the values written in.
		sk, err := h.skeletons.get(skeletonKey(c, s, p, &v), func() (*skeleton, error) {
			sk, err := h.newSkeleton(p, v)
			if err != nil {
				// Not cut as expected (a template changed): drawn by the template.
				h.cfg.Logger.Error("form page without a skeleton", slog.String("error", err.Error()))
				return nil, nil
			}
			return sk, nil
		})
		if err == nil && sk != nil {
			sk.fill(htmlBody(c, status), &v)
			return nil
		}
	}
	p.Title = surveyTitle(p, v, status)
	p.Data = v
	return h.views.render(c, status, "survey", p)
}

// surveyTitle names one page of a form: "Side 3 av 10 – Familien – …",
// with "Feil:" in front when the page is answered with an error.
func surveyTitle(p *page, v surveyView, status int) string {
	parts := []string{p.T("survey.flow.title", "Current", v.Step, "Total", v.Steps)}
	if v.Page.Title != "" {
		parts = append(parts, v.Page.Title)
	}
	title := strings.Join(append(parts, v.Title), " – ")
	if status >= 400 {
		return errorTitle(p, title)
	}
	return title
}

// errorTitle marks the title of a page answered with an error, so a screen
// reader says so first: "Feil: …".
func errorTitle(p *page, title string) string {
	return p.T("survey.error.title_prefix") + " " + title
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

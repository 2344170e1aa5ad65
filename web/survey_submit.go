package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// formState is where a relative is in a form: everything entered so far, the
// page shown, the submission id and, once saved, the resume code.
type formState struct {
	Values map[string][]string
	Page   int
	SID    string
	Resume string
	// Code is the invitation code the form was opened with, spent at submit.
	Code   string
	Notice string
	// Kept is true once the journey holds this state (see sendBack).
	Kept bool
}

// surveySubmit moves through the form (next, back, another language),
// saves it for later, or submits it. Every move is stored in the journey and
// answered with a redirect to the page to show (survey_journey.go); a form
// with errors is shown again at once, with a 4xx status.
func (h *handler) surveySubmit(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	in := s.Instrument
	values, ok := formValues(c)
	st := formState{Values: values, Page: pageFrom(values, in), Resume: surveys.NormalizeCode(first(values["_resume"])),
		Code: surveys.NormalizeCode(first(values["_code"]))}
	if !ok {
		st.SID, st.Notice = surveys.NewSubmissionID(), p.T("survey.error.malformed")
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, nil)
	}
	var signed bool
	if st.SID, signed = h.submissionID(s, values); !signed {
		st.Notice = p.T("survey.error.expired")
		return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, nil)
	}
	// The answers are parsed once per post, whatever it asks for.
	answers, errs := in.ParseAnswers(values, in.Pages)
	if lang := first(values["_lang"]); lang != "" {
		return h.switchLanguage(c, p, s, st, lang)
	}
	switch first(values["_action"]) {
	case "back":
		return h.goTo(c, p, s, st, step(in, answers, st.Page, -1), "")
	case "save":
		return h.saveDraft(c, p, s, st)
	case "next":
		if errs = onPage(in.Pages[st.Page], errs); len(errs) > 0 {
			return h.sendBack(c, p, s, st, errs, "")
		}
		return h.goTo(c, p, s, st, step(in, answers, st.Page, +1), "")
	case "submit":
		return h.submit(c, p, s, st, answers, errs)
	}
	// A post that says neither where to go nor to submit is no answer:
	// partial journeys are never stored.
	return h.sendBack(c, p, s, st, nil, p.T("survey.flow.no_action"))
}

// sendBack answers a post with its page again, 400, saying what to fix.
// What was typed is kept in the journey first, so leaving the page (Back,
// reload, another language) loses nothing.
func (h *handler) sendBack(c *fiber.Ctx, p *page, s *openSurvey, st formState, errs []surveys.FieldError, notice string) error {
	st.Notice = notice
	st.Kept = h.keepJourney(c, s, st, "")
	return h.renderSurvey(c, p, s, fiber.StatusBadRequest, st, errs)
}

// onPage keeps the errors of the questions on one page.
func onPage(pg surveys.Page, errs []surveys.FieldError) []surveys.FieldError {
	var out []surveys.FieldError
	for _, e := range errs {
		for _, q := range pg.Questions {
			if q.Key == e.Key {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// pageFrom reads the page the form was on, defaulting to the first.
func pageFrom(values map[string][]string, in *surveys.Instrument) int {
	n, err := strconv.Atoi(first(values["_page"]))
	if err != nil || n < 0 || n >= len(in.Pages) {
		return 0
	}
	return n
}

// step moves to the next (+1) or previous (-1) page that the answers make
// visible, staying put at either end.
func step(in *surveys.Instrument, answers surveys.Answers, from, dir int) int {
	visible := in.VisiblePages(answers)
	for i := from + dir; i >= 0 && i < len(in.Pages); i += dir {
		for _, v := range visible {
			if v == i {
				return i
			}
		}
	}
	return from
}

func firstPageWith(in *surveys.Instrument, errs []surveys.FieldError) int {
	for i, pg := range in.Pages {
		for _, q := range pg.Questions {
			for _, e := range errs {
				if e.Key == q.Key {
					return i
				}
			}
		}
	}
	return 0
}

// formValues reads an url-encoded form. It reports false for any other body,
// keeping what could be read so nothing entered is lost.
func formValues(c *fiber.Ctx) (map[string][]string, bool) {
	values := map[string][]string{}
	ctype := strings.ToLower(c.Get(fiber.HeaderContentType))
	ok := strings.HasPrefix(ctype, fiber.MIMEApplicationForm)
	if ok {
		for k, v := range c.Request().PostArgs().All() {
			key := string(k)
			values[key] = append(values[key], string(v))
		}
	}
	return values, ok
}

// submissionID returns the form's submission id when its signature holds,
// and a fresh one (with false) when it does not.
func (h *handler) submissionID(s *openSurvey, values map[string][]string) (string, bool) {
	sid := first(values["_sid"])
	if h.validSignature(s.Link.ID, sid, first(values["_sig"])) {
		return sid, true
	}
	return surveys.NewSubmissionID(), false
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// surveyTooMany answers a client over its rate limit with the form and
// everything entered in it, so nothing is lost while they wait.
func (h *handler) surveyTooMany(c *fiber.Ctx) error {
	s, p, err := h.answerable(c)
	if s == nil || err != nil {
		return err
	}
	values, _ := formValues(c)
	st := formState{Values: values, Page: pageFrom(values, s.Instrument), Notice: p.T("survey.error.too_many"),
		Resume: surveys.NormalizeCode(first(values["_resume"])), Code: surveys.NormalizeCode(first(values["_code"]))}
	st.SID, _ = h.submissionID(s, values)
	c.Set(fiber.HeaderRetryAfter, "60")
	return h.renderSurvey(c, p, s, fiber.StatusTooManyRequests, st, nil)
}

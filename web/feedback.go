package web

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// feedbackSigLink is what the feedback form's submission id is signed with,
// in place of a survey link.
const feedbackSigLink = "feedback"

// feedbackShow renders the feedback form: for the whole municipality at
// /tilbakemelding, for one unit at /tilbakemelding/UNIT; ?ung=1 gives the
// plain-language wording for young relatives.
func (h *handler) feedbackShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	var form feedbackForm
	var unitName string
	if id := c.Params("unit"); id != "" {
		u, ok := findUnit(units, id)
		if !ok || !serviceUnit(u) {
			return fiber.ErrNotFound
		}
		form.Unit, unitName = u.ID, u.Name
	}
	return h.renderFeedback(c, fiber.StatusOK, units, form, unitName, c.Query("ung") == "1", surveys.NewSubmissionID(), "", nil)
}

// feedbackSubmit validates and stores the form. Every error re-renders the
// form with everything entered; the thank-you page follows the store's
// acknowledgement. No address, user agent or time of day is kept.
func (h *handler) feedbackSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	p := h.page(c)
	values, formOK := formValues(c)
	form, unitName, young := readFeedbackForm(values, units)
	sid := first(values["_sid"])
	render := func(status int, notice string, errs []feedback.FieldError) error {
		return h.renderFeedback(c, status, units, form, unitName, young, sid, notice, errs)
	}
	if !formOK {
		sid = surveys.NewSubmissionID()
		return render(fiber.StatusBadRequest, "survey.error.malformed", nil)
	}
	if !h.validSignature(feedbackSigLink, sid, first(values["_sig"])) {
		sid = surveys.NewSubmissionID()
		return render(fiber.StatusBadRequest, "survey.error.expired", nil)
	}
	sub := form.submission(sid, p.Lang, young)
	errs := sub.Validate()
	if form.Unit != "" {
		if u, ok := findUnit(units, form.Unit); !ok || !serviceUnit(u) {
			errs = append(errs, feedback.FieldError{Field: "unit", Message: "feedback.error.choice"})
		}
	} else {
		sub.Unit = municipalityID(units)
	}
	if len(errs) > 0 {
		return render(fiber.StatusBadRequest, "", errs)
	}
	now := h.cfg.Now()
	_, req, err := h.feedback.Submit(ctx, sub, now)
	if err != nil {
		h.cfg.Logger.Error("feedback not saved", slog.String("error", err.Error()))
		return render(fiber.StatusServiceUnavailable, "feedback.error.not_saved", nil)
	}
	p.Title = p.T("feedback.thanks_title")
	v := feedbackThanksView{Young: young, RetentionDays: h.retentionDays()}
	if req != nil {
		v.Contact, v.DueDate = true, req.DueDate
		// The follow-up staff hear of it by e-mail: a link, no personal data.
		if err := h.notify.ContactRequest(ctx, *req, now); err != nil {
			h.cfg.Logger.Error("contact request not announced", slog.String("error", err.Error()))
		}
	}
	p.Data = v
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, fiber.StatusOK, "feedback_thanks", p)
}

// feedbackTooMany answers a client over its rate limit with the form and
// everything entered in it.
func (h *handler) feedbackTooMany(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	values, _ := formValues(c)
	form, unitName, young := readFeedbackForm(values, units)
	sid := first(values["_sid"])
	if !h.validSignature(feedbackSigLink, sid, first(values["_sig"])) {
		sid = surveys.NewSubmissionID()
	}
	c.Set(fiber.HeaderRetryAfter, "60")
	return h.renderFeedback(c, fiber.StatusTooManyRequests, units, form, unitName, young, sid, "feedback.error.too_many", nil)
}

// readFeedbackForm reads the posted fields; unitName is set when the form
// was a unit's own (the unit came as a hidden field).
func readFeedbackForm(values map[string][]string, units []surveys.Unit) (feedbackForm, string, bool) {
	v := func(k string) string { return first(values[k]) }
	f := feedbackForm{Unit: v("unit"), Focus: v("focus"), Text: v("text"), Contact: v("contact") == "yes",
		Name: v("name"), Phone: v("phone"), Email: v("email"), ContactLang: v("contact_lang"),
		ContactTime: v("contact_time"), FollowUp: v("follow_up")}
	var unitName string
	if v("unit_fixed") == "1" {
		if u, ok := findUnit(units, f.Unit); ok {
			unitName = u.Name
		}
	}
	return f, unitName, v("young") == "1"
}

func (h *handler) renderFeedback(c *fiber.Ctx, status int, units []surveys.Unit, form feedbackForm, unitName string,
	young bool, sid, notice string, errs []feedback.FieldError) error {
	p := h.page(c)
	v := buildFeedbackView(p, units, form)
	v.UnitName, v.Young, v.SID, v.Sig = unitName, young, sid, h.formSignature(feedbackSigLink, sid)
	v.RetentionDays = h.retentionDays()
	if notice != "" {
		v.Notice = p.T(notice)
	}
	for _, e := range errs {
		v.Errors = append(v.Errors, fieldError{Field: e.Field, Target: v.target(e.Field), Message: p.T(e.Message, "Max", feedback.MaxText)})
	}
	path := "/tilbakemelding"
	if unitName != "" {
		path += "/" + form.Unit
	}
	// The language picker keeps the unit and the wording, also after a post.
	suffix := ""
	v.Other = path + "?ung=1"
	if young {
		suffix, v.Other = "&ung=1", path
	}
	for i := range p.Langs {
		p.Langs[i].URL = path + "?lang=" + p.Langs[i].Code + suffix
	}
	p.Title = p.T(v.Key("heading"))
	if len(errs) > 0 {
		p.Title = errorTitle(p, p.Title)
	}
	p.Data = v
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, status, "feedback", p)
}

func findUnit(units []surveys.Unit, id string) (surveys.Unit, bool) {
	for _, u := range units {
		if u.ID == id {
			return u, true
		}
	}
	return surveys.Unit{}, false
}

// retentionDays is how long contact data is kept after a case is closed, in days.
func (h *handler) retentionDays() int {
	return int(h.cfg.ContactRetention / (24 * time.Hour))
}

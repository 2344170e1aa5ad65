package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// The follow-up register: follow-up staff (their units) and admins enrol
// relatives with consent, record conversations, and end enrolments. The
// list shows no names; opening an entry reveals its contact data and is
// audited, as for contact requests.

type registerRow struct {
	ID, Unit, Started, Interval, NextDue string
	Talks                                int
	Overdue                              bool
}

type registerView struct {
	Rows []registerRow
	// The enrolment form.
	Units     []option
	Languages []option
	Form      registerForm
	Errors    map[string]string
	Error     string
}

type registerForm struct {
	Unit, Interval, Started, Name, Phone, Email, Lang, About string
	Consent                                                  bool
}

// registerList lists the active enrolments of the user's units.
func (h *handler) registerList(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "register.title")
	units, all := feedback.HandledUnits(*p.User)
	es, err := h.feedback.Enrolments(ctx, units, all)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	today := surveys.LocalDate(h.cfg.Now())
	var v registerView
	for _, e := range es {
		v.Rows = append(v.Rows, registerRow{ID: e.ID, Unit: unitLabel(p, names, e.Unit), Started: e.Started,
			Interval: p.T("register.interval." + e.Interval), NextDue: e.NextDue(), Talks: len(e.Talks), Overdue: e.NextDue() < today})
	}
	if c.Query("done") != "" {
		p.Notice = p.T("register.done." + c.Query("done"))
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "register", p)
}

func (h *handler) registerNew(c *fiber.Ctx) error {
	p := h.staffPage(c, "register.new_title")
	return h.renderRegisterForm(c, p, fiber.StatusOK, registerView{Form: registerForm{Interval: feedback.FollowUpHalfYear,
		Lang: "nb", Started: surveys.LocalDate(h.cfg.Now())}})
}

func (h *handler) renderRegisterForm(c *fiber.Ctx, p *page, status int, v registerView) error {
	units, err := h.serviceUnits(c)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Active && canHandle(p, u.ID) {
			v.Units = append(v.Units, option{Value: u.ID, Label: u.Name, Selected: u.ID == v.Form.Unit})
		}
	}
	for _, l := range locales.All {
		v.Languages = append(v.Languages, option{Value: l.Code, Label: l.Name, Lang: l.Code, Dir: dir(l.RTL), Selected: l.Code == v.Form.Lang})
	}
	p.Data = v
	return h.views.render(c, status, "register_new", p)
}

// registerCreate enrols a relative.
func (h *handler) registerCreate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "register.new_title")
	f := registerForm{Unit: c.FormValue("unit"), Interval: c.FormValue("interval"), Started: strings.TrimSpace(c.FormValue("started")),
		Name: c.FormValue("name"), Phone: c.FormValue("phone"), Email: c.FormValue("email"), Lang: c.FormValue("lang"),
		About: c.FormValue("about"), Consent: c.FormValue("consent") == "yes"}
	if f.Unit != "" && !canHandle(p, f.Unit) {
		return fiber.ErrForbidden
	}
	e, problems, err := h.ops.FollowUp.Enrol(ctx, actor(c), f.Unit, f.Interval, f.Started,
		feedback.RegisterContact{Name: f.Name, Phone: f.Phone, Email: f.Email, Lang: f.Lang, About: f.About}, f.Consent)
	if err != nil {
		return storeError(err)
	}
	if len(problems) > 0 {
		v := registerView{Form: f, Errors: map[string]string{}, Error: p.T("register.error.summary")}
		for _, pr := range problems {
			v.Errors[pr.Field] = p.T(pr.Message, "Max", feedback.MaxAbout)
		}
		return h.renderRegisterForm(c, p, fiber.StatusBadRequest, v)
	}
	return c.Redirect("/admin/register/"+e.ID, fiber.StatusSeeOther)
}

type registerEntryView struct {
	Entry        feedback.Enrolment
	Unit         string
	Contact      feedback.RegisterContact
	ContactLang  string
	NextDue      string
	Today, By    string
	Error        string
	Intervals    []choice
	FromFeedback bool
}

// loadEnrolment finds the :id enrolment and checks the user handles its unit.
func (h *handler) loadEnrolment(c *fiber.Ctx, p *page) (feedback.Enrolment, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	e, err := h.feedback.Enrolment(ctx, c.Params("id"))
	switch {
	case store.IsNotFound(err):
		return e, fiber.ErrNotFound
	case err != nil:
		return e, storeError(err)
	case !canHandle(p, e.Unit):
		return e, fiber.ErrForbidden
	case e.Status != feedback.EnrolActive:
		return e, fiber.ErrNotFound // ended: its contact data is gone or going
	}
	return e, nil
}

// registerShow shows one enrolment with its contact data, audited first.
func (h *handler) registerShow(c *fiber.Ctx) error {
	p := h.staffPage(c, "register.entry_title")
	e, err := h.loadEnrolment(c, p)
	if err != nil {
		return err
	}
	return h.renderEnrolment(c, p, e, fiber.StatusOK, "")
}

func (h *handler) renderEnrolment(c *fiber.Ctx, p *page, e feedback.Enrolment, status int, errKey string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	now := h.cfg.Now()
	if err := h.staff.Audit(ctx, now, actor(c), staff.AuditContactView, "register/"+e.ID, e.Unit); err != nil {
		return storeError(err)
	}
	ct, err := h.feedback.RevealEnrolment(e)
	if err != nil {
		return err
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := registerEntryView{Entry: e, Unit: unitLabel(p, names, e.Unit), Contact: ct, NextDue: e.NextDue(),
		Today: surveys.LocalDate(now), By: p.User.Name, FromFeedback: e.FromCase != ""}
	for _, l := range locales.All {
		if l.Code == ct.Lang {
			v.ContactLang = l.Name
		}
	}
	for _, iv := range []string{feedback.FollowUpHalfYear, feedback.FollowUpYearly} {
		v.Intervals = append(v.Intervals, choice{Value: iv, Label: p.T("register.interval." + iv), Selected: iv == e.Interval})
	}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	p.Data = v
	return h.views.render(c, status, "register_entry", p)
}

// registerChange runs one change of an enrolment: a conversation held, a
// new interval, consent withdrawn, or the service ended.
func (h *handler) registerChange(c *fiber.Ctx) error {
	p := h.staffPage(c, "register.entry_title")
	e, err := h.loadEnrolment(c, p)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	what := c.Params("change")
	switch what {
	case ops.RegisterConversation, ops.RegisterInterval, ops.RegisterWithdraw, ops.RegisterEnd:
	default:
		return fiber.ErrNotFound
	}
	err = h.ops.FollowUp.ChangeEnrolment(ctx, actor(c), e.ID, what, strings.TrimSpace(c.FormValue("date")), c.FormValue("by"),
		c.FormValue("interval"))
	switch {
	case errors.Is(err, feedback.ErrConversation):
		return h.renderEnrolment(c, p, e, fiber.StatusBadRequest, "followup.error.conversation")
	case errors.Is(err, feedback.ErrEnrolment):
		return h.renderEnrolment(c, p, e, fiber.StatusBadRequest, "register.error.change")
	case err != nil:
		return storeError(err)
	}
	if what == "withdraw" || what == "end" {
		return c.Redirect("/admin/register?done="+what, fiber.StatusSeeOther)
	}
	return c.Redirect("/admin/register/"+e.ID, fiber.StatusSeeOther)
}

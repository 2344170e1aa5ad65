package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

type followUpCaseView struct {
	Case                     caseRow
	Contact                  feedback.Contact
	ContactLang, ContactTime string
	Note                     string
	Text, Focus              string
	Young                    bool
	Talks                    []feedback.Conversation
	CanContact, CanClose     bool
	CanTalk                  bool
	Today, By                string
	Error                    string
	NoteValue, DateValue     string
	ContactedBy, ClosedBy    string
	Contacted, ClosedAt      string
	RetentionDays            int
	// FeedbackID is the feedback the case came with, for making an action of it.
	FeedbackID string
	// Tel is the phone number as a tel: link wants it, digits and + only.
	Tel string
}

// loadCase finds the case of the :id parameter and checks that the user
// handles its unit: 404 for no such case, 403 for another unit's.
func (h *handler) loadCase(c *fiber.Ctx, p *page) (feedback.ContactRequest, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	r, err := h.feedback.Request(ctx, c.Params("id"))
	if store.IsNotFound(err) {
		return r, fiber.ErrNotFound
	}
	if err != nil {
		return r, storeError(err)
	}
	if !canHandle(p, r.Unit) {
		return r, fiber.ErrForbidden
	}
	if !r.Purged.IsZero() {
		return r, fiber.ErrNotFound // its contact data is gone; only statistics remain
	}
	return r, nil
}

// followUpCase shows one case with the relative's contact data. Every view
// is audited before anything is decrypted; if the audit log cannot be
// written, nothing is shown.
func (h *handler) followUpCase(c *fiber.Ctx) error {
	p := h.staffPage(c, "followup.case_title")
	r, err := h.loadCase(c, p)
	if err != nil {
		return err
	}
	return h.renderCase(c, p, r, fiber.StatusOK, followUpCaseView{})
}

func (h *handler) renderCase(c *fiber.Ctx, p *page, r feedback.ContactRequest, status int, v followUpCaseView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	now := h.cfg.Now()
	if err := h.staff.Audit(ctx, now, actor(c), staff.AuditContactView, r.ID, r.Unit); err != nil {
		return storeError(err)
	}
	contact, note, err := h.feedback.Reveal(r)
	if err != nil {
		return err // a key that does not open the data is a 500 for the operator, not a 4xx
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v.Case, v.Contact, v.Note, v.Talks = h.caseRow(p, names, r, now), contact, note, r.Talks
	for _, l := range locales.All {
		if l.Code == contact.Lang {
			v.ContactLang = l.Name
		}
	}
	v.ContactTime = p.T("feedback.time." + contact.Time)
	v.Tel = strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, contact.Phone)
	if r.Feedback != "" {
		v.FeedbackID = r.Feedback
		if f, err := h.feedback.Feedback(ctx, r.Feedback); err == nil {
			v.Text, v.Young = f.Text, f.Young
			if f.Focus != "" {
				v.Focus = feedback.FocusName(f.Focus, p.Lang)
			}
		}
	}
	v.CanContact = r.Status == feedback.StatusNew
	v.CanClose = r.Status != feedback.StatusClosed
	v.CanTalk = r.Status == feedback.StatusContacted && r.FollowUp != "" && r.FollowUp != feedback.FollowUpNone
	v.Today = surveys.LocalDate(now)
	if v.DateValue == "" {
		v.DateValue = v.Today
	}
	if v.By == "" {
		v.By = p.User.Name
	}
	v.ContactedBy, v.ClosedBy = r.ContactedBy, r.ClosedBy
	if !r.Contacted.IsZero() {
		v.Contacted = r.Contacted.In(surveys.Oslo).Format("2006-01-02 15:04")
	}
	if !r.Closed.IsZero() {
		v.ClosedAt = r.Closed.In(surveys.Oslo).Format("2006-01-02 15:04")
	}
	v.RetentionDays = h.retentionDays()
	if v.Error != "" {
		v.Error = p.T(v.Error)
	}
	p.Data = v
	return h.views.render(c, status, "followup_case", p)
}

// followUpContacted records that the relative has been contacted.
func (h *handler) followUpContacted(c *fiber.Ctx) error {
	return h.caseChange(c, "contacted", func(r feedback.ContactRequest) error {
		ctx, cancel := h.ctx(c)
		defer cancel()
		return h.ops.FollowUp.MarkContacted(ctx, actor(c), r.ID)
	})
}

// followUpClose closes the case with a note.
func (h *handler) followUpClose(c *fiber.Ctx) error {
	return h.caseChange(c, "closed", func(r feedback.ContactRequest) error {
		ctx, cancel := h.ctx(c)
		defer cancel()
		return h.ops.FollowUp.Close(ctx, actor(c), r.ID, c.FormValue("note"))
	})
}

// followUpConversation records a follow-up conversation held.
func (h *handler) followUpConversation(c *fiber.Ctx) error {
	return h.caseChange(c, "conversation", func(r feedback.ContactRequest) error {
		ctx, cancel := h.ctx(c)
		defer cancel()
		return h.ops.FollowUp.RecordConversation(ctx, actor(c), r.ID, strings.TrimSpace(c.FormValue("date")), c.FormValue("by"))
	})
}

// caseChange runs one change of a case (an operation, which audits it) and
// goes back to the case; a refused change shows the case again with the message and what
// was typed.
func (h *handler) caseChange(c *fiber.Ctx, what string, change func(feedback.ContactRequest) error) error {
	p := h.staffPage(c, "followup.case_title")
	r, err := h.loadCase(c, p)
	if err != nil {
		return err
	}
	err = change(r)
	v := followUpCaseView{NoteValue: c.FormValue("note"), DateValue: c.FormValue("date"), By: c.FormValue("by")}
	switch {
	case errors.Is(err, feedback.ErrTransition):
		v.Error = "followup.error.transition"
		return h.renderCase(c, p, r, fiber.StatusConflict, v)
	case errors.Is(err, feedback.ErrNote):
		v.Error = "followup.error.note"
		return h.renderCase(c, p, r, fiber.StatusBadRequest, v)
	case errors.Is(err, feedback.ErrConversation):
		v.Error = "followup.error.conversation"
		return h.renderCase(c, p, r, fiber.StatusBadRequest, v)
	case store.IsNotFound(err):
		return fiber.ErrNotFound
	case err != nil:
		return storeError(err)
	}
	return c.Redirect("/admin/followup/"+r.ID, fiber.StatusSeeOther)
}

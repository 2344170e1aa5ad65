package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

type reviewedFeedbackView struct {
	Rows []reviewedFeedbackRow
	// CanAct: advisors and admins make actions from feedback.
	CanAct bool
}

type reviewedFeedbackRow struct {
	ID, Date, Unit, Focus, Text string
}

// reviewedFeedback shows standing feedback that passed the free-text
// review: unit leaders see their own units', advisors and admins all.
// Only reviewed text reaches anyone here, redactions in place of originals.
func (h *handler) reviewedFeedback(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "review.feedback_title")
	all := p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor)
	fs, err := h.feedback.Reviewed(ctx, p.User.UnitsFor(staff.RoleUnitLeader), all, feedbackListLimit)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := reviewedFeedbackView{CanAct: all}
	for _, f := range fs {
		row := reviewedFeedbackRow{ID: f.ID, Date: f.Date, Unit: unitLabel(p, names, f.Unit), Text: f.Text}
		if f.Focus != "" {
			row.Focus = feedback.FocusName(f.Focus, p.Lang)
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "review_feedback", p)
}

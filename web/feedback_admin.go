package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

type feedbackRow struct {
	Date, Unit, Focus, Text, Review string
	Young                           bool
}

type feedbackListView struct {
	Rows []feedbackRow
}

// feedbackListLimit bounds the feedback list; the newest come first.
const feedbackListLimit = 200

// feedbackList shows the latest feedback texts of the user's units. The
// texts are anonymous; until the free-text review has passed them only
// follow-up staff and admins read them, here.
func (h *handler) feedbackList(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "followup.feedback_title")
	units, all := feedback.HandledUnits(*p.User)
	fs, err := h.feedback.List(ctx, units, all, feedbackListLimit)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	var v feedbackListView
	for _, f := range fs {
		if f.Text == "" {
			continue // a contact request without a message
		}
		row := feedbackRow{Date: f.Date, Unit: unitLabel(p, names, f.Unit), Text: f.Text, Young: f.Young,
			Review: p.T("followup.review." + f.Review)}
		if f.Focus != "" {
			row.Focus = feedback.FocusName(f.Focus, p.Lang)
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "feedback_list", p)
}

type countRow struct {
	Month, Unit, Focus string
	N                  int
}

type feedbackStatsView struct {
	From, To string
	Counts   []countRow
	Shares   []shareRow
	Error    string
}

// feedbackStats shows advisors how much feedback each unit got per focus
// area and month, and the share of contact requests answered within the
// deadline per unit. No text and no contact data: counts only.
func (h *handler) feedbackStats(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "followup.stats_title")
	now := h.cfg.Now().In(surveys.Oslo)
	from := time.Date(now.Year(), now.Month()-11, 1, 0, 0, 0, 0, surveys.Oslo)
	to := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, surveys.Oslo)
	status := fiber.StatusOK
	var v feedbackStatsView
	if q := c.Query("from"); q != "" {
		if d, err := time.ParseInLocation(time.DateOnly, q, surveys.Oslo); err == nil {
			from = d
		} else {
			status, v.Error = fiber.StatusBadRequest, p.T("followup.error.period")
		}
	}
	if q := c.Query("to"); q != "" {
		if d, err := time.ParseInLocation(time.DateOnly, q, surveys.Oslo); err == nil {
			to = d.AddDate(0, 0, 1)
		} else {
			status, v.Error = fiber.StatusBadRequest, p.T("followup.error.period")
		}
	}
	if !from.Before(to) {
		status, v.Error = fiber.StatusBadRequest, p.T("followup.error.period")
	}
	v.From, v.To = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	if status == fiber.StatusOK {
		counts, err := h.feedback.Counts(ctx, from, to)
		if err != nil {
			return storeError(err)
		}
		for _, n := range counts {
			row := countRow{Month: n.Month, Unit: unitLabel(p, names, n.Unit), Focus: p.T("followup.focus_none"), N: n.N}
			if n.Focus != "" {
				row.Focus = feedback.FocusName(n.Focus, p.Lang)
			}
			v.Counts = append(v.Counts, row)
		}
		shares, err := h.feedback.DeadlineShares(ctx, from, to)
		if err != nil {
			return storeError(err)
		}
		for _, s := range shares {
			v.Shares = append(v.Shares, shareRow{Unit: unitLabel(p, names, s.Unit), Within: s.Within, Total: s.Total, Percent: s.Percent()})
		}
	}
	p.Data = v
	return h.views.render(c, status, "feedback_stats", p)
}

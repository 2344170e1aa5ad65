package web

import (
	"cmp"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// caseRow is one contact request as the queue shows it: no contact data,
// so the queue itself reveals nobody and needs no audit entry.
type caseRow struct {
	ID, Unit, Received, DueDate, Status, FollowUp, NextConversation string
	Overdue, ConversationDue                                        bool
}

type shareRow struct {
	Unit                   string
	Within, Total, Percent int
}

type followUpQueueView struct {
	Closed        bool
	Cases         []caseRow
	Conversations []caseRow
	Shares        []shareRow
	RetentionDays int
}

// followUpQueue lists the open contact requests of the user's units by
// deadline, overdue ones marked, and the follow-up conversations due;
// ?closed=1 lists the closed cases whose contact data is not yet purged.
func (h *handler) followUpQueue(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "followup.title")
	units, all := feedback.HandledUnits(*p.User)
	closed := c.Query("closed") == "1"
	rs, err := h.feedback.Requests(ctx, units, all, closed)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	today := surveys.LocalDate(now)
	v := followUpQueueView{Closed: closed, RetentionDays: h.retentionDays()}
	for _, r := range rs {
		row := h.caseRow(p, names, r, now)
		v.Cases = append(v.Cases, row)
		if row.NextConversation != "" {
			row.ConversationDue = row.NextConversation <= today
			v.Conversations = append(v.Conversations, row)
		}
	}
	slices.SortFunc(v.Conversations, func(a, b caseRow) int { return cmp.Compare(a.NextConversation, b.NextConversation) })
	shares, err := h.feedback.DeadlineShares(ctx, now.AddDate(-1, 0, 0), now.Add(time.Hour))
	if err != nil {
		return storeError(err)
	}
	for _, s := range shares {
		if all || slices.Contains(units, s.Unit) {
			v.Shares = append(v.Shares, shareRow{Unit: unitLabel(p, names, s.Unit), Within: s.Within, Total: s.Total, Percent: s.Percent()})
		}
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "followup", p)
}

func (h *handler) caseRow(p *page, names unitIndex, r feedback.ContactRequest, now time.Time) caseRow {
	row := caseRow{ID: r.ID, Unit: unitLabel(p, names, r.Unit), Received: r.Received.In(surveys.Oslo).Format("2006-01-02 15:04"),
		DueDate: r.DueDate, Status: p.T("followup.status." + r.Status), Overdue: r.Overdue(now),
		NextConversation: r.NextConversation()}
	if r.FollowUp != "" {
		row.FollowUp = p.T("feedback.follow_up." + r.FollowUp)
	}
	return row
}

func unitLabel(p *page, names unitIndex, id string) string {
	if id == "" {
		return p.T("followup.no_unit")
	}
	if n, ok := names[id]; ok {
		return n
	}
	return id
}

// canHandle is feedback.CanHandle for the signed-in user.
func canHandle(p *page, unit string) bool {
	return p.User != nil && feedback.CanHandle(*p.User, unit)
}

package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// ContactRequest tells the follow-up staff of the unit that a relative asks
// to be contacted, with the deadline and a link to the case: nothing about
// the relative, who is only seen behind the login.
func (n *Notifier) ContactRequest(ctx context.Context, r feedback.ContactRequest, now time.Time) error {
	users, err := n.followUpStaff(ctx, r.Unit)
	if err != nil {
		return err
	}
	_, err = n.toStaff(ctx, users, "contact/"+r.ID+"/new", "contact_new", r.ID,
		"mail.contact_new.subject", "mail.contact_new.body", n.caseData(ctx, r), now)
	return err
}

func (n *Notifier) caseData(ctx context.Context, r feedback.ContactRequest) map[string]any {
	unit := r.Unit
	if u, err := n.Surveys.Unit(ctx, r.Unit); err == nil {
		unit = u.Name
	}
	return map[string]any{"Unit": unit, "Due": r.DueDate, "Link": n.BaseURL + "/admin/followup/" + r.ID}
}

// ReminderDate is the working day before a request's due date: the first
// working day after it was received.
func ReminderDate(received time.Time) string {
	return feedback.AddWorkingDays(received, feedback.DeadlineWorkingDays-1).Format(time.DateOnly)
}

// Tick queues what has come due by now: reminders of contact requests on
// the working day before their deadline, alerts for those past it, notices
// of actions past their period to their owner, follow-up conversations
// coming due, and council decisions whose follow-up date comes near or
// has passed. It can run at any interval; each message is queued once.
func (n *Notifier) Tick(ctx context.Context, now time.Time) error {
	return errors.Join(n.contactDeadlines(ctx, now), n.dueActions(ctx, now), n.dueConversations(ctx, now),
		n.dueDecisions(ctx, now))
}

func (n *Notifier) contactDeadlines(ctx context.Context, now time.Time) error {
	open, err := n.Feedback.Requests(ctx, nil, true, false)
	if err != nil {
		return err
	}
	today := surveys.LocalDate(now)
	for _, r := range open {
		if r.Status != feedback.StatusNew {
			continue
		}
		var kind string
		switch {
		case r.Overdue(now):
			kind = "contact_overdue"
		case today >= ReminderDate(r.Received):
			kind = "contact_reminder"
		default:
			continue
		}
		users, err := n.followUpStaff(ctx, r.Unit)
		if err != nil {
			return err
		}
		if _, err := n.toStaff(ctx, users, "contact/"+r.ID+"/"+kind, kind, r.ID,
			"mail."+kind+".subject", "mail."+kind+".body", n.caseData(ctx, r), now); err != nil {
			return err
		}
	}
	return nil
}

// dueActions tells the owner of each open action whose period has ended,
// once a year.
func (n *Notifier) dueActions(ctx context.Context, now time.Time) error {
	year := now.In(surveys.Oslo).Year()
	due, err := n.Actions.Overdue(ctx, year)
	if err != nil {
		return err
	}
	for _, a := range due {
		if a.OwnerUser == "" {
			continue
		}
		u, err := n.Staff.User(ctx, a.OwnerUser)
		if err != nil || !u.Active {
			continue // the owner left; /admin lists the action as overdue
		}
		if _, err := n.toStaff(ctx, []staff.User{u}, "action/"+a.ID+"/due/"+strconv.Itoa(year), "action_due", a.ID,
			"mail.action_due.subject", "mail.action_due.body",
			map[string]any{"Title": a.Title, "Period": a.Period, "Link": n.BaseURL + "/admin/actions/" + a.ID}, now); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return nil
}

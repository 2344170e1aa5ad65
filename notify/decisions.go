package notify

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// DecisionNoticeDays is how many days before its follow-up date a council
// decision not yet followed up is recalled.
const DecisionNoticeDays = 7

// decisionTextShown is how much of a decision's text a reminder quotes;
// the meeting page has the rest.
const decisionTextShown = 300

// dueDecisions reminds the council's members, and the advisors who prepare
// its meetings and mark decisions followed up, of each decision not yet
// followed up: a week before its follow-up date, and once more when the
// date has passed. The date is part of each message's key, so that a
// decision ever given a new date would be recalled for that date too.
func (n *Notifier) dueDecisions(ctx context.Context, now time.Time) error {
	today := surveys.LocalDate(now)
	decisions, err := n.Council.Decisions(ctx, "")
	if err != nil {
		return err
	}
	var followers []staff.User
	for _, d := range decisions {
		kind := ""
		switch {
		case d.Done:
			continue
		case d.Overdue(today):
			kind = "decision_overdue"
		case today >= noticeDate(d.FollowUp):
			kind = "decision_due"
		default:
			continue
		}
		if followers == nil {
			if followers, err = n.decisionFollowers(ctx); err != nil {
				return err
			}
		}
		if _, err := n.toStaff(ctx, followers, "decision/"+d.ID+"/"+kind+"/"+d.FollowUp, kind, d.ID,
			"mail."+kind+".subject", "mail."+kind+".body", n.decisionData(ctx, d), now); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return nil
}

// noticeDate is DecisionNoticeDays before a follow-up date (YYYY-MM-DD).
func noticeDate(followUp string) string {
	d, err := time.Parse(time.DateOnly, followUp)
	if err != nil {
		return followUp
	}
	return d.AddDate(0, 0, -DecisionNoticeDays).Format(time.DateOnly)
}

// decisionFollowers are the council's members and the advisors, each once;
// the admins when there are neither, so that no decision goes unseen.
func (n *Notifier) decisionFollowers(ctx context.Context) ([]staff.User, error) {
	members, err := n.withRole(ctx, staff.RoleCouncil, "")
	if err != nil {
		return nil, err
	}
	advisors, err := n.withRole(ctx, staff.RoleAdvisor, "")
	if err != nil {
		return nil, err
	}
	out := members
	for _, a := range advisors {
		if !slices.ContainsFunc(out, func(u staff.User) bool { return u.ID == a.ID }) {
			out = append(out, a)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	return n.withRole(ctx, staff.RoleAdmin, "")
}

func (n *Notifier) decisionData(ctx context.Context, d council.Decision) map[string]any {
	text := d.Text
	if utf8.RuneCountInString(text) > decisionTextShown {
		text = string([]rune(text)[:decisionTextShown-1]) + "…"
	}
	meeting := ""
	if m, err := n.Council.Meeting(ctx, d.Meeting); err == nil {
		meeting = m.Date
	}
	return map[string]any{"Text": text, "Responsible": d.Responsible, "Due": d.FollowUp, "Meeting": meeting,
		"Link": n.BaseURL + "/admin/council/meetings/" + d.Meeting}
}

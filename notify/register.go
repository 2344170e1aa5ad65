package notify

import (
	"context"
	"time"

	"github.com/stemme/stemme/surveys"
)

// ConversationNotice is how long before a follow-up conversation is due
// its unit's follow-up staff are reminded.
const ConversationNotice = 14 * 24 * time.Hour

// dueConversations reminds follow-up staff of conversations in the
// follow-up register that fall due within ConversationNotice (or are
// past due), once per due date.
func (n *Notifier) dueConversations(ctx context.Context, now time.Time) error {
	es, err := n.Feedback.Enrolments(ctx, nil, true)
	if err != nil {
		return err
	}
	horizon := surveys.LocalDate(now.Add(ConversationNotice))
	for _, e := range es {
		due := e.NextDue()
		if due == "" || due > horizon {
			continue
		}
		users, err := n.followUpStaff(ctx, e.Unit)
		if err != nil {
			return err
		}
		unit := e.Unit
		if u, err := n.Surveys.Unit(ctx, e.Unit); err == nil {
			unit = u.Name
		}
		if _, err := n.toStaff(ctx, users, "register/"+e.ID+"/due/"+due, "followup_due", e.ID,
			"mail.followup_due.subject", "mail.followup_due.body",
			map[string]any{"Unit": unit, "Due": due, "Link": n.BaseURL + "/admin/register/" + e.ID}, now); err != nil {
			return err
		}
	}
	return nil
}

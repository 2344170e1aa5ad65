package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/staff"
)

// CouncilNotice sends the council's members (staff users with the council
// role) a notice of a meeting with its agenda, and returns how many were
// queued. Sending it again after the meeting or agenda changed sends the
// new version; sending the same again queues nothing.
func (n *Notifier) CouncilNotice(ctx context.Context, meetingID string, now time.Time) (int, error) {
	m, err := n.Council.Meeting(ctx, meetingID)
	if err != nil {
		return 0, err
	}
	items, err := n.Council.Agenda(ctx, m.ID)
	if err != nil {
		return 0, err
	}
	var agenda []string
	for i, it := range items {
		line := it.Topic
		switch it.Kind {
		case council.AgendaAction:
			line = n.T(StaffLanguage, "mail.council_notice.action", nil)
			if a, err := n.Actions.Get(ctx, it.Action); err == nil {
				line += ": " + a.Title
			}
		case council.AgendaFinding:
			line = n.T(StaffLanguage, "mail.council_notice.finding", nil)
		}
		agenda = append(agenda, "  "+strconv.Itoa(i+1)+". "+line)
	}
	if len(agenda) == 0 {
		agenda = []string{"  " + n.T(StaffLanguage, "mail.council_notice.no_agenda", nil)}
	}
	text := strings.Join(agenda, "\n")
	sum := sha256.Sum256([]byte(m.Date + "\x00" + m.Time + "\x00" + m.Place + "\x00" + m.Title + "\x00" + text))
	users, err := n.withRole(ctx, staff.RoleCouncil, "")
	if err != nil {
		return 0, err
	}
	return n.toStaff(ctx, users, "council/"+m.ID+"/"+hex.EncodeToString(sum[:6]), "council_notice", m.ID,
		"mail.council_notice.subject", "mail.council_notice.body",
		map[string]any{"Date": m.Date, "Time": m.Time, "Place": m.Place, "Title": m.Title, "Agenda": text,
			"Link": n.BaseURL + "/admin/council/meetings/" + m.ID}, now)
}

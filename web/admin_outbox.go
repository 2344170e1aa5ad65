package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/surveys"
)

type outboxView struct {
	Rows []outboxRow
	// Unconfigured lists channels whose messages wait for settings.
	Unconfigured []string
	Waiting      int
}

type outboxRow struct {
	Created, Channel, Kind, Recipient, Status, Next, LastError, Ref string
	Attempts                                                        int
}

// outboxListLimit bounds the finished messages listed.
const outboxListLimit = 300

// outboxList shows admins every waiting message and the latest finished
// ones: status, attempts and the last error, never their content.
func (h *handler) outboxList(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "outbox.title")
	ms, err := h.outbox.List(ctx, outboxListLimit)
	if err != nil {
		return storeError(err)
	}
	var v outboxView
	for _, ch := range []string{outbox.Email, outbox.SMS} {
		if !h.cfg.Channels[ch] {
			v.Unconfigured = append(v.Unconfigured, p.T("outbox.unconfigured."+ch))
		}
	}
	for _, m := range ms {
		row := outboxRow{Created: m.Created.In(surveys.Oslo).Format("2006-01-02 15:04"), Channel: p.T("outbox.channel." + m.Channel),
			Kind: p.T("outbox.kind." + m.Kind), Recipient: m.Recipient, Status: p.T("outbox.status." + m.Status),
			Attempts: m.Attempts, LastError: m.LastError, Ref: m.Ref}
		if row.Recipient == "" {
			row.Recipient = p.T("outbox.relative")
		}
		if m.Status == outbox.Queued || m.Status == outbox.Sending {
			v.Waiting++
			if h.cfg.Channels[m.Channel] {
				row.Next = m.NextAttempt.In(surveys.Oslo).Format("2006-01-02 15:04")
			} else {
				row.Next = p.T("outbox.waits_for_settings")
			}
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "outbox", p)
}

package web

import (
	"errors"
	"io"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/surveys"
)

// invitationSendView is the form for sending invitations by e-mail or SMS
// from an uploaded list.
type invitationSendView struct {
	Waves     []surveys.Wave
	Units     []surveys.Unit
	Languages []option
	Wave      string
	Unit      string
	Lang      string
	Channel   string
	Channels  []choice
	Error     string
	Problems  []string
	// Sent is how many invitations were just queued.
	Sent int
}

func (h *handler) invitationSendShow(c *fiber.Ctx) error {
	return h.renderInvitationSend(c, fiber.StatusOK, invitationSendView{Channel: outbox.Email, Lang: "nb"})
}

func (h *handler) renderInvitationSend(c *fiber.Ctx, status int, v invitationSendView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "invitations.send.title")
	for _, w := range waves {
		if w.Status == surveys.WaveOpen {
			v.Waves = append(v.Waves, w)
		}
	}
	if v.Units, err = h.serviceUnits(c); err != nil {
		return err
	}
	for _, l := range h.tr.langs {
		v.Languages = append(v.Languages, option{Value: l.Code, Label: l.Name, Lang: l.Code, Dir: dir(l.RTL), Selected: l.Code == v.Lang})
	}
	for _, ch := range []string{outbox.Email, outbox.SMS} {
		v.Channels = append(v.Channels, choice{Value: ch, Label: p.T("outbox.channel." + ch), Selected: ch == v.Channel})
	}
	if v.Error != "" {
		v.Error = p.T(v.Error)
	}
	if v.Sent > 0 {
		p.Notice = p.T("invitations.send.done", "Count", v.Sent)
	}
	p.Data = v
	return h.views.render(c, status, "invitations_send", p)
}

// invitationSend reads the uploaded list and, when every row is usable,
// issues one code per recipient and queues the messages. A list with any
// problem is refused whole, by row, and nothing is issued or queued.
func (h *handler) invitationSend(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.page(c)
	v := invitationSendView{Wave: c.FormValue("wave"), Unit: c.FormValue("unit"), Lang: c.FormValue("lang"), Channel: c.FormValue("channel")}
	fail := func(key string) error {
		v.Error = key
		return h.renderInvitationSend(c, fiber.StatusBadRequest, v)
	}
	if v.Channel != outbox.Email && v.Channel != outbox.SMS {
		return fail("invitations.send.error.channel")
	}
	if !h.cfg.Channels[v.Channel] {
		// Addresses that cannot be sent are not kept waiting.
		return fail("invitations.send.error.not_configured")
	}
	w, err := h.surveys.Wave(ctx, v.Wave)
	if err != nil || w.Status != surveys.WaveOpen {
		return fail("invitations.send.error.wave")
	}
	if !slices.Contains(w.Units, v.Unit) {
		return fail("invitations.error.unit")
	}
	if _, ok := h.tr.supported(v.Lang); !ok {
		return fail("invitations.send.error.lang")
	}
	fh, err := c.FormFile("list")
	if err != nil {
		return fail("invitations.send.error.no_file")
	}
	file, err := fh.Open()
	if err != nil {
		return fail("invitations.send.error.unreadable")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, notify.MaxListBytes+1))
	if err != nil {
		return fail("invitations.send.error.unreadable")
	}
	recipients, problems, err := notify.ReadRecipients(data, fh.Filename, v.Channel)
	if errors.Is(err, notify.ErrList) {
		return fail("invitations.send.error.unreadable")
	}
	if err != nil {
		return storeError(err)
	}
	if len(problems) > 0 {
		for _, pr := range problems {
			v.Problems = append(v.Problems, p.T("invitations.send.row", "Row", pr.Row)+": "+p.TData(pr.Message, pr.Args))
		}
		return fail("invitations.send.error.problems")
	}
	n, err := h.ops.Invitations.Send(ctx, actor(c), w.ID, v.Unit, v.Lang, v.Channel, recipients)
	if err != nil {
		return storeError(err)
	}
	return h.renderInvitationSend(c, fiber.StatusOK, invitationSendView{Wave: v.Wave, Unit: v.Unit, Lang: v.Lang, Channel: v.Channel,
		Sent: n})
}

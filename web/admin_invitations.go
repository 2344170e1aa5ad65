package web

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type invitationsView struct {
	Waves []surveys.Wave
	Units []surveys.Unit
	Wave  string
	Unit  string
	Count string
	Error string
}

// invitationsShow is the form for issuing a batch of invitation codes.
func (h *handler) invitationsShow(c *fiber.Ctx) error {
	return h.renderInvitations(c, fiber.StatusOK, invitationsView{Count: "50"})
}

func (h *handler) renderInvitations(c *fiber.Ctx, status int, v invitationsView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	for _, w := range waves {
		if w.Status != surveys.WaveClosed {
			v.Waves = append(v.Waves, w)
		}
	}
	if v.Units, err = h.serviceUnits(c); err != nil {
		return err
	}
	p := h.staffPage(c, "invitations.title")
	if v.Error != "" {
		v.Error = p.T(v.Error)
	}
	p.Data = v
	return h.views.render(c, status, "invitations", p)
}

// invitationsIssue creates the codes and sends them once, as a CSV for a mail
// merge; only their hashes stay in the store.
func (h *handler) invitationsIssue(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	v := invitationsView{Wave: c.FormValue("wave"), Unit: c.FormValue("unit"), Count: c.FormValue("count")}
	n, err := strconv.Atoi(strings.TrimSpace(v.Count))
	if err != nil || n < 1 || n > surveys.MaxBatch {
		v.Error = "invitations.error.count"
		return h.renderInvitations(c, fiber.StatusBadRequest, v)
	}
	codes, err := h.ops.Invitations.Issue(ctx, actor(c), v.Wave, v.Unit, n)
	switch {
	case errors.Is(err, surveys.ErrNotInWave):
		v.Error = "invitations.error.unit"
		return h.renderInvitations(c, fiber.StatusBadRequest, v)
	case err != nil:
		return storeError(err)
	}
	var b bytes.Buffer
	b.WriteString("\ufeffkode;lenke\r\n") // BOM and semicolons: Norwegian Excel opens it as columns
	for _, code := range codes {
		fmt.Fprintf(&b, "%s;%s/i?kode=%s\r\n", code, h.cfg.BaseURL, code)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="invitasjoner-%s-%s.csv"`, v.Wave, v.Unit))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b.Bytes())
}

package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

type withdrawView struct {
	Code, Error string
	Done        bool
}

// withdrawShow asks for the receipt code of the answer to withdraw.
func (h *handler) withdrawShow(c *fiber.Ctx) error {
	return h.renderWithdraw(c, fiber.StatusOK, withdrawView{})
}

func (h *handler) renderWithdraw(c *fiber.Ctx, status int, v withdrawView) error {
	p := h.page(c)
	p.Title = p.T("withdraw.title")
	if v.Error != "" {
		v.Error = p.T(v.Error)
		p.Title = errorTitle(p, p.Title)
	}
	p.Data = v
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.views.render(c, status, "withdraw", p)
}

// withdrawSubmit removes the answer the receipt belongs to, within the time
// allowed. The tombstone is laid first: from then on no replay of the form
// can store the answer again (see submit).
func (h *handler) withdrawSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	code := c.FormValue("code")
	if len(code) > 40 || surveys.NormalizeCode(code) == "" {
		return h.renderWithdraw(c, fiber.StatusBadRequest, withdrawView{Code: code, Error: "withdraw.error.unknown"})
	}
	r, err := h.surveys.WithdrawableResponse(ctx, code, h.cfg.Now())
	if err == nil {
		err = h.surveys.Bury(ctx, surveys.TombstoneID(h.cfg.Secret, code), r.Wave)
	}
	if err == nil {
		err = h.tallier.Withdraw(ctx, r.ID)
	}
	switch {
	case errors.Is(err, surveys.ErrNoSuchReceipt):
		return h.renderWithdraw(c, fiber.StatusNotFound, withdrawView{Code: code, Error: "withdraw.error.unknown"})
	case errors.Is(err, surveys.ErrWithdrawalClosed):
		return h.renderWithdraw(c, fiber.StatusConflict, withdrawView{Code: code, Error: "withdraw.error.closed"})
	case err != nil:
		return storeError(err)
	}
	return h.renderWithdraw(c, fiber.StatusOK, withdrawView{Done: true})
}

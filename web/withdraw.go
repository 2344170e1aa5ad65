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
// allowed (respond.Service.Withdraw).
func (h *handler) withdrawSubmit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	code := c.FormValue("code")
	if len(code) > 40 || surveys.NormalizeCode(code) == "" {
		return h.renderWithdraw(c, fiber.StatusBadRequest, withdrawView{Code: code, Error: "withdraw.error.unknown"})
	}
	switch err := h.respond.Withdraw(ctx, code, h.cfg.Now()); {
	case errors.Is(err, surveys.ErrNoSuchReceipt):
		return h.renderWithdraw(c, fiber.StatusNotFound, withdrawView{Code: code, Error: "withdraw.error.unknown"})
	case errors.Is(err, surveys.ErrWithdrawalClosed):
		return h.renderWithdraw(c, fiber.StatusConflict, withdrawView{Code: code, Error: "withdraw.error.closed"})
	case err != nil:
		return storeError(err)
	}
	return h.renderWithdraw(c, fiber.StatusOK, withdrawView{Done: true})
}

package web

import (
	"bytes"
	"errors"
	"image/png"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type twoFactorView struct {
	Enabled, Required bool
	EnabledOn         string
	RecoveryLeft      int
	// Pending is set while a new secret waits for its first code; Secret is
	// that secret in groups of four, for typing in by hand.
	Pending bool
	Secret  string
	// Codes are new recovery codes, shown this once.
	Codes []string
	Error string
}

// twoFactorShow shows the user's second factor: how to set one up, or its
// state and how to renew the recovery codes or remove it.
func (h *handler) twoFactorShow(c *fiber.Ctx) error {
	p := h.staffPage(c, "twofa.title")
	switch c.Query("done") {
	case "disabled":
		p.Notice = p.T("twofa.done.disabled")
	}
	return h.renderTwoFactor(c, p, fiber.StatusOK, twoFactorView{})
}

func (h *handler) renderTwoFactor(c *fiber.Ctx, p *page, status int, v twoFactorView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, err := h.staff.User(ctx, p.User.ID)
	if err != nil {
		return storeError(err)
	}
	v.Required = h.cfg.Require2FA && u.HasAny(staff.RoleAdmin, staff.RoleAdvisor)
	if u.HasTOTP() {
		v.Enabled, v.EnabledOn, v.RecoveryLeft = true, surveys.LocalDate(u.TOTP.Enabled), len(u.TOTP.Recovery)
	} else if key, err := h.staff.PendingTOTP(u); err == nil {
		v.Pending, v.Secret = true, groupsOfFour(key.Secret())
	}
	if v.Required && !v.Enabled && p.Notice == "" {
		p.Notice = p.T("twofa.required")
	}
	p.Data = v
	return h.views.render(c, status, "twofa", p)
}

func groupsOfFour(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// twoFactorSetup makes a new secret to scan; a user who has a second factor
// must remove it first.
func (h *handler) twoFactorSetup(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u := c.Locals(userKey).(*staff.User)
	if u.HasTOTP() {
		return fiber.ErrConflict
	}
	if err := h.staff.BeginTOTP(ctx, u.ID); err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/2fa", fiber.StatusSeeOther)
}

// twoFactorQR is the QR code of the secret being set up, served from this
// origin so the page needs no data: URL, and never cached.
func (h *handler) twoFactorQR(c *fiber.Ctx) error {
	key, err := h.staff.PendingTOTP(*c.Locals(userKey).(*staff.User))
	if errors.Is(err, staff.ErrTOTPPending) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// twoFactorEnable checks the first code from the app and shows the recovery codes.
func (h *handler) twoFactorEnable(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "twofa.title")
	codes, err := h.ops.TwoFactor.Enable(ctx, *p.User, c.FormValue("code"))
	switch {
	case errors.Is(err, staff.ErrTOTPCode):
		return h.renderTwoFactor(c, p, fiber.StatusBadRequest, twoFactorView{Error: p.T("twofa.error.code")})
	case errors.Is(err, staff.ErrTOTPPending):
		return c.Redirect("/admin/2fa", fiber.StatusSeeOther)
	case err != nil:
		return storeError(err)
	}
	p.Notice = p.T("twofa.done.enabled")
	return h.renderTwoFactor(c, p, fiber.StatusOK, twoFactorView{Codes: codes})
}

// twoFactorConfirm checks a current code (or recovery code) before a change
// to the second factor itself, so a session left open is not enough.
func (h *handler) twoFactorConfirm(c *fiber.Ctx, p *page) (bool, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	_, err := h.staff.VerifySecondFactor(ctx, p.User.ID, c.FormValue("code"), h.cfg.Now())
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, staff.ErrTOTPCode), errors.Is(err, staff.ErrTOTPReplay):
		if err := h.staff.Audit(ctx, h.cfg.Now(), p.User.Email, staff.AuditLoginFailed, "", "2fa-confirm"); err != nil {
			return false, storeError(err)
		}
		return false, h.renderTwoFactor(c, p, fiber.StatusBadRequest, twoFactorView{Error: p.T("twofa.error.code")})
	case errors.Is(err, staff.ErrTOTPPending):
		return false, c.Redirect("/admin/2fa", fiber.StatusSeeOther)
	}
	return false, storeError(err)
}

// twoFactorDisable removes the user's second factor, unless the setting
// requires one for their role.
func (h *handler) twoFactorDisable(c *fiber.Ctx) error {
	p := h.staffPage(c, "twofa.title")
	if h.cfg.Require2FA && p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		return h.renderTwoFactor(c, p, fiber.StatusBadRequest, twoFactorView{Error: p.T("twofa.error.required")})
	}
	if ok, err := h.twoFactorConfirm(c, p); !ok {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	if err := h.ops.TwoFactor.Disable(ctx, *p.User); err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/2fa?done=disabled", fiber.StatusSeeOther)
}

// twoFactorRecovery replaces the recovery codes and shows the new ones.
func (h *handler) twoFactorRecovery(c *fiber.Ctx) error {
	p := h.staffPage(c, "twofa.title")
	if ok, err := h.twoFactorConfirm(c, p); !ok {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	codes, err := h.ops.TwoFactor.RenewRecoveryCodes(ctx, *p.User)
	if err != nil {
		return storeError(err)
	}
	p.Notice = p.T("twofa.done.recovery")
	return h.renderTwoFactor(c, p, fiber.StatusOK, twoFactorView{Codes: codes})
}

// userTwoFactorReset lets an admin remove another user's second factor, for
// a lost phone without recovery codes; the user then sets up a new one.
func (h *handler) userTwoFactorReset(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, err := h.staff.User(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	if err := h.ops.TwoFactor.Reset(ctx, actor(c), u); err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/users/"+u.ID+"?done=2fa", fiber.StatusSeeOther)
}

package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type tokenRow struct {
	Ref, Name, Created, LastUsed, Expires string
}

type tokensView struct {
	Tokens []tokenRow
	// New is the token just created: shown this once, never again.
	New, NewName string
	// Name and Expires keep what was typed when creating failed.
	Name, Expires, Today string
	Error                string
}

// tokensList shows the user's own API tokens and the form for a new one.
func (h *handler) tokensList(c *fiber.Ctx) error {
	p := h.staffPage(c, "tokens.title")
	if c.Query("revoked") == "1" {
		p.Notice = p.T("tokens.done.revoked")
	}
	return h.renderTokens(c, p, fiber.StatusOK, tokensView{})
}

// tokenCreate makes a token and shows it once.
func (h *handler) tokenCreate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "tokens.title")
	v := tokensView{Name: c.FormValue("name"), Expires: c.FormValue("expires")}
	var expires time.Time
	if v.Expires != "" {
		d, err := time.ParseInLocation(time.DateOnly, v.Expires, surveys.Oslo)
		if err != nil {
			v.Error = p.T("tokens.error.expiry")
			return h.renderTokens(c, p, fiber.StatusBadRequest, v)
		}
		expires = d.AddDate(0, 0, 1) // the token works through the chosen day
	}
	token, t, err := h.ops.Tokens.Create(ctx, *p.User, v.Name, expires)
	switch {
	case errors.Is(err, staff.ErrTokenName):
		v.Error = p.T("tokens.error.name")
	case errors.Is(err, staff.ErrTokenExpiry):
		v.Error = p.T("tokens.error.expiry")
	case errors.Is(err, staff.ErrTooManyTokens):
		v.Error = p.T("tokens.error.too_many", "Count", staff.MaxTokensPerUser)
	case err != nil:
		return storeError(err)
	}
	if v.Error != "" {
		return h.renderTokens(c, p, fiber.StatusBadRequest, v)
	}
	return h.renderTokens(c, p, fiber.StatusOK, tokensView{New: token, NewName: t.Name})
}

// tokenRevoke deletes one of the user's own tokens.
func (h *handler) tokenRevoke(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, _ := c.Locals(userKey).(*staff.User)
	err := h.ops.Tokens.Revoke(ctx, *u, c.Params("ref"))
	if errors.Is(err, staff.ErrNoToken) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/tokens?revoked=1", fiber.StatusSeeOther)
}

func (h *handler) renderTokens(c *fiber.Ctx, p *page, status int, v tokensView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	ts, err := h.staff.Tokens(ctx, p.User.ID)
	if err != nil {
		return storeError(err)
	}
	v.Tokens = tokenRows(p, ts)
	v.Today = surveys.LocalDate(h.cfg.Now())
	p.Data = v
	return h.views.render(c, status, "tokens", p)
}

// tokenRows shows tokens with their dates; last use is to the minute, in
// Norwegian time, as the store records it.
func tokenRows(p *page, ts []staff.APIToken) []tokenRow {
	day := func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return surveys.LocalDate(t)
	}
	var rows []tokenRow
	for _, t := range ts {
		row := tokenRow{Ref: t.Ref, Name: t.Name, Created: day(t.Created), LastUsed: p.T("tokens.unused"), Expires: p.T("tokens.never")}
		if !t.LastUsed.IsZero() {
			row.LastUsed = t.LastUsed.In(surveys.Oslo).Format("2006-01-02 15:04")
		}
		if !t.Expires.IsZero() {
			row.Expires = day(t.Expires.Add(-time.Second))
		}
		rows = append(rows, row)
	}
	return rows
}

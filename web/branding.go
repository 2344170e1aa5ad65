package web

import (
	"io"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/branding"
)

// The municipality's name (STEMME_ORG_NAME) and logo are on every page.
// The logo is read from the store at most every logoFresh, so an upload
// shows on every instance within that time and a page view costs no read.

const logoFresh = 30 * time.Second

// logoCache holds the logo last read.
type logoCache struct {
	mu   sync.Mutex
	logo *branding.Logo
	read time.Time
}

// logo returns the current logo, nil when none is uploaded or the store
// cannot be read (pages then show the name alone).
func (h *handler) logo(c *fiber.Ctx) *branding.Logo {
	if h.branding == nil {
		return nil
	}
	h.logos.mu.Lock()
	defer h.logos.mu.Unlock()
	if time.Since(h.logos.read) < logoFresh {
		return h.logos.logo
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	l, ok, err := h.branding.Logo(ctx)
	if err != nil {
		return h.logos.logo
	}
	h.logos.logo, h.logos.read = nil, time.Now()
	if ok {
		h.logos.logo = &l
	}
	return h.logos.logo
}

// forgetLogo makes the next page read the logo again.
func (h *handler) forgetLogo() {
	h.logos.mu.Lock()
	h.logos.read = time.Time{}
	h.logos.mu.Unlock()
}

// brand puts the municipality's name and logo on a page.
func (h *handler) brand(c *fiber.Ctx, p *page) {
	p.OrgName = h.cfg.OrgName
	if l := h.logo(c); l != nil {
		p.LogoURL = "/logo?v=" + l.Version
	}
}

// logoFile serves the logo from this origin. An SVG opened on its own is
// a document: it gets a policy that runs nothing and loads nothing.
func (h *handler) logoFile(c *fiber.Ctx) error {
	l := h.logo(c)
	if l == nil {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, l.ContentType)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderETag, `"`+l.Version+`"`)
	if c.Get(fiber.HeaderIfNoneMatch) == `"`+l.Version+`"` {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(l.Data)
}

type brandingView struct {
	OrgName, LogoURL, Error string
	MaxKB                   int
}

func (h *handler) brandingShow(c *fiber.Ctx) error {
	return h.renderBranding(c, fiber.StatusOK, "")
}

func (h *handler) renderBranding(c *fiber.Ctx, status int, errKey string) error {
	p := h.staffPage(c, "branding.title")
	v := brandingView{OrgName: p.OrgName, LogoURL: p.LogoURL, MaxKB: branding.MaxBytes >> 10}
	if errKey != "" {
		v.Error = p.T(errKey, "KB", v.MaxKB)
	}
	if d := c.Query("done"); d == "saved" || d == "removed" {
		p.Notice = p.T("branding.done." + d)
	}
	p.Data = v
	return h.views.render(c, status, "branding", p)
}

// brandingUpload checks and stores an uploaded logo.
func (h *handler) brandingUpload(c *fiber.Ctx) error {
	fh, err := c.FormFile("logo")
	if err != nil {
		return h.renderBranding(c, fiber.StatusBadRequest, branding.Problem(branding.ErrEmpty))
	}
	f, err := fh.Open()
	if err != nil {
		return h.renderBranding(c, fiber.StatusBadRequest, branding.Problem(branding.ErrEmpty))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, branding.MaxBytes+1))
	if err != nil {
		return h.renderBranding(c, fiber.StatusBadRequest, branding.Problem(branding.ErrEmpty))
	}
	l, err := branding.Check(data)
	if err != nil {
		return h.renderBranding(c, fiber.StatusBadRequest, branding.Problem(err))
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	if err := h.ops.Branding.SaveLogo(ctx, actor(c), l); err != nil {
		return storeError(err)
	}
	h.forgetLogo()
	return c.Redirect("/admin/branding?done=saved", fiber.StatusSeeOther)
}

// brandingRemove removes the logo.
func (h *handler) brandingRemove(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	if err := h.ops.Branding.RemoveLogo(ctx, actor(c)); err != nil {
		return storeError(err)
	}
	h.forgetLogo()
	return c.Redirect("/admin/branding?done=removed", fiber.StatusSeeOther)
}

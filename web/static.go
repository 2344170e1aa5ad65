package web

import (
	"embed"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

//go:embed static
var staticFS embed.FS

// static serves embedded files. Their names do not change between releases,
// so they are cached for a day rather than forever.
func (h *handler) static(c *fiber.Ctx) error {
	name := path.Clean("/" + c.Params("*"))
	data, err := staticFS.ReadFile("static" + name)
	if err != nil {
		return fiber.ErrNotFound
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if path.Ext(name) == ".woff2" {
		ctype = "font/woff2" // not in Go's table, and a minimal system has no mime.types
	}
	if ctype == "" {
		ctype = fiber.MIMEOctetStream
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(data)
}

package web

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows only this origin's own scripts, styles and
// images; no inline code, no framing, and forms post only back to us.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response carries, errors and static files included.
func securityHeaders(https bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		setSecurityHeaders(c, https)
		return c.Next()
	}
}

// setSecurityHeaders is securityHeaders for the error pages that fasthttp
// answers before any handler runs (a request header too large, a body over
// the limit), which no middleware sees.
func setSecurityHeaders(c *fiber.Ctx, https bool) {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	// Survey links and invitation codes must never leak through Referer.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	if https {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// requestLog logs each request by its route pattern, never its path, query,
// address or user agent: a path can hold an invitation code.
func requestLog(log *slog.Logger, m *metrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = fiber.StatusInternalServerError
			if fe, ok := err.(*fiber.Error); ok {
				status = fe.Code
			}
		}
		took := time.Since(start)
		m.observe(c, status, took)
		log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("method", c.Method()),
			slog.String("route", c.Route().Path),
			slog.Int("status", status),
			slog.Duration("duration", took))
		return err
	}
}

// recoverPanics turns a panic into a 500 and logs the stack without any request data.
func recoverPanics(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", slog.String("route", c.Route().Path),
					slog.String("panic", fmt.Sprint(r)), slog.String("stack", string(debug.Stack())))
				err = fiber.ErrInternalServerError
			}
		}()
		return c.Next()
	}
}

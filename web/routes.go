package web

import (
	"github.com/gofiber/fiber/v2"
)

// routes is the one table of every route, so access rules are visible at a glance.
func (h *handler) routes(app *fiber.App) {
	app.Use(securityHeaders(h.https), recoverPanics(h.cfg.Logger), requestLog(h.cfg.Logger))

	// Probes for operators and load balancers.
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)

	app.Get("/static/*", h.static)

	// Public pages for relatives.
	app.Get("/", h.home)
	app.Get("/s/:link", h.surveyShow)
	app.Post("/s/:link", h.surveySubmit)

	// Staff.
	app.Get("/login", h.loginShow)
	app.Get("/admin", h.adminHome)
	app.Get("/admin/*", h.adminHome)
}

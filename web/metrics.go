package web

import (
	"context"
	"crypto/subtle"
	"net"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/stemme/stemme/surveys"
)

// metrics are what /metrics serves in the Prometheus format. Labels are
// route patterns and outcomes only: never a path, address or code.
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	submissions *prometheus.CounterVec
}

// Submission outcomes.
const (
	submitAccepted    = "accepted"
	submitInvalid     = "invalid"     // 400: the form needs correcting
	submitUnavailable = "unavailable" // 503: the store did not take it
	submitRefused     = "refused"     // 409/429: a used code, too many posts
)

func newMetrics(ss *surveys.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stemme_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "stemme_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stemme_submissions_total", Help: "Survey submissions by outcome (accepted, invalid, unavailable, refused).",
		}, []string{"outcome"}),
	}
	for _, o := range []string{submitAccepted, submitInvalid, submitUnavailable, submitRefused} {
		m.submissions.WithLabelValues(o)
	}
	lag := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "stemme_tally_lag_answers", Help: "Accepted answers not yet counted in the tallies (-1: store unavailable).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := ss.InboxSize(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	open := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "stemme_open_waves", Help: "Waves taking answers (-1: store unavailable).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		ws, err := ss.Waves(ctx)
		if err != nil {
			return -1
		}
		n := 0
		for _, w := range ws {
			if w.Status == surveys.WaveOpen {
				n++
			}
		}
		return float64(n)
	})
	m.registry.MustRegister(m.requests, m.latency, m.submissions, lag, open,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts a finished request by its route pattern.
func (m *metrics) observe(c *fiber.Ctx, status int, took time.Duration) {
	route := c.Route().Path
	m.requests.WithLabelValues(route, c.Method(), strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, c.Method()).Observe(took.Seconds())
}

// submitted counts a submission by the status it was answered with.
func (m *metrics) submitted(status int) {
	switch {
	case status == fiber.StatusSeeOther: // to the thank-you page
		m.submissions.WithLabelValues(submitAccepted).Inc()
	case status == fiber.StatusServiceUnavailable:
		m.submissions.WithLabelValues(submitUnavailable).Inc()
	case status == fiber.StatusConflict || status == fiber.StatusTooManyRequests:
		m.submissions.WithLabelValues(submitRefused).Inc()
	default:
		m.submissions.WithLabelValues(submitInvalid).Inc()
	}
}

// metricsPage serves /metrics on the public listener to a scraper that
// presents the metrics token, and refuses everyone else with 403, loopback
// included: behind a reverse proxy on the same machine every visitor comes
// from loopback. A scraper without the token uses the admin listener.
func (h *handler) metricsPage() fiber.Handler {
	serve := adaptor.HTTPHandler(promhttp.HandlerFor(h.metrics.registry, promhttp.HandlerOpts{}))
	return func(c *fiber.Ctx) error {
		token := h.cfg.MetricsToken
		given := c.Get(fiber.HeaderAuthorization)
		if token == "" || subtle.ConstantTimeCompare([]byte(given), []byte("Bearer "+token)) != 1 {
			return fiber.ErrForbidden
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return serve(c)
	}
}

// adminApp is the admin listener's application: /metrics without a token,
// /healthz and /readyz, and nothing else. The caller binds it to a loopback
// address only (STEMME_ADMIN_ADDR); as a second guard it answers 403 to any
// peer that is not loopback.
func (h *handler) adminApp() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName: "stemme-admin", DisableStartupMessage: true, ReadTimeout: requestTimeout,
		WriteTimeout: requestTimeout, IdleTimeout: 2 * time.Minute,
	})
	serve := adaptor.HTTPHandler(promhttp.HandlerFor(h.metrics.registry, promhttp.HandlerOpts{}))
	app.Use(securityHeaders(false), func(c *fiber.Ctx) error {
		if !net.IP(c.Context().RemoteIP()).IsLoopback() {
			return c.SendStatus(fiber.StatusForbidden)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	})
	app.Get("/metrics", serve)
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	return app
}

// countSubmission counts each final submission (not page moves, saves or
// changes of language) by outcome; a post without an action is an invalid one.
func (h *handler) countSubmission(c *fiber.Ctx) error {
	err := c.Next()
	if action := c.FormValue("_action"); action == "submit" || (action == "" && c.FormValue("_lang") == "") {
		status := c.Response().StatusCode()
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		}
		h.metrics.submitted(status)
	}
	return err
}

package web

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/stemme/stemme/staff"
)

// The JSON read API (/api/v1): GET only, authenticated by a per-user token
// in "Authorization: Bearer …", with the user's roles and grants. No cookie
// is read, so no CSRF token is needed; docs/API.md describes it.

const apiUserKey = "stemme.apiuser"

// API rate limits per client address: enough for a dashboard tool polling
// every few seconds, too few to guess tokens (256 bits) or scrape quickly.
const (
	apiRateMax    = 120
	apiRateWindow = time.Minute
)

// apiMessages are the API's error messages, in English for machine clients,
// by error code. Every error the API returns is one of these.
var apiMessages = map[string]string{
	"unauthorized":          "A valid API token is required: send it as 'Authorization: Bearer <token>'.",
	"forbidden":             "Your roles do not allow reading this.",
	"not_found":             "No such resource, or it is not visible to you.",
	"bad_request":           "A query parameter has an invalid value.",
	"unknown_segment":       "Unknown segment; use one of relation, age_group, duration, service_type.",
	"rate_limited":          "Too many requests; wait a minute and try again.",
	"method":                "The API is read-only: only GET is allowed.",
	"unavailable":           "The service is temporarily unavailable; try again later.",
	"not_final":             "This wave has no results yet: results exist once it is closed and every answer is counted.",
	"segment_of_total_only": "Only the total of a wave is broken down by background questions; leave out unit.",
}

type apiErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// apiError writes an error as JSON with its status.
func apiError(c *fiber.Ctx, status int, code string) error {
	var b apiErrorBody
	b.Error.Code, b.Error.Message = code, apiMessages[code]
	if status == fiber.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="stemme"`)
	}
	return c.Status(status).JSON(b)
}

// apiStoreError reports a store failure without its details.
func (h *handler) apiStoreError(c *fiber.Ctx, err error) error {
	h.cfg.Logger.Error("api request failed", "route", c.Route().Path, "error", err.Error())
	return apiError(c, fiber.StatusServiceUnavailable, "unavailable")
}

// apiHeaders marks every API response, errors included, as not to be stored
// by any cache: results of unpublished waves must not linger in a proxy.
func apiHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

func apiRateLimit() fiber.Handler {
	return limiter.New(limiter.Config{
		Max: apiRateMax, Expiration: apiRateWindow, KeyGenerator: clientKey,
		LimitReached: func(c *fiber.Ctx) error { return apiError(c, fiber.StatusTooManyRequests, "rate_limited") },
	})
}

// apiAuth lets a request through only with a live token of an active user.
func (h *handler) apiAuth(c *fiber.Ctx) error {
	auth := c.Get(fiber.HeaderAuthorization)
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return apiError(c, fiber.StatusUnauthorized, "unauthorized")
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 5*time.Second)
	defer cancel()
	_, u, err := h.staff.TokenUser(ctx, strings.TrimSpace(token), h.cfg.Now())
	if errors.Is(err, staff.ErrNoToken) {
		return apiError(c, fiber.StatusUnauthorized, "unauthorized")
	}
	if err != nil {
		return h.apiStoreError(c, err)
	}
	if !readerOf(&u).Reads() {
		return apiError(c, fiber.StatusForbidden, "forbidden")
	}
	c.Locals(apiUserKey, &u)
	return c.Next()
}

func apiUser(c *fiber.Ctx) *staff.User {
	u, _ := c.Locals(apiUserKey).(*staff.User)
	return u
}

// apiFallback answers every other request under /api as JSON: 405 for a
// method other than GET, 404 for an unknown path.
func apiFallback(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		c.Set(fiber.HeaderAllow, "GET")
		return apiError(c, fiber.StatusMethodNotAllowed, "method")
	}
	return apiError(c, fiber.StatusNotFound, "not_found")
}

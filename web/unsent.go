package web

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

// A note typed while the session ran out is not lost (WCAG 2.2.1): the
// form that arrives after the timeout is kept, sealed, for the user whose
// session it came with (staff.UnsentForms), the browser gets a cookie with
// the random id that finds it, and after signing in again the user sees
// what they wrote and sends it again themselves — nothing is done on
// their behalf. The kept form is deleted when shown, and after half an
// hour whatever happens.

const unsentCookie = "stemme_unsent"

// keepUnsent keeps the form of a request that came with a session that had
// just ended; ok false when there was nothing to keep (a file upload, an
// empty or oversized form).
func (h *handler) keepUnsent(c *fiber.Ctx, userID string) (bool, error) {
	if !strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEApplicationForm) {
		return false, nil
	}
	fields := url.Values{}
	for k, v := range c.Request().PostArgs().All() {
		fields.Add(string(k), string(v))
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	id, ok, err := h.unsent.Keep(ctx, userID, c.Path(), fields, h.cfg.Now())
	if err != nil || !ok {
		return false, storeErrorOrNil(err)
	}
	h.setCookie(c, unsentCookie, id, int(staff.UnsentLifetime.Seconds()), fiber.CookieSameSiteLaxMode)
	return true, nil
}

func storeErrorOrNil(err error) error {
	if err == nil {
		return nil
	}
	return storeError(err)
}

type unsentView struct {
	Path string
	// Fields are sent again as they were; Texts are those worth reading.
	Fields []unsentField
	Texts  []string
	Found  bool
}

type unsentField struct{ Name, Value string }

// unsentShow shows the kept form to its user, once, ready to send again.
func (h *handler) unsentShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "unsent.title")
	v := unsentView{}
	f, err := h.unsent.Take(ctx, c.Cookies(unsentCookie), p.User.ID, h.cfg.Now())
	switch {
	case errors.Is(err, staff.ErrNoUnsent):
	case err != nil:
		return storeError(err)
	case !strings.HasPrefix(f.Path, "/admin/"):
		// Only staff forms are kept; anything else is not sent again.
	default:
		v.Found, v.Path = true, f.Path
		names := make([]string, 0, len(f.Fields))
		for k := range f.Fields {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			for _, val := range f.Fields[k] {
				v.Fields = append(v.Fields, unsentField{k, val})
				if strings.TrimSpace(val) != "" && (strings.ContainsAny(strings.TrimSpace(val), " \n") || len(val) > 40) {
					v.Texts = append(v.Texts, val)
				}
			}
		}
		h.clearCookie(c, unsentCookie)
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "unsent", p)
}

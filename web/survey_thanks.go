package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The thank-you page is a GET the submit redirects to, so a reload shows it
// again instead of posting the answer once more. The receipt reaches it in a
// short-lived cookie, signed and HttpOnly, sent only to this page: never in
// a URL (logs, history), and the server keeps nothing linking the receipt to
// anyone. Reloading and changing the language keep the receipt while the
// cookie lives; after that the page says the code is no longer shown.

const receiptCookie = "stemme_kvittering"

// receiptTTL is how long the thank-you page shows the receipt: long enough
// to reload, change language and write it down, short on a shared device.
const receiptTTL = 15 * time.Minute

func thanksPath(link string) string { return surveyPath(link) + "/takk" }

// receiptMAC signs a receipt for one link until an expiry.
func (h *handler) receiptMAC(link, receipt string, expires int64) string {
	m := hmac.New(sha256.New, h.cfg.Secret)
	m.Write([]byte("receipt-cookie\x00" + link + "\x00" + receipt + "\x00" + strconv.FormatInt(expires, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// giveReceipt sets the receipt cookie for the thank-you page.
func (h *handler) giveReceipt(c *fiber.Ctx, link, receipt string) {
	expires := h.cfg.Now().Add(receiptTTL).Unix()
	value := receipt + "." + strconv.FormatInt(expires, 10) + "." + h.receiptMAC(link, receipt, expires)
	c.Cookie(&fiber.Cookie{Name: receiptCookie, Value: value, Path: thanksPath(link), MaxAge: int(receiptTTL / time.Second),
		HTTPOnly: true, Secure: h.https, SameSite: fiber.CookieSameSiteLaxMode})
}

// receiptOf returns the receipt in the request's cookie, if it is genuine and fresh.
func (h *handler) receiptOf(c *fiber.Ctx, link string) (string, bool) {
	parts := strings.Split(c.Cookies(receiptCookie), ".")
	if len(parts) != 3 || len(parts[0]) > 20 || strings.Trim(parts[0], "ABCDEFGHJKLMNPQRSTUVWXYZ23456789-") != "" {
		return "", false
	}
	expires, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || h.cfg.Now().Unix() >= expires {
		return "", false
	}
	if !hmac.Equal([]byte(parts[2]), []byte(h.receiptMAC(link, parts[0], expires))) {
		return "", false
	}
	return parts[0], true
}

// surveyThanks shows the thank-you page with the receipt the cookie carries.
// It does not ask whether the wave still takes answers: an answer given just
// before it closed deserves its receipt.
func (h *handler) surveyThanks(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	s, err := h.loadSurvey(ctx, c.Params("link"))
	if err != nil {
		return err
	}
	p := h.page(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	receipt, ok := h.receiptOf(c, s.Link.ID)
	if !ok {
		p.Title = p.T("thanks.title")
		p.Data = thanksView{Title: s.Instrument.Title.In(s.Instrument.ContentLanguage(p.Lang)), UnitName: s.Unit.Name,
			Gone: true, FormURL: surveyPath(s.Link.ID)}
		return h.views.render(c, fiber.StatusOK, "thanks", p)
	}
	// The page differs between relatives only in the receipt: rendered
	// once per link and language, like blank forms.
	page, err := h.freshForms.get("thanks\x00"+s.Link.ID+"\x00"+p.Lang, func() ([]byte, error) {
		in := s.Instrument
		p.Title = p.T("thanks.title")
		p.Data = thanksView{Title: in.Title.In(in.ContentLanguage(p.Lang)), UnitName: s.Unit.Name, Receipt: receiptMark,
			Closes: norwegianDate(s.Wave.Closes)}
		return h.views.bytes("thanks", p)
	})
	if err != nil {
		return err
	}
	return sendHTML(c, fiber.StatusOK, bytes.ReplaceAll(page, []byte(receiptMark), []byte(receipt)))
}

// receiptMark stands for the receipt in a cached thank-you page.
const receiptMark = "stemmeReceiptMarkQ7x"

type thanksView struct {
	Title, UnitName, Receipt string
	// Closes is the last day the survey is open, the last day to withdraw.
	Closes string
	// Gone is true when the receipt is no longer shown; FormURL leads back to the form.
	Gone    bool
	FormURL string
}

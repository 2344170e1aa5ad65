package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// openSurvey is what a survey link leads to.
type openSurvey struct {
	Link       surveys.Link
	Wave       *surveys.Wave
	Unit       surveys.Unit
	Instrument *surveys.Instrument
}

// instrumentCache keeps published instruments: they never change, so reading
// them once per process is safe and spares a large document per request.
var instrumentCache sync.Map

func (h *handler) loadSurvey(ctx context.Context, linkID string) (*openSurvey, error) {
	if len(linkID) > 64 {
		return nil, fiber.ErrNotFound
	}
	link, err := h.surveys.Link(ctx, linkID)
	if err != nil {
		return nil, storeError(err)
	}
	wave, err := h.surveys.Wave(ctx, link.Wave)
	if err != nil {
		return nil, storeError(err)
	}
	unit, err := h.surveys.Unit(ctx, link.Unit)
	if err != nil {
		return nil, storeError(err)
	}
	in, err := h.instrument(ctx, wave.Instrument)
	if err != nil {
		return nil, storeError(err)
	}
	return &openSurvey{Link: link, Wave: wave, Unit: unit, Instrument: in}, nil
}

func (h *handler) instrument(ctx context.Context, id string) (*surveys.Instrument, error) {
	key := h.cfg.Store.DB.Name() + "/" + id
	if in, ok := instrumentCache.Load(key); ok {
		return in.(*surveys.Instrument), nil
	}
	in, err := h.surveys.Instrument(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Status == surveys.InstrumentPublished {
		instrumentCache.Store(key, in)
	}
	return in, nil
}

// storeError maps a missing document to 404 and anything else to 503:
// the store is down or slow, which the relative should hear plainly.
func storeError(err error) error {
	if store.IsNotFound(err) {
		return fiber.ErrNotFound
	}
	return fiber.NewError(fiber.StatusServiceUnavailable, err.Error())
}

// formSignature ties a submission id to its link, so a post must come from a
// form this server rendered; no cookie is needed.
func (h *handler) formSignature(link, sid string) string {
	m := hmac.New(sha256.New, h.cfg.Secret)
	m.Write([]byte("survey-form\x00" + link + "\x00" + sid))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (h *handler) validSignature(link, sid, sig string) bool {
	if sid == "" || len(sid) > 64 {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(h.formSignature(link, sid)))
}

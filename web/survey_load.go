package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"sync"
	"time"

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

// surveyFresh is how long a link's wave, unit and instrument are reused
// without asking the store, for showing pages. Storing an answer always
// reads the wave's status from the store (see submit), so a wave closed by
// an advisor takes no answer after the close on any instance; its form may
// still be shown for this long.
const surveyFresh = 30 * time.Second

// surveyCache keeps what each link leads to. Besides sparing four reads per
// page, it lets a relative who is already answering see their form again,
// with everything entered, while the store is down.
type surveyCache struct {
	mu      sync.Mutex
	entries map[string]cachedSurvey
}

type cachedSurvey struct {
	s       *openSurvey
	fetched time.Time
}

func (h *handler) loadSurvey(ctx context.Context, linkID string) (*openSurvey, error) {
	if len(linkID) > 64 {
		return nil, fiber.ErrNotFound
	}
	c := &h.cache
	c.mu.Lock()
	cached, ok := c.entries[linkID]
	c.mu.Unlock()
	if ok && time.Since(cached.fetched) < surveyFresh {
		return cached.s, nil
	}
	s, err := h.fetchSurvey(ctx, linkID)
	switch {
	case err == nil:
		c.mu.Lock()
		if c.entries == nil {
			c.entries = map[string]cachedSurvey{}
		}
		c.entries[linkID] = cachedSurvey{s: s, fetched: time.Now()}
		c.mu.Unlock()
		return s, nil
	case ok && !errors.Is(err, fiber.ErrNotFound):
		return cached.s, nil // the store is unreachable: the last known state is the best answer
	}
	return nil, err
}

// forget drops a link's cached state: its wave was found closed.
func (c *surveyCache) forget(linkID string) {
	c.mu.Lock()
	delete(c.entries, linkID)
	c.mu.Unlock()
}

func (h *handler) fetchSurvey(ctx context.Context, linkID string) (*openSurvey, error) {
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
	in, err := h.surveys.Instrument(ctx, wave.Instrument)
	if err != nil {
		return nil, storeError(err)
	}
	return &openSurvey{Link: link, Wave: wave, Unit: unit, Instrument: in}, nil
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
	m, _ := h.formMACs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, h.cfg.Secret)
	} else {
		m.Reset() // back to the keyed state: the key is not hashed again
	}
	m.Write([]byte("survey-form\x00" + link + "\x00" + sid))
	var sum [sha256.Size]byte
	sig := base64.RawURLEncoding.EncodeToString(m.Sum(sum[:0])[:18])
	h.formMACs.Put(m)
	return sig
}

func (h *handler) validSignature(link, sid, sig string) bool {
	if sid == "" || len(sid) > 64 {
		return false
	}
	return hmac.Equal([]byte(sig), []byte(h.formSignature(link, sid)))
}

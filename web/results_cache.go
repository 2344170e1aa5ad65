package web

import (
	"context"
	"fmt"
	"sync"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// resultsCacheEntries bounds the waves whose results are kept; 0 turns the
// cache off (the benchmark measures both).
var resultsCacheEntries = 8

// resultsCache keeps computed results per wave. analysis.Load reads every
// tally of a wave and its previous one and runs suppression, ~100–200 ms
// for a big wave; a dashboard is viewed far more often than answers arrive
// once a wave closes. An entry is used only while everything Load read is
// unchanged: the tally versions of both waves (a new answer, a withdrawal or
// a recount writes a newer batch), the waves' settings and the invitations
// issued (the response rates' denominators). Results are shared between
// requests and must not be changed by a view.
type resultsCache struct {
	mu      sync.Mutex
	entries map[string]*cachedResults
	clock   uint64
}

type cachedResults struct {
	key  string
	r    *analysis.Results
	used uint64
}

// results returns a wave's results, computing them only when something
// they depend on changed. waves is every wave (for the previous one).
func (h *handler) results(ctx context.Context, w *surveys.Wave, waves []surveys.Wave) (*analysis.Results, error) {
	key, err := h.resultsKey(ctx, w, waves)
	if err != nil {
		return nil, err
	}
	if r := h.resultsCache.get(w.ID, key); r != nil {
		return r, nil
	}
	r, err := analysis.Load(ctx, h.cfg.Store.DB, w.ID)
	if err != nil {
		return nil, err
	}
	h.resultsCache.put(w.ID, key, r)
	return r, nil
}

// resultsKey describes what a wave's results were computed from. Each part
// is one small read whose cost does not grow with the number of answers.
func (h *handler) resultsKey(ctx context.Context, w *surveys.Wave, waves []surveys.Wave) (string, error) {
	v, err := analysis.TallyVersion(ctx, h.cfg.Store.DB, w.ID)
	if err != nil {
		return "", err
	}
	issued, err := h.surveys.InvitationsIssued(ctx, w.ID)
	if err != nil {
		return "", err
	}
	key := fmt.Sprintf("%d|%s|%d|%v|%v|%v", v, w.Instrument, w.Threshold, w.Units, w.Population, issued)
	if p := analysis.PreviousWave(w, waves); p != nil {
		pv, err := analysis.TallyVersion(ctx, h.cfg.Store.DB, p.ID)
		if err != nil {
			return "", err
		}
		key += fmt.Sprintf("|prev %s %d|%s|%d|%v", p.ID, pv, p.Instrument, p.Threshold, p.Units)
	}
	return key, nil
}

func (c *resultsCache) get(wave, key string) *analysis.Results {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[wave]
	if e == nil || e.key != key {
		return nil
	}
	c.clock++
	e.used = c.clock
	return e.r
}

func (c *resultsCache) put(wave, key string, r *analysis.Results) {
	if resultsCacheEntries <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cachedResults{}
	}
	if _, ok := c.entries[wave]; !ok && len(c.entries) >= resultsCacheEntries {
		oldest := ""
		for id, e := range c.entries {
			if oldest == "" || e.used < c.entries[oldest].used {
				oldest = id
			}
		}
		delete(c.entries, oldest)
	}
	c.clock++
	c.entries[wave] = &cachedResults{key: key, r: r, used: c.clock}
}

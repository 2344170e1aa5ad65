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
// tally of a wave and of its previous one and runs suppression, which costs
// a noticeable fraction of a second on the embedded store, and a dashboard
// is viewed far more often than answers arrive once a wave closes.
//
// An entry is used only while everything Load read is unchanged, checked in
// two steps. First, cheaply: the waves' settings and the invitations issued
// (the response rates' denominators), and the tallier's batch number (one
// document read by id): no new batch, no tally changed. Only after a new
// batch are the two waves' own tally versions read, which costs about as
// much as reading their tallies; when they are unchanged too (the batch
// counted another wave's answers) the entry is kept. Results are shared
// between requests and must not be changed by a view.
type resultsCache struct {
	mu      sync.Mutex
	entries map[string]*cachedResults
	clock   uint64
}

type cachedResults struct {
	settings string // the waves' settings and invitations
	versions string // the two waves' tally versions
	batch    int64  // the settled batch the versions were checked at; -1 none
	r        *analysis.Results
	used     uint64
}

// results returns a wave's results, computing them only when something
// they depend on changed. waves is every wave (for the previous one).
func (h *handler) results(ctx context.Context, w *surveys.Wave, waves []surveys.Wave) (*analysis.Results, error) {
	db := h.cfg.Store.DB
	prev := analysis.PreviousWave(w, waves)
	issued, err := h.surveys.InvitationsIssued(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	settings := fmt.Sprintf("%s|%d|%v|%v|%v", w.Instrument, w.Threshold, w.Units, w.Population, issued)
	if prev != nil {
		settings += fmt.Sprintf("|prev %s|%s|%d|%v", prev.ID, prev.Instrument, prev.Threshold, prev.Units)
	}
	batch, settled, err := analysis.BatchVersion(ctx, db)
	if err != nil {
		return nil, err
	}
	if !settled {
		batch = -1 // a batch in progress: check the versions every time
	}
	if r := h.resultsCache.get(w.ID, settings, "", batch); r != nil {
		return r, nil
	}
	versions, err := tallyVersions(ctx, h, w, prev)
	if err != nil {
		return nil, err
	}
	if r := h.resultsCache.get(w.ID, settings, versions, batch); r != nil {
		return r, nil
	}
	r, err := analysis.Load(ctx, db, w.ID)
	if err != nil {
		return nil, err
	}
	h.resultsCache.put(w.ID, &cachedResults{settings: settings, versions: versions, batch: batch, r: r})
	return r, nil
}

func tallyVersions(ctx context.Context, h *handler, w, prev *surveys.Wave) (string, error) {
	v, err := analysis.TallyVersion(ctx, h.cfg.Store.DB, w.ID)
	if err != nil {
		return "", err
	}
	if prev == nil {
		return fmt.Sprint(v), nil
	}
	pv, err := analysis.TallyVersion(ctx, h.cfg.Store.DB, prev.ID)
	if err != nil {
		return "", err
	}
	return fmt.Sprint(v, " ", pv), nil
}

// get returns the entry's results if its settings match and either the
// batch is the one it was checked at (versions "") or the versions match,
// in which case it is now checked at this batch.
func (c *resultsCache) get(wave, settings, versions string, batch int64) *analysis.Results {
	if resultsCacheEntries <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[wave]
	if e == nil || e.settings != settings {
		return nil
	}
	switch {
	case versions == "" && (batch < 0 || e.batch != batch):
		return nil
	case versions != "" && e.versions != versions:
		return nil
	}
	e.batch = batch
	c.clock++
	e.used = c.clock
	return e.r
}

func (c *resultsCache) put(wave string, e *cachedResults) {
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
		for id, x := range c.entries {
			if oldest == "" || x.used < c.entries[oldest].used {
				oldest = id
			}
		}
		delete(c.entries, oldest)
	}
	c.clock++
	e.used = c.clock
	c.entries[wave] = e
}

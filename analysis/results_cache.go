package analysis

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/stemme/stemme/surveys"
)

// The results service keeps what it computed from tallies, keyed by the
// tally versions of the waves it read (version.go): a view costs one read
// by _id of each wave's version, and tallies are read again only when a
// version changed. Nothing kept depends on the reader: what the cache
// holds is the one suppressed set of results (or an open wave's answer
// counts per unit), and every view filters it for its reader afresh
// (Results.For, Reader.SeesUnit). What a reader's scope changes in the
// computation, the wave compared with, is part of the key.

// resultsCache holds at most limit entries, the least recently used
// leaving first. An entry's slot is what it is of (a wave and its
// comparison wave, or a wave's counts), its key the settings and versions
// it was computed from: a newer version replaces the slot's entry, so an
// open wave taking answers keeps one entry, not one per batch. An entry of
// results holds about 0.6 MB (the built-in instrument, three units, 31
// groups; measured), so the default of 16 keeps the cache near 10–20 MB.
type resultsCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	clock   uint64
	limit   atomic.Int64
}

type cacheEntry struct {
	key   string
	value any
	used  uint64
}

func (c *resultsCache) on() bool { return c.limit.Load() > 0 }

func (c *resultsCache) get(slot, key string) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[slot]
	if e == nil || e.key != key || !c.on() {
		return nil
	}
	c.clock++
	e.used = c.clock
	return e.value
}

func (c *resultsCache) put(slot, key string, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := int(c.limit.Load())
	if limit <= 0 {
		return
	}
	for _, ok := c.entries[slot]; !ok && len(c.entries) >= limit; {
		oldest := ""
		for k, e := range c.entries {
			if oldest == "" || e.used < c.entries[oldest].used {
				oldest = k
			}
		}
		delete(c.entries, oldest)
	}
	c.clock++
	c.entries[slot] = &cacheEntry{key: key, value: value, used: c.clock}
}

// results computes (or takes from the cache) a final wave's results,
// compared with prev (nil for none).
func (s *Service) results(ctx context.Context, w, prev *surveys.Wave) (*Results, error) {
	if !s.cache.on() {
		return s.computeWithPrevious(ctx, w, prev, nil)
	}
	ids := []string{w.ID}
	if prev != nil {
		ids = append(ids, prev.ID)
	}
	versions, err := tallyVersions(ctx, s.db, ids...)
	if err != nil {
		return nil, err
	}
	slot, key := "results|"+w.ID+"|", versionKey(w, versions[0])
	if prev != nil {
		slot += prev.ID
		key += "|prev " + versionKey(prev, versions[1])
	}
	if r, ok := s.cache.get(slot, key).(*Results); ok {
		return r, nil
	}
	r, err := s.computeWithPrevious(ctx, w, prev, versions)
	if err != nil {
		return nil, err
	}
	s.cache.put(slot, key, r)
	return r, nil
}

// computeWithPrevious computes w's results compared with prev's, taking
// prev's own from the cache when versions (w's and prev's) are known.
func (s *Service) computeWithPrevious(ctx context.Context, w, prev *surveys.Wave, versions []int64) (*Results, error) {
	var p *Results
	if prev != nil {
		slot, key := "results|"+prev.ID+"|", ""
		if versions != nil {
			key = versionKey(prev, versions[1])
			p, _ = s.cache.get(slot, key).(*Results)
		}
		if p == nil {
			var err error
			if p, err = s.compute(ctx, prev, nil); err != nil {
				return nil, err
			}
			if versions != nil {
				s.cache.put(slot, key, p)
			}
		}
	}
	return s.compute(ctx, w, p)
}

// versionKey is everything of a wave its results depend on: its tally
// version and its settings.
func versionKey(w *surveys.Wave, version int64) string {
	pop := slices.Sorted(maps.Keys(w.Population))
	var ps string
	for _, u := range pop {
		ps += fmt.Sprintf("%s=%d,", u, w.Population[u])
	}
	return fmt.Sprintf("%q@%d|%q|%d|%q|%s|%v|%q", w.ID, version, w.Instrument, w.Threshold, w.Units, ps, w.Final, w.Published)
}

func (s *Service) compute(ctx context.Context, w *surveys.Wave, prev *Results) (*Results, error) {
	in, err := s.surveys.Instrument(ctx, w.Instrument)
	if err != nil {
		return nil, fmt.Errorf("analysis: instrument of %s: %w", w.ID, err)
	}
	tallies, err := Tallies(ctx, s.db, w.ID)
	if err != nil {
		return nil, err
	}
	return Compute(Input{Wave: w, Instrument: in, Tallies: tallies, Population: w.Population, Previous: prev}), nil
}

// answered counts an open wave's respondents per unit (taken from the
// cache while its tally version is unchanged).
func (s *Service) answered(ctx context.Context, w *surveys.Wave) (map[string]int64, error) {
	slot, key := "answered|"+w.ID, ""
	if s.cache.on() {
		versions, err := tallyVersions(ctx, s.db, w.ID)
		if err != nil {
			return nil, err
		}
		key = fmt.Sprintf("%q@%d", w.ID, versions[0])
		if n, ok := s.cache.get(slot, key).(map[string]int64); ok {
			return n, nil
		}
	}
	tallies, err := Tallies(ctx, s.db, w.ID)
	if err != nil {
		return nil, err
	}
	n := map[string]int64{}
	for _, t := range tallies {
		if t.Segment == AllSegment {
			n[t.Unit] += t.N
		}
	}
	s.cache.put(slot, key, n)
	return n, nil
}

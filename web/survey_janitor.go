package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/stemme/stemme/surveys"
)

// janitorEvery is how often the journeys of submitted forms are deleted,
// in one batched delete; expired journeys go with them every ten minutes
// (surveys.Journeys.Purge) and the tombstones of closed waves every hour.
const janitorEvery = time.Minute

// startJanitor runs the purges in the background until stop is called,
// which runs one last purge of the journeys submitted meanwhile.
func (h *handler) startJanitor() (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	run := func(withTombstones bool) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		now := h.cfg.Now()
		if err := h.journeys.Purge(ctx, now, false); err != nil {
			h.cfg.Logger.Warn("purging journeys failed", slog.String("error", err.Error()))
		}
		if withTombstones {
			if err := h.surveys.PurgeTombstones(ctx, surveys.LocalDate(now)); err != nil {
				h.cfg.Logger.Warn("purging tombstones failed", slog.String("error", err.Error()))
			}
		}
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(janitorEvery)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-done:
				run(false)
				return
			case <-tick.C:
				run(n%60 == 0)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		<-finished
	}
}

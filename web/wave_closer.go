package web

import (
	"context"
	"log/slog"
	"time"
)

// closeDueEvery is how often waves past their closing date are closed.
const closeDueEvery = time.Minute

// closeDueWaves closes, now and then every minute, the open waves whose
// closing date has passed: results exist only for closed waves, and a wave
// that runs out of days must never take answers again. Every instance may
// do it; the store refuses a second close. It returns a function that
// stops it.
func (h *handler) closeDueWaves() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(closeDueEvery)
		defer tick.Stop()
		for {
			cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
			closed, err := h.surveys.CloseDue(cctx, h.cfg.Now())
			ccancel()
			if err != nil && ctx.Err() == nil {
				h.cfg.Logger.Error("closing waves past their closing date failed", slog.String("error", err.Error()))
			}
			for _, id := range closed {
				h.cfg.Logger.Info("wave closed: its closing date has passed", slog.String("wave", id))
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/store"
)

// tickEvery is how often reminders and alerts that have come due are queued.
const tickEvery = time.Minute

// startMessaging opens the outbox, starts its worker with the configured
// transports, and queues due reminders every minute. It returns the outbox,
// which channels can send, and the function that stops both.
func startMessaging(cfg config, st *store.Store, secret []byte, logger *slog.Logger) (*outbox.Outbox, map[string]bool, func(), error) {
	box, err := outbox.New(st.DB, secret)
	if err != nil {
		return nil, nil, nil, err
	}
	ts, err := cfg.transports()
	if err != nil {
		return nil, nil, nil, err
	}
	channels := map[string]bool{}
	for ch := range ts {
		channels[ch] = true
	}
	if !channels[outbox.Email] {
		logger.Info("e-mail is not set up (STEMME_SMTP_URL): messages wait in the outbox")
	}
	n, err := notify.New(st.DB, box, secret, cfg.BaseURL)
	if err != nil {
		return nil, nil, nil, err
	}
	stopWorker := outbox.NewWorker(box, ts, outbox.Options{}, logger).Start()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(tickEvery)
		defer t.Stop()
		for {
			if err := n.Tick(ctx, time.Now()); err != nil && ctx.Err() == nil {
				logger.Warn("reminders not queued", slog.String("error", err.Error()))
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return box, channels, func() { cancel(); <-done; stopWorker() }, nil
}

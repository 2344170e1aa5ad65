package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Outgoing is a message as a transport sends it.
type Outgoing struct {
	// ID is the outbox id; transports use it for the Message-ID and the
	// idempotency key, so a resend is recognisably the same message.
	ID      string
	To      string
	Subject string
	Body    string
}

// Transport delivers messages of one channel.
type Transport interface {
	Send(ctx context.Context, m Outgoing) error
}

// SendError says how a send failed. Permanent failures (the recipient was
// refused) are not retried; Ambiguous ones may have been delivered.
type SendError struct {
	Permanent bool
	Ambiguous bool
	Err       error
}

func (e *SendError) Error() string { return e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// Options tune the worker; zero values take the defaults.
type Options struct {
	// Poll is how often the worker looks for due messages when not woken.
	Poll time.Duration
	// Lease is how long a message stays claimed while it is being sent; a
	// worker that dies leaves it to be sent again after this.
	Lease time.Duration
	// BaseDelay and MaxDelay bound the back-off: BaseDelay·2^(attempts-1),
	// at most MaxDelay, with up to 20 % jitter. Temporary failures are
	// retried for as long as it takes.
	BaseDelay, MaxDelay time.Duration
	// SendTimeout bounds one send.
	SendTimeout time.Duration
	// Keep is how long sent and failed messages stay listed.
	Keep time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Poll, 15*time.Second)
	def(&o.Lease, 2*time.Minute)
	def(&o.BaseDelay, 30*time.Second)
	def(&o.MaxDelay, time.Hour)
	def(&o.SendTimeout, 30*time.Second)
	def(&o.Keep, 90*24*time.Hour)
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Worker sends due messages through the transports it has; messages of a
// channel without a transport wait.
type Worker struct {
	box        *Outbox
	transports map[string]Transport
	opts       Options
	logger     *slog.Logger
	// forgot is when old log entries were last deleted.
	forgot time.Time
}

// NewWorker returns a worker for the outbox; transports maps channels
// (Email, SMS) to what sends them, and a missing channel waits.
func NewWorker(box *Outbox, transports map[string]Transport, opts Options, logger *slog.Logger) *Worker {
	opts.defaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ts := map[string]Transport{}
	for ch, t := range transports {
		if t != nil {
			ts[ch] = t
		}
	}
	return &Worker{box: box, transports: ts, opts: opts, logger: logger}
}

// Start runs the worker until the returned stop is called; stop waits for
// a send in progress to finish.
func (w *Worker) Start() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(w.opts.Poll)
		defer t.Stop()
		for {
			if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
				w.logger.Warn("outbox: sending failed", slog.String("error", err.Error()))
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-w.box.wake:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// RunOnce sends every message due now and returns how many were sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	now := w.opts.Now()
	var channels []string
	for ch := range w.transports {
		channels = append(channels, ch)
	}
	if len(channels) == 0 {
		return 0, w.forget(ctx, now)
	}
	due, err := store.FindAll[Message](ctx, w.box.db.Collection(colOutbox), bson.D{
		{Key: "status", Value: bson.D{{Key: "$in", Value: []string{Queued, Sending}}}},
		{Key: "channel", Value: bson.D{{Key: "$in", Value: channels}}},
	}, options.Find().SetSort(bson.D{{Key: "created", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("outbox: unable to find due messages: %w", err)
	}
	sent := 0
	for _, m := range due {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		if m.NextAttempt.After(now) || (m.Status == Sending && m.LeaseUntil.After(now)) {
			continue
		}
		ok, err := w.deliver(ctx, m)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, w.forget(ctx, now)
}

// deliver claims one message, sends it and records the outcome.
func (w *Worker) deliver(ctx context.Context, m Message) (bool, error) {
	coll := w.box.db.Collection(colOutbox)
	now := w.opts.Now()
	if err := w.box.db.Collection(colLog).FindOne(ctx, bson.D{{Key: "_id", Value: m.ID}}).Err(); err == nil {
		// Finished before a crash kept it from being removed.
		_, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: m.ID}})
		return false, err
	} else if !store.IsNotFound(err) {
		return false, fmt.Errorf("outbox: unable to read the log: %w", err)
	}
	// The claim matches the state read, so of two instances on one MongoDB
	// only one sends; in one process the worker is the only writer.
	claim := bson.D{{Key: "_id", Value: m.ID}, {Key: "status", Value: m.Status}, {Key: "attempts", Value: m.Attempts}}
	res, err := coll.UpdateOne(ctx, claim, bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: Sending}, {Key: "lease_until", Value: now.Add(w.opts.Lease).UTC()},
		{Key: "attempts", Value: m.Attempts + 1}}}})
	if err != nil {
		return false, fmt.Errorf("outbox: unable to claim %s: %w", m.ID, err)
	}
	if res.MatchedCount == 0 {
		return false, nil
	}
	m.Attempts++
	c, err := w.box.open(m)
	if err != nil {
		// Sealed with another secret: it can never be sent.
		return false, w.finish(ctx, m, Failed, "the message cannot be decrypted (was STEMME_SECRET changed?)", now)
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.opts.SendTimeout)
	err = w.transports[m.Channel].Send(sendCtx, Outgoing{ID: m.ID, To: c.To, Subject: c.Subject, Body: c.Body})
	cancel()
	now = w.opts.Now()
	var se *SendError
	switch {
	case err == nil:
		return true, w.finish(ctx, m, Sent, "", now)
	case errors.As(err, &se) && se.Permanent:
		w.logger.Warn("outbox: message refused", slog.String("id", m.ID), slog.String("kind", m.Kind))
		return false, w.finish(ctx, m, Failed, redact(err.Error(), c.To), now)
	}
	text := redact(err.Error(), c.To)
	if errors.As(err, &se) && se.Ambiguous {
		text = "the server may have received it; it is sent again with the same Message-ID: " + text
	}
	next := now.Add(w.backoff(m.Attempts))
	_, uerr := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: Queued}, {Key: "next_attempt", Value: next.UTC()}, {Key: "last_error", Value: text}}},
		{Key: "$unset", Value: bson.D{{Key: "lease_until", Value: ""}}}})
	if uerr != nil {
		return false, fmt.Errorf("outbox: unable to reschedule %s: %w", m.ID, uerr)
	}
	w.logger.Info("outbox: will retry", slog.String("id", m.ID), slog.Int("attempts", m.Attempts), slog.Time("next", next))
	return false, nil
}

// finish records a message as sent or failed in the log, without its
// content, then takes it out of the waiting messages. A crash in between
// leaves it in both; the next claim sees the log entry and only cleans up.
func (w *Worker) finish(ctx context.Context, m Message, status, lastError string, now time.Time) error {
	m.Status, m.Sealed, m.LeaseUntil = status, nil, time.Time{}
	if status == Sent {
		m.Sent = now.UTC()
	}
	if lastError != "" {
		m.LastError = lastError
	}
	if _, err := w.box.db.Collection(colLog).InsertOne(ctx, m); err != nil && !store.IsDuplicate(err) {
		return fmt.Errorf("outbox: unable to record %s as %s: %w", m.ID, status, err)
	}
	if _, err := w.box.db.Collection(colOutbox).DeleteOne(ctx, bson.D{{Key: "_id", Value: m.ID}}); err != nil {
		return fmt.Errorf("outbox: unable to remove %s from the waiting messages: %w", m.ID, err)
	}
	return nil
}

// backoff is the wait before attempt n+1.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opts.BaseDelay
	for i := 1; i < attempts && d < w.opts.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, w.opts.MaxDelay)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// forget deletes finished messages older than Keep from the log, in one
// batch, at most hourly.
func (w *Worker) forget(ctx context.Context, now time.Time) error {
	if now.Sub(w.forgot) < time.Hour {
		return nil
	}
	w.forgot = now
	// DeleteAll: a mailing of tens of thousands of letters expires in one hour.
	_, err := store.DeleteAll(ctx, w.box.db.Collection(colLog), bson.D{
		{Key: "created", Value: bson.D{{Key: "$lt", Value: now.Add(-w.opts.Keep).UTC()}}}})
	if err != nil {
		return fmt.Errorf("outbox: unable to forget old messages: %w", err)
	}
	return nil
}

package analysis

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// Several stemme instances may run against one MongoDB behind a load
// balancer. Each runs a tallier, but only the one holding the tally lease
// counts; the others take it over when it lapses (the holder died). The
// lease is a compare-and-swap on one document, renewed well before it
// lapses; the journal's batch number fences a holder that stalled past it.

const (
	leaseID  = "lease"
	leaseTTL = 30 * time.Second
)

// ErrNotHolder means another instance holds the tally lease.
var ErrNotHolder = errors.New("analysis: another instance holds the tally lease")

// leaseMu makes the compare-and-swap atomic between talliers in one
// process: the embedded store's updates are not atomic, MongoDB's are.
var leaseMu sync.Mutex

type lease struct {
	ID     string `bson:"_id"`
	Holder string `bson:"holder"`
	// Until is when the lease lapses, in Unix milliseconds.
	Until int64 `bson:"until"`
}

func randomID() string { return random.Hex(12) }

// hold takes or renews the lease and reports whether this tallier holds it.
func (t *Tallier) hold(ctx context.Context) (bool, error) {
	now := time.Now()
	if t.holding && now.Before(t.leaseUntil.Add(-2*leaseTTL/3)) {
		return true, nil
	}
	leaseMu.Lock()
	defer leaseMu.Unlock()
	col := t.db.Collection(colJournal)
	until := now.Add(leaseTTL)
	var l lease
	err := col.FindOne(ctx, bson.D{{Key: "_id", Value: leaseID}}).Decode(&l)
	switch {
	case store.IsNotFound(err):
		_, err = col.InsertOne(ctx, lease{ID: leaseID, Holder: t.id, Until: until.UnixMilli()})
		if store.IsDuplicate(err) {
			return t.lost(), nil
		}
	case err != nil:
	case l.Holder == t.id || l.Until < now.UnixMilli() || t.exclusive:
		r, uerr := col.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: leaseID}, {Key: "holder", Value: l.Holder}, {Key: "until", Value: l.Until}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: t.id}, {Key: "until", Value: until.UnixMilli()}}}})
		if uerr != nil {
			err = uerr
		} else if r.MatchedCount == 0 {
			return t.lost(), nil
		}
	default:
		return t.lost(), nil
	}
	if err != nil {
		t.lost()
		return false, fmt.Errorf("analysis: unable to take the tally lease: %w", err)
	}
	if !t.holding {
		// Another instance may have counted since this one last held the
		// lease: forget what was cached and finish its interrupted batch.
		t.recovered = false
		clear(t.tallies)
	}
	t.holding, t.leaseUntil = true, until
	return true, nil
}

// Exclusive tells the tallier its process owns the store (the embedded
// store's data directory is locked to one process), so a lease left by a
// process that was killed is taken over at once instead of after it lapses.
func (t *Tallier) Exclusive() { t.exclusive = true }

// lost notes that this tallier does not hold the lease.
func (t *Tallier) lost() bool {
	t.holding = false
	return false
}

// release gives the lease up on a clean stop, so another instance (or this
// one restarted) takes over at once instead of after the lease lapses.
func (t *Tallier) release() {
	if !t.holding {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	leaseMu.Lock()
	defer leaseMu.Unlock()
	_, _ = t.db.Collection(colJournal).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: leaseID}, {Key: "holder", Value: t.id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "until", Value: int64(0)}}}})
	t.holding = false
}

// waitForHolder waits until the holder has counted everything accepted so
// far and done every withdrawal asked for.
func (t *Tallier) waitForHolder(ctx context.Context) error {
	for {
		n, err := t.surveys.InboxSize(ctx)
		if err != nil {
			return err
		}
		w, err := t.db.Collection(colWithdrawals).EstimatedDocumentCount(ctx)
		if err != nil {
			return err
		}
		if n == 0 && w == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

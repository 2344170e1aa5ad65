package surveys

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Writing journeys behind the steps, and deleting them (see journeys.go).

// gatherFor is how long the writer gathers versions before one insert.
const gatherFor = 100 * time.Millisecond

// StartWriter writes saved versions behind the steps, gathered for a
// moment into one insert, until stop is called; stop writes what is left.
// Failed writes are tried again; versions that expire meanwhile are dropped.
func (j *Journeys) StartWriter(onError func(error)) (stop func()) {
	wake, done, finished := make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	j.mu.Lock()
	j.wake = wake
	j.mu.Unlock()
	go func() {
		defer close(finished)
		pause := gatherFor
		for {
			select {
			case <-done:
				_ = j.flush()
				return
			case <-wake:
			}
			select { // gather, unless stopping
			case <-done:
			case <-time.After(pause):
			}
			if err := j.flush(); err != nil {
				if onError != nil {
					onError(err)
				}
				pause = min(2*pause, 5*time.Second)
				select {
				case wake <- struct{}{}: // try again
				default:
				}
				continue
			}
			pause = gatherFor
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			j.mu.Lock()
			j.wake = nil // from now on Save writes at once
			j.mu.Unlock()
			close(done)
		})
		<-finished
	}
}

// flush inserts the pending versions in one statement.
func (j *Journeys) flush() error {
	j.mu.Lock()
	batch := j.pending
	j.pending = nil
	j.mu.Unlock()
	now := time.Now()
	if j.Now != nil {
		now = j.Now()
	}
	docs := make([]any, 0, len(batch))
	for _, d := range batch {
		if now.Before(d.Expires) {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := j.col.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err == nil || (errors.As(err, &bwe) && bwe.WriteConcernError == nil && allDuplicates(bwe)) {
		return nil
	}
	j.mu.Lock()
	j.pending = append(batch, j.pending...) // try again with the next
	j.mu.Unlock()
	return fmt.Errorf("surveys: unable to write journeys: %w", err)
}

// allDuplicates reports whether every failed write was of a version
// written before (a retried flush).
func allDuplicates(bwe mongo.BulkWriteException) bool {
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return true
}

// purgeEvery is the longest time between two purges of expired journeys;
// submitted ones are deleted at the next tick of the janitor.
const purgeEvery = 10 * time.Minute

// Purge deletes the forgotten journeys and, when force is set or purgeEvery
// has passed, every expired one, in one delete: the embedded store scans
// the collection for each delete whatever its filter.
func (j *Journeys) Purge(ctx context.Context, now time.Time, force bool) error {
	j.mu.Lock()
	forgotten := j.forgotten
	j.forgotten = nil
	expire := force || now.Sub(j.lastPurged) >= purgeEvery
	j.mu.Unlock()
	var or bson.A
	if len(forgotten) > 0 {
		or = append(or, bson.D{{Key: "journey", Value: bson.D{{Key: "$in", Value: forgotten}}}})
	}
	if expire {
		or = append(or, bson.D{{Key: "expires", Value: bson.D{{Key: "$lte", Value: now.UTC()}}}})
	}
	if len(or) == 0 {
		return nil
	}
	if _, err := j.col.DeleteMany(ctx, bson.D{{Key: "$or", Value: or}}); err != nil {
		j.mu.Lock()
		j.forgotten = append(j.forgotten, forgotten...) // try again at the next purge
		j.mu.Unlock()
		return fmt.Errorf("surveys: unable to purge journeys: %w", err)
	}
	if expire {
		j.mu.Lock()
		j.lastPurged = now
		j.mu.Unlock()
	}
	return nil
}

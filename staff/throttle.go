package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// Login throttling keeps two kinds of failure counters in the store, so that
// every instance of Stemme on one MongoDB sees the same numbers:
//
//   - one per e-mail address, keyed by a keyed hash of the normalised
//     address, kept for addresses without an account exactly as for real
//     ones: how long an answer takes never tells whether an account exists;
//   - one per source, keyed by a keyed hash of the client's network (its IPv4
//     address or IPv6 /64); the address itself is never stored.
//
// Before a password is checked, the attempt waits the delay of the counter
// with more failures: BaseDelay·2^(n−1), at most MaxDelay. Waiting before the
// check, not after it, means a guesser cannot cut the wait short by giving up
// on slow answers. Only a source is ever locked, never an account: the owner
// signing in from anywhere else always gets in, however many strangers guess.
//
// Counters are read and written with a version number (compare and set), so
// two instances on MongoDB cannot lose each other's failures; within one
// process a keyed mutex serializes them as well, because the embedded
// FerretDB does not apply concurrent updates of one document atomically.

const colThrottle = "login_throttle"

// LoginPolicy tunes login throttling.
type LoginPolicy struct {
	// BaseDelay is the wait after the first failure; each further failure
	// doubles it, up to MaxDelay.
	BaseDelay, MaxDelay time.Duration
	// Every SourceLockAfter failures from one source lock it, first for
	// SourceLockFor, then each time for twice as long, at most MaxSourceLock.
	SourceLockAfter int
	SourceLockFor   time.Duration
	MaxSourceLock   time.Duration
	// A counter whose last failure lies further back than its Forget
	// duration starts again from zero.
	AccountForget, SourceForget time.Duration
}

// DefaultLoginPolicy: delays of 0.25, 0.5, 1, 2 and then 4 s per attempt;
// a source is locked for 15 minutes after 10 failures, 30 after 20, and so
// on up to a day. A source forgets its failures only after two quiet days,
// longer than its longest lock, so a guesser who sits out a day-long lock
// is locked for a day again after ten more tries, not for 15 minutes.
var DefaultLoginPolicy = LoginPolicy{
	BaseDelay: 250 * time.Millisecond, MaxDelay: 4 * time.Second,
	SourceLockAfter: 10, SourceLockFor: 15 * time.Minute, MaxSourceLock: 24 * time.Hour,
	AccountForget: time.Hour, SourceForget: 48 * time.Hour,
}

// delay is the wait before the next attempt after n failures.
func (p LoginPolicy) delay(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return min(p.MaxDelay, p.BaseDelay<<min(n-1, 20))
}

// sourceLock is how long the n-th failure from a source locks it (0: not at all).
func (p LoginPolicy) sourceLock(n int) time.Duration {
	if p.SourceLockAfter <= 0 || n <= 0 || n%p.SourceLockAfter != 0 {
		return 0
	}
	return min(p.MaxSourceLock, p.SourceLockFor<<min(n/p.SourceLockAfter-1, 20))
}

// throttleRecord is one failure counter.
type throttleRecord struct {
	ID          string    `bson:"_id"`
	Failures    int       `bson:"failures"`
	Last        time.Time `bson:"last"`
	LockedUntil time.Time `bson:"locked_until"`
	Version     int64     `bson:"v"`
}

// live is the number of failures that still count at now.
func (r throttleRecord) live(now time.Time, forget time.Duration) int {
	if r.Failures == 0 || now.Sub(r.Last) > forget {
		return 0
	}
	return r.Failures
}

// readThrottle returns the counter, or a zero one with found false.
func (s *Store) readThrottle(ctx context.Context, id string) (throttleRecord, bool, error) {
	var r throttleRecord
	err := s.db.Collection(colThrottle).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
	if store.IsNotFound(err) {
		return throttleRecord{ID: id}, false, nil
	}
	if err != nil {
		return throttleRecord{}, false, fmt.Errorf("staff: unable to read login counter: %w", err)
	}
	return r, true, nil
}

var errCounterBusy = errors.New("staff: login counter kept changing; try again")

// recordFailure counts one failure and returns the counter after it; lock,
// when given, says how long the n-th failure locks the counter's subject.
func (s *Store) recordFailure(ctx context.Context, id string, now time.Time, forget time.Duration, lock func(int) time.Duration) (throttleRecord, error) {
	defer s.userLocks.Lock("throttle:" + id)()
	col := s.db.Collection(colThrottle)
	for range 8 {
		old, found, err := s.readThrottle(ctx, id)
		if err != nil {
			return throttleRecord{}, err
		}
		next := throttleRecord{ID: id, Failures: old.live(now, forget) + 1, Last: now.UTC(), Version: old.Version + 1}
		if now.Before(old.LockedUntil) {
			next.LockedUntil = old.LockedUntil
		}
		if lock != nil {
			if d := lock(next.Failures); d > 0 {
				next.LockedUntil = now.Add(d).UTC()
			}
		}
		if s.beforeCounterWrite != nil {
			s.beforeCounterWrite(id)
		}
		if !found {
			_, err := col.InsertOne(ctx, next)
			if store.IsDuplicate(err) {
				continue // another instance counted first: count on top of it
			}
			if err != nil {
				return throttleRecord{}, fmt.Errorf("staff: unable to count login failure: %w", err)
			}
			return next, nil
		}
		res, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "v", Value: old.Version}}, next)
		if err != nil {
			return throttleRecord{}, fmt.Errorf("staff: unable to count login failure: %w", err)
		}
		if res.MatchedCount == 1 {
			return next, nil
		}
	}
	return throttleRecord{}, errCounterBusy
}

// forgetCounters deletes counters nobody has failed on for a day or more, so
// that guesses at many made-up addresses do not pile up. It runs at most
// once an hour per process.
func (s *Store) forgetCounters(ctx context.Context, now time.Time) {
	s.login.mu.Lock()
	due := now.Sub(s.login.pruned) >= time.Hour
	if due {
		s.login.pruned = now
	}
	s.login.mu.Unlock()
	if !due {
		return
	}
	keep := max(s.login.policy.SourceForget, s.login.policy.AccountForget, s.login.policy.MaxSourceLock)
	_, _ = s.db.Collection(colThrottle).DeleteMany(ctx, bson.D{
		{Key: "last", Value: bson.D{{Key: "$lt", Value: now.Add(-keep).UTC()}}},
		{Key: "locked_until", Value: bson.D{{Key: "$lt", Value: now.UTC()}}},
	})
}

package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// Login throttling per account: every failure doubles the delay before the
// answer, and every lockAfter-th failure in a row locks the account for lockFor.
const (
	lockAfter = 5
	lockFor   = 15 * time.Minute
	baseDelay = 250 * time.Millisecond
	maxDelay  = 4 * time.Second
)

// LoginError is a refused login. The message is the same whatever the cause,
// so it reveals neither which addresses exist nor whether an account is locked.
type LoginError struct {
	// Delay is how long to wait before answering.
	Delay time.Duration
	// Locked is true when the account is locked; callers log it but do not tell.
	Locked bool
}

func (e *LoginError) Error() string { return "staff: wrong e-mail or password" }

// dummyHash makes a login for an unknown address cost as much as a real one.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// Authenticate checks a login. It returns the user on success and a
// *LoginError when refused.
func (s *Store) Authenticate(ctx context.Context, email, password string, now time.Time) (User, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		if !store.IsNotFound(err) {
			return User{}, err
		}
		_, _ = CheckPassword(dummyHash, password)
		return User{}, &LoginError{Delay: baseDelay}
	}
	defer s.userLocks.Lock(u.ID)()
	// Re-read under the lock: a concurrent failure may have changed the counters.
	if u, err = s.User(ctx, u.ID); err != nil {
		return User{}, err
	}
	if now.Before(u.LockedUntil) {
		_, _ = CheckPassword(dummyHash, password)
		return User{}, &LoginError{Delay: maxDelay, Locked: true}
	}
	ok := false
	if u.PasswordHash != "" {
		if ok, err = CheckPassword(u.PasswordHash, password); err != nil {
			return User{}, err
		}
	} else {
		_, _ = CheckPassword(dummyHash, password)
	}
	if ok && u.Active {
		if u.FailedLogins > 0 {
			if err := s.setFailures(ctx, u.ID, 0, time.Time{}); err != nil {
				return User{}, err
			}
		}
		return u, nil
	}
	failures := u.FailedLogins + 1
	var lockedUntil time.Time
	if failures%lockAfter == 0 {
		lockedUntil = now.Add(lockFor)
	}
	if err := s.setFailures(ctx, u.ID, failures, lockedUntil); err != nil {
		return User{}, err
	}
	delay := min(maxDelay, baseDelay<<min(failures-1, 10))
	return User{}, &LoginError{Delay: delay, Locked: !lockedUntil.IsZero()}
}

func (s *Store) setFailures(ctx context.Context, id string, n int, lockedUntil time.Time) error {
	set := bson.D{{Key: "failed_logins", Value: n}}
	update := bson.D{{Key: "$set", Value: set}}
	if lockedUntil.IsZero() {
		update = append(update, bson.E{Key: "$unset", Value: bson.D{{Key: "locked_until", Value: ""}}})
	} else {
		update[0].Value = append(set, bson.E{Key: "locked_until", Value: lockedUntil.UTC()})
	}
	if _, err := s.db.Collection(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update); err != nil {
		return fmt.Errorf("staff: unable to record login attempt: %w", err)
	}
	return nil
}

// IsLoginError reports whether err is a refused login.
func IsLoginError(err error) (*LoginError, bool) {
	var le *LoginError
	ok := errors.As(err, &le)
	return le, ok
}

package staff

import (
	"context"
	"errors"
	"time"

	"github.com/stemme/stemme/store"
)

// Attempt is one try at signing in.
type Attempt struct {
	Email, Password string
	// Source names the client's network: SourceKey of its address.
	Source string
	Now    time.Time
}

// LoginError is a refused login. A wrong password and an unknown address
// give the same error after the same wait, so it reveals neither which
// addresses exist nor whether a password was close.
type LoginError struct {
	// SourceLocked is set when the attempt came from a locked source: the
	// password was not checked. LockedUntil says until when.
	SourceLocked bool
	LockedUntil  time.Time
	// NewLock is set on the failure that locked the source.
	NewLock bool
}

func (e *LoginError) Error() string {
	if e.SourceLocked {
		return "staff: too many failed logins from this network"
	}
	return "staff: wrong e-mail or password"
}

// dummyHash makes a login for an unknown address cost as much as a real one.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// Authenticate checks a login. It returns the user on success and a
// *LoginError when refused. It first waits the delay that the address's and
// the source's recent failures call for, then checks the password while
// holding the address's lock, then counts a failure on both; the steps are
// the same whether or not the address has an account.
func (s *Store) Authenticate(ctx context.Context, a Attempt) (User, error) {
	p := s.login.policy
	account := s.accountKey(a.Email)
	src, _, err := s.readThrottle(ctx, a.Source)
	if err != nil {
		return User{}, err
	}
	if a.Now.Before(src.LockedUntil) {
		return User{}, &LoginError{SourceLocked: true, LockedUntil: src.LockedUntil}
	}
	acct, _, err := s.readThrottle(ctx, account)
	if err != nil {
		return User{}, err
	}
	wait := p.delay(max(acct.live(a.Now, p.AccountForget), src.live(a.Now, p.SourceForget)))
	if err := sleep(ctx, wait); err != nil {
		return User{}, err
	}

	unlock := s.userLocks.Lock("login:" + account)
	u, ok, err := s.checkPassword(ctx, a.Email, a.Password)
	unlock()
	if err != nil {
		return User{}, err
	}
	if ok {
		return u, nil
	}
	if _, err := s.recordFailure(ctx, account, a.Now, p.AccountForget, nil); err != nil {
		return User{}, err
	}
	src, err = s.recordFailure(ctx, a.Source, a.Now, p.SourceForget, p.sourceLock)
	if err != nil {
		return User{}, err
	}
	s.forgetCounters(ctx, a.Now)
	return User{}, &LoginError{NewLock: p.sourceLock(src.Failures) > 0, LockedUntil: src.LockedUntil}
}

// checkPassword reports whether the address belongs to an active user with
// that password. An unknown address, or a user without a password, is
// checked against dummyHash, so every path costs one argon2id.
func (s *Store) checkPassword(ctx context.Context, email, password string) (User, bool, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil && !store.IsNotFound(err) {
		return User{}, false, err
	}
	hash := dummyHash
	if err == nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, cerr := CheckPassword(hash, password)
	if cerr != nil {
		return User{}, false, cerr
	}
	return u, ok && err == nil && u.PasswordHash != "" && u.Active, nil
}

// loginFailures is how many recent failures count against an e-mail address
// (with or without an account) and a source. Only the tests read it
// (export_test.go): the login itself decides with what it writes.
func (s *Store) loginFailures(ctx context.Context, email, source string, now time.Time) (account, src int, err error) {
	p := s.login.policy
	a, _, err := s.readThrottle(ctx, s.accountKey(email))
	if err != nil {
		return 0, 0, err
	}
	r, _, err := s.readThrottle(ctx, source)
	if err != nil {
		return 0, 0, err
	}
	return a.live(now, p.AccountForget), r.live(now, p.SourceForget), nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// IsLoginError reports whether err is a refused login.
func IsLoginError(err error) (*LoginError, bool) {
	var le *LoginError
	ok := errors.As(err, &le)
	return le, ok
}

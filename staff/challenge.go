package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// A challenge is a login half done: the password was right and the second
// factor is still to come. Only the hash of its token is stored; it lives a
// few minutes and allows a few codes, and each new try needs the password
// again, with its own throttling.
const colChallenges = "login_challenges"

// Limits on a challenge.
const (
	ChallengeLifetime    = 5 * time.Minute
	MaxChallengeAttempts = 5
)

type challenge struct {
	ID       string    `bson:"_id"`
	UserID   string    `bson:"user_id"`
	Created  time.Time `bson:"created"`
	Attempts int       `bson:"attempts"`
}

// ErrChallengeSpent means the challenge expired or ran out of attempts: the
// user must give the password again.
var ErrChallengeSpent = errors.New("staff: sign in again")

// SecondFactorLockedError means too many wrong codes were given for the
// user lately: the second step is closed until Until, whatever the code.
// Only someone who knows the password gets this far, so the lock cannot be
// used against an owner who has not lost the password too.
type SecondFactorLockedError struct{ Until time.Time }

func (e *SecondFactorLockedError) Error() string {
	return "staff: too many wrong codes; try again later"
}

// secondFactorKey names a user's second-step failure counter, which uses
// the source policy: every SourceLockAfter wrong codes close the step.
func secondFactorKey(userID string) string { return "t:" + userID }

// StartChallenge begins the second step of the user's login and returns its token.
func (s *Store) StartChallenge(ctx context.Context, userID string, now time.Time) (string, error) {
	// One challenge per user at a time; old ones of anybody go too.
	_, _ = s.db.Collection(colChallenges).DeleteMany(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "user_id", Value: userID}},
		bson.D{{Key: "created", Value: bson.D{{Key: "$lt", Value: now.Add(-ChallengeLifetime).UTC()}}}},
	}}})
	token := NewToken()
	ch := challenge{ID: HashToken(token), UserID: userID, Created: now.UTC()}
	if _, err := s.db.Collection(colChallenges).InsertOne(ctx, ch); err != nil {
		return "", fmt.Errorf("staff: unable to start second step: %w", err)
	}
	return token, nil
}

// ChallengeUser returns the user a live challenge belongs to.
func (s *Store) ChallengeUser(ctx context.Context, token string, now time.Time) (User, error) {
	ch, err := s.challenge(ctx, token, now)
	if err != nil {
		return User{}, err
	}
	return s.User(ctx, ch.UserID)
}

func (s *Store) challenge(ctx context.Context, token string, now time.Time) (challenge, error) {
	if token == "" || len(token) > 100 {
		return challenge{}, ErrChallengeSpent
	}
	var ch challenge
	err := s.db.Collection(colChallenges).FindOne(ctx, bson.D{{Key: "_id", Value: HashToken(token)}}).Decode(&ch)
	if store.IsNotFound(err) {
		return challenge{}, ErrChallengeSpent
	}
	if err != nil {
		return challenge{}, fmt.Errorf("staff: unable to read second step: %w", err)
	}
	if now.Sub(ch.Created) > ChallengeLifetime || ch.Attempts >= MaxChallengeAttempts {
		_, _ = s.db.Collection(colChallenges).DeleteOne(ctx, bson.D{{Key: "_id", Value: ch.ID}})
		return challenge{}, ErrChallengeSpent
	}
	return ch, nil
}

// AnswerChallenge checks the code given for a challenge. On success the
// challenge is spent and the user and the method used are returned; a wrong
// code counts against the challenge, and the last allowed one ends it.
func (s *Store) AnswerChallenge(ctx context.Context, token, code string, now time.Time) (User, string, error) {
	defer s.userLocks.Lock("challenge:" + HashToken(token))()
	ch, err := s.challenge(ctx, token, now)
	if err != nil {
		return User{}, "", err
	}
	p := s.login.policy
	if lock, _, err := s.readThrottle(ctx, secondFactorKey(ch.UserID)); err != nil {
		return User{}, "", err
	} else if now.Before(lock.LockedUntil) {
		return User{}, "", &SecondFactorLockedError{Until: lock.LockedUntil}
	}
	method, verr := s.VerifySecondFactor(ctx, ch.UserID, code, now)
	if verr == nil {
		if _, err := s.db.Collection(colChallenges).DeleteOne(ctx, bson.D{{Key: "_id", Value: ch.ID}}); err != nil {
			return User{}, "", fmt.Errorf("staff: unable to end second step: %w", err)
		}
		u, err := s.User(ctx, ch.UserID)
		if err != nil || !u.Active {
			return User{}, "", ErrChallengeSpent
		}
		return u, method, nil
	}
	if !errors.Is(verr, ErrTOTPCode) && !errors.Is(verr, ErrTOTPReplay) {
		return User{}, "", verr
	}
	if lock, err := s.recordFailure(ctx, secondFactorKey(ch.UserID), now, p.SourceForget, p.sourceLock); err != nil {
		return User{}, "", err
	} else if p.sourceLock(lock.Failures) > 0 {
		_, _ = s.db.Collection(colChallenges).DeleteOne(ctx, bson.D{{Key: "_id", Value: ch.ID}})
		return User{}, "", &SecondFactorLockedError{Until: lock.LockedUntil}
	}
	if ch.Attempts+1 >= MaxChallengeAttempts {
		_, _ = s.db.Collection(colChallenges).DeleteOne(ctx, bson.D{{Key: "_id", Value: ch.ID}})
		return User{}, "", ErrChallengeSpent
	}
	_, err = s.db.Collection(colChallenges).UpdateOne(ctx, bson.D{{Key: "_id", Value: ch.ID}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}}})
	if err != nil {
		return User{}, "", fmt.Errorf("staff: unable to count second-step attempt: %w", err)
	}
	return User{}, "", verr
}

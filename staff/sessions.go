package staff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

const colSessions = "sessions"

// Session lifetimes: idle ends a session nobody used for a while, absolute
// ends every session however busy.
type Lifetimes struct {
	Idle     time.Duration
	Absolute time.Duration
}

// DefaultLifetimes are 30 minutes idle and 12 hours absolute.
var DefaultLifetimes = Lifetimes{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// Session is a signed-in user's server-side session. Only the hash of its
// token is stored, so a copy of the database cannot be used to sign in.
type Session struct {
	ID       string    `bson:"_id"` // sha256 of the token, hex
	UserID   string    `bson:"user_id"`
	Created  time.Time `bson:"created"`
	LastSeen time.Time `bson:"last_seen"`
}

// Expires is when the session ends unless it is used: its idle limit, or
// its absolute limit when that comes first.
func (s Session) Expires(life Lifetimes) time.Time {
	idle, abs := s.LastSeen.Add(life.Idle), s.Created.Add(life.Absolute)
	if abs.Before(idle) {
		return abs
	}
	return idle
}

// ErrNoSession means the token matches no live session.
var ErrNoSession = errors.New("staff: no such session")

// touchInterval is how stale a session's stored last-seen time may become
// before a request writes it again: a tenth of the idle limit, at most a
// minute. A session may thus end up to that much before its idle limit
// (6 s of a 1-minute limit, a minute of 30), never after it, and a busy
// session costs one write a minute, not one per request.
func (l Lifetimes) touchInterval() time.Duration {
	return min(time.Minute, l.Idle/10)
}

// NewToken returns 256 random bits, URL-safe.
func NewToken() string { return random.URLSafe(32) }

// HashToken is the stored form of a token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// StartSession creates a session for the user and returns its token.
func (s *Store) StartSession(ctx context.Context, userID string, now time.Time) (string, error) {
	token := NewToken()
	sess := Session{ID: HashToken(token), UserID: userID, Created: now.UTC(), LastSeen: now.UTC()}
	if _, err := s.db.Collection(colSessions).InsertOne(ctx, sess); err != nil {
		return "", fmt.Errorf("staff: unable to start session: %w", err)
	}
	return token, nil
}

// Session returns the live session and its active user for a token, ending it
// if it has expired, and records that it was used.
func (s *Store) Session(ctx context.Context, token string, now time.Time, life Lifetimes) (Session, User, error) {
	if token == "" || len(token) > 100 {
		return Session{}, User{}, ErrNoSession
	}
	var sess Session
	err := s.db.Collection(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: HashToken(token)}}).Decode(&sess)
	if store.IsNotFound(err) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("staff: unable to read session: %w", err)
	}
	if now.Sub(sess.LastSeen) > life.Idle || now.Sub(sess.Created) > life.Absolute {
		_, _ = s.db.Collection(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: sess.ID}})
		// The session that just ended names its user, so that a form sent
		// with it can be kept for them (UnsentForms); it signs nobody in.
		return Session{UserID: sess.UserID}, User{}, ErrNoSession
	}
	u, err := s.User(ctx, sess.UserID)
	if err != nil || !u.Active {
		return Session{}, User{}, ErrNoSession
	}
	if now.Sub(sess.LastSeen) >= life.touchInterval() {
		sess.LastSeen = now.UTC()
		_, err := s.db.Collection(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: sess.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: sess.LastSeen}}}})
		if err != nil {
			return Session{}, User{}, fmt.Errorf("staff: unable to touch session: %w", err)
		}
	}
	return sess, u, nil
}

// Touch records that the session was used now, whatever its last use: the
// "stay signed in" of the timeout warning. It returns the session as it is
// after the touch.
func (s *Store) Touch(ctx context.Context, token string, now time.Time, life Lifetimes) (Session, error) {
	sess, _, err := s.Session(ctx, token, now, life)
	if err != nil {
		return Session{}, err
	}
	sess.LastSeen = now.UTC()
	_, err = s.db.Collection(colSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: sess.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: sess.LastSeen}}}})
	if err != nil {
		return Session{}, fmt.Errorf("staff: unable to touch session: %w", err)
	}
	return sess, nil
}

// EndSession signs one session out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	_, err := s.db.Collection(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: HashToken(token)}})
	if err != nil {
		return fmt.Errorf("staff: unable to end session: %w", err)
	}
	return nil
}

// EndAllSessions signs a user out everywhere.
func (s *Store) EndAllSessions(ctx context.Context, userID string) error {
	_, err := s.db.Collection(colSessions).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}})
	if err != nil {
		return fmt.Errorf("staff: unable to end sessions: %w", err)
	}
	return nil
}

package staff

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

const colTokens = "api_tokens"

// APIToken is a user's token for the read-only JSON API. It carries the
// user's roles and grants as they are when it is used, never a copy. Only
// the SHA-256 of the token is stored: the token is 256 random bits, so a
// fast hash is as safe as a slow one and lets each request find it by _id.
type APIToken struct {
	ID string `bson:"_id"` // HashToken of the token
	// Ref names the token in pages and forms without revealing its hash.
	Ref     string    `bson:"ref"`
	UserID  string    `bson:"user_id"`
	Name    string    `bson:"name"`
	Created time.Time `bson:"created"`
	// LastUsed is when the token was last used, to the minute: coarse on
	// purpose, it tells whether and when a token is in use, not each request,
	// and costs at most one write a minute per token.
	LastUsed time.Time `bson:"last_used,omitempty"`
	// Expires is the moment the token stops working; zero means never.
	Expires time.Time `bson:"expires,omitempty"`
}

// TokenPrefix starts every API token, so a leaked one is easy to recognise
// (secret scanners, logs) and to tell from a session token.
const TokenPrefix = "stm_"

// Limits on tokens.
const (
	MaxTokenName     = 80
	MaxTokensPerUser = 20
)

// Errors of token handling. The Err…Name, Expiry and TooMany errors are the
// user's to fix; ErrNoToken means an unknown, revoked or expired token.
var (
	ErrNoToken       = errors.New("staff: no such API token")
	ErrTokenName     = errors.New("staff: an API token needs a name of at most 80 characters")
	ErrTokenExpiry   = errors.New("staff: an API token's expiry must lie in the future")
	ErrTooManyTokens = errors.New("staff: too many API tokens")
)

// CreateToken makes a new token for the user and returns it: the only time
// the token itself is seen. expires is zero for a token without expiry.
func (s *Store) CreateToken(ctx context.Context, userID, name string, expires, now time.Time) (string, APIToken, error) {
	token, t, err := s.PrepareToken(ctx, userID, name, expires, now)
	if err != nil {
		return "", APIToken{}, err
	}
	if err := s.InsertToken(ctx, t); err != nil {
		return "", APIToken{}, err
	}
	return token, t, nil
}

// PrepareToken checks a new token's name, expiry and the user's number of
// tokens, and makes the token and its record without storing them, for a
// caller that must name the token (its Ref) before it exists; InsertToken
// stores it.
func (s *Store) PrepareToken(ctx context.Context, userID, name string, expires, now time.Time) (string, APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxTokenName || !utf8.ValidString(name) {
		return "", APIToken{}, ErrTokenName
	}
	if !expires.IsZero() && !expires.After(now) {
		return "", APIToken{}, ErrTokenExpiry
	}
	have, err := s.Tokens(ctx, userID)
	if err != nil {
		return "", APIToken{}, err
	}
	if len(have) >= MaxTokensPerUser {
		return "", APIToken{}, ErrTooManyTokens
	}
	token := TokenPrefix + NewToken()
	t := APIToken{ID: HashToken(token), Ref: random.Hex(8), UserID: userID, Name: name, Created: now.UTC()}
	if !expires.IsZero() {
		t.Expires = expires.UTC()
	}
	return token, t, nil
}

// InsertToken stores a token made by PrepareToken.
func (s *Store) InsertToken(ctx context.Context, t APIToken) error {
	if _, err := s.db.Collection(colTokens).InsertOne(ctx, t); err != nil {
		return fmt.Errorf("staff: unable to create API token: %w", err)
	}
	return nil
}

// Tokens lists a user's tokens, oldest first.
func (s *Store) Tokens(ctx context.Context, userID string) ([]APIToken, error) {
	ts, err := store.FindAll[APIToken](ctx, s.db.Collection(colTokens), bson.D{{Key: "user_id", Value: userID}},
		options.Find().SetSort(bson.D{{Key: "created", Value: 1}, {Key: "ref", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("staff: unable to list API tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken deletes one of the user's tokens by its ref; another user's
// token is ErrNoToken, as if it did not exist.
func (s *Store) RevokeToken(ctx context.Context, userID, ref string) (APIToken, error) {
	t, err := s.Token(ctx, userID, ref)
	if err != nil {
		return APIToken{}, err
	}
	res, err := s.db.Collection(colTokens).DeleteOne(ctx, bson.D{{Key: "_id", Value: t.ID}})
	if err != nil {
		return APIToken{}, fmt.Errorf("staff: unable to revoke API token: %w", err)
	}
	if res.DeletedCount == 0 {
		return APIToken{}, ErrNoToken
	}
	return t, nil
}

// Token returns one of the user's tokens by its ref; another user's token
// is ErrNoToken, as if it did not exist.
func (s *Store) Token(ctx context.Context, userID, ref string) (APIToken, error) {
	ts, err := s.Tokens(ctx, userID)
	if err != nil {
		return APIToken{}, err
	}
	for _, t := range ts {
		if t.Ref == ref {
			return t, nil
		}
	}
	return APIToken{}, ErrNoToken
}

// RevokeAllTokens deletes every token of the user and returns how many there were.
func (s *Store) RevokeAllTokens(ctx context.Context, userID string) (int, error) {
	res, err := s.db.Collection(colTokens).DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}})
	if err != nil {
		return 0, fmt.Errorf("staff: unable to revoke API tokens: %w", err)
	}
	return int(res.DeletedCount), nil
}

// TokenUser returns the token and its active user, or ErrNoToken for a
// token that is unknown, revoked or expired, or whose user is deactivated.
// It records the minute of use at most once a minute per token.
func (s *Store) TokenUser(ctx context.Context, token string, now time.Time) (APIToken, User, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return APIToken{}, User{}, ErrNoToken
	}
	if _, err := base64.RawURLEncoding.DecodeString(token[len(TokenPrefix):]); err != nil {
		return APIToken{}, User{}, ErrNoToken
	}
	var t APIToken
	err := s.db.Collection(colTokens).FindOne(ctx, bson.D{{Key: "_id", Value: HashToken(token)}}).Decode(&t)
	if store.IsNotFound(err) {
		return APIToken{}, User{}, ErrNoToken
	}
	if err != nil {
		return APIToken{}, User{}, fmt.Errorf("staff: unable to read API token: %w", err)
	}
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return APIToken{}, User{}, ErrNoToken
	}
	u, err := s.User(ctx, t.UserID)
	if err != nil || !u.Active {
		return APIToken{}, User{}, ErrNoToken
	}
	// Setting the same minute twice is harmless, so concurrent requests need
	// no lock here: there is no read-modify-write.
	if minute := now.UTC().Truncate(time.Minute); minute.After(t.LastUsed) {
		t.LastUsed = minute
		_, err := s.db.Collection(colTokens).UpdateOne(ctx, bson.D{{Key: "_id", Value: t.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "last_used", Value: minute}}}})
		if err != nil {
			return APIToken{}, User{}, fmt.Errorf("staff: unable to record API token use: %w", err)
		}
	}
	return t, u, nil
}

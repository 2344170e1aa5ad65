package staff

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

const colLinks = "password_links"

// LinkLifetime is how long a first-login or reset link works.
const LinkLifetime = 72 * time.Hour

// passwordLink lets its holder set a user's password once. Only the hash of
// its token is stored.
type passwordLink struct {
	ID      string    `bson:"_id"`
	UserID  string    `bson:"user_id"`
	Expires time.Time `bson:"expires"`
}

// IssuePasswordLink returns a one-time token for setting the user's password.
func (s *Store) IssuePasswordLink(ctx context.Context, userID string, now time.Time) (string, error) {
	token := NewToken()
	l := passwordLink{ID: HashToken(token), UserID: userID, Expires: now.Add(LinkLifetime).UTC()}
	if _, err := s.db.Collection(colLinks).InsertOne(ctx, l); err != nil {
		return "", fmt.Errorf("staff: unable to issue link: %w", err)
	}
	return token, nil
}

// PasswordLinkUser returns the user a live link belongs to.
func (s *Store) PasswordLinkUser(ctx context.Context, token string, now time.Time) (User, error) {
	var l passwordLink
	err := s.db.Collection(colLinks).FindOne(ctx, bson.D{{Key: "_id", Value: HashToken(token)}}).Decode(&l)
	if err != nil || now.After(l.Expires) {
		if err != nil && !store.IsNotFound(err) {
			return User{}, fmt.Errorf("staff: unable to read link: %w", err)
		}
		return User{}, ErrNoSession
	}
	return s.User(ctx, l.UserID)
}

// UsePasswordLink sets the password and spends the link. The link is deleted
// first, so two concurrent uses cannot both succeed.
func (s *Store) UsePasswordLink(ctx context.Context, token, password string, now time.Time) (User, error) {
	return s.UsePasswordLinkWith(ctx, token, password, now, nil)
}

// UsePasswordLinkWith is UsePasswordLink calling commit once the link is
// found and the password meets the policy, just before the link is spent;
// when commit fails, the link stays usable and nothing changes.
func (s *Store) UsePasswordLinkWith(ctx context.Context, token, password string, now time.Time, commit func() error) (User, error) {
	u, err := s.PasswordLinkUser(ctx, token, now)
	if err != nil {
		return User{}, err
	}
	if err := CheckPolicy(password, u.Email); err != nil {
		return User{}, err
	}
	defer s.userLocks.Lock("link:" + HashToken(token))()
	if commit != nil {
		if err := commit(); err != nil {
			return User{}, err
		}
	}
	res, err := s.db.Collection(colLinks).DeleteOne(ctx, bson.D{{Key: "_id", Value: HashToken(token)}})
	if err != nil {
		return User{}, fmt.Errorf("staff: unable to spend link: %w", err)
	}
	if res.DeletedCount == 0 {
		return User{}, ErrNoSession
	}
	if err := s.SetPassword(ctx, u.ID, password); err != nil {
		return User{}, err
	}
	return u, nil
}

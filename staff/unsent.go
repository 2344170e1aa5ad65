package staff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/seal"
	"github.com/stemme/stemme/store"
)

// A form a staff member sends after their session ended is not lost: its
// fields are kept, sealed, for UnsentLifetime, and offered back to the same
// user once they have signed in again, who sends it again themselves. The
// browser holds the only copy of the random id that finds and opens it;
// the store holds its hash, the user's id, the address the form was sent
// to and the sealed fields. It is deleted when shown, discarded or stale.

const colUnsent = "unsent_forms"

// UnsentLifetime is how long a form sent after a timeout is kept.
const UnsentLifetime = 30 * time.Minute

// MaxUnsent is the largest form kept, in bytes of its fields.
const MaxUnsent = 64 << 10

// ErrNoUnsent means no form is kept for the id and user.
var ErrNoUnsent = errors.New("staff: no unsent form")

// Unsent is a form sent after a timeout.
type Unsent struct {
	// Path is where the form was sent (POST).
	Path   string
	Fields url.Values
}

type unsentDoc struct {
	ID      string    `bson:"_id"` // sha256 of the id the browser holds
	UserID  string    `bson:"user_id"`
	Path    string    `bson:"path"`
	Sealed  []byte    `bson:"sealed"`
	Expires time.Time `bson:"expires"`
}

// UnsentForms keeps forms sent after a timeout.
type UnsentForms struct {
	db   *mongo.Database
	seal *seal.Sealer
}

// NewUnsentForms returns the store; its key is derived from the secret.
func NewUnsentForms(db *mongo.Database, secret []byte) (*UnsentForms, error) {
	s, err := seal.New(secret, "stemme/staff/unsent-form/v1")
	if err != nil {
		return nil, err
	}
	return &UnsentForms{db: db, seal: s}, nil
}

// secretField: fields never kept, whatever the form: the CSRF token and
// anything that is a password or a one-time code.
func secretField(name string) bool {
	n := strings.ToLower(name)
	return n == "_csrf" || n == "code" || strings.Contains(n, "password") || strings.Contains(n, "secret") || strings.Contains(n, "token")
}

// Keep seals the form's fields for the user and returns the id to give
// the browser. A form without fields worth keeping, or too large, is not
// kept (ok false).
func (u *UnsentForms) Keep(ctx context.Context, userID, path string, fields url.Values, now time.Time) (id string, ok bool, err error) {
	kept := url.Values{}
	size := 0
	for k, vs := range fields {
		if secretField(k) {
			continue
		}
		for _, v := range vs {
			size += len(k) + len(v)
		}
		kept[k] = vs
	}
	if len(kept) == 0 || size > MaxUnsent || userID == "" {
		return "", false, nil
	}
	plain, err := json.Marshal(kept)
	if err != nil {
		return "", false, fmt.Errorf("staff: unable to keep a form: %w", err)
	}
	u.purge(ctx, now)
	id = NewToken()
	key := HashToken(id)
	doc := unsentDoc{ID: key, UserID: userID, Path: path, Sealed: u.seal.Seal(plain, key), Expires: now.Add(UnsentLifetime).UTC()}
	if _, err := u.db.Collection(colUnsent).InsertOne(ctx, doc); err != nil {
		return "", false, fmt.Errorf("staff: unable to keep a form: %w", err)
	}
	return id, true, nil
}

// Take returns the form kept under id for the user and deletes it. Another
// user gets ErrNoUnsent, and the form stays for its owner until it expires.
func (u *UnsentForms) Take(ctx context.Context, id, userID string, now time.Time) (Unsent, error) {
	if id == "" || len(id) > 100 {
		return Unsent{}, ErrNoUnsent
	}
	key := HashToken(id)
	var d unsentDoc
	err := u.db.Collection(colUnsent).FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&d)
	if store.IsNotFound(err) {
		return Unsent{}, ErrNoUnsent
	}
	if err != nil {
		return Unsent{}, fmt.Errorf("staff: unable to read a kept form: %w", err)
	}
	if d.UserID != userID {
		return Unsent{}, ErrNoUnsent
	}
	if _, err := u.db.Collection(colUnsent).DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
		return Unsent{}, fmt.Errorf("staff: unable to delete a kept form: %w", err)
	}
	if now.After(d.Expires) {
		return Unsent{}, ErrNoUnsent
	}
	plain, err := u.seal.Open(d.Sealed, key)
	if err != nil {
		return Unsent{}, ErrNoUnsent
	}
	var fields url.Values
	if err := json.Unmarshal(plain, &fields); err != nil {
		return Unsent{}, ErrNoUnsent
	}
	return Unsent{Path: d.Path, Fields: fields}, nil
}

// Discard deletes the form kept under id for the user, if any.
func (u *UnsentForms) Discard(ctx context.Context, id, userID string) error {
	if id == "" || len(id) > 100 {
		return nil
	}
	_, err := u.db.Collection(colUnsent).DeleteOne(ctx, bson.D{{Key: "_id", Value: HashToken(id)}, {Key: "user_id", Value: userID}})
	if err != nil {
		return fmt.Errorf("staff: unable to discard a kept form: %w", err)
	}
	return nil
}

// purge deletes stale forms; the collection holds a handful at most.
func (u *UnsentForms) purge(ctx context.Context, now time.Time) {
	_, _ = u.db.Collection(colUnsent).DeleteMany(ctx, bson.D{{Key: "expires", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}})
}

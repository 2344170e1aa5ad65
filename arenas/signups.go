package arenas

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/contact"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// signUpLocks serializes sign-ups per event, so the capacity holds (the
// embedded store's check-then-insert is not atomic).
var signUpLocks store.KeyedMutex

// SignUp records a person for an event at now. sid is the form's
// submission id: repeating the same post stores nothing twice. Field
// problems come back as FieldErrors; a past or closed event as ErrClosed;
// a full one as ErrFull.
func (s *Store) SignUp(ctx context.Context, eventID, sid string, p Person, now time.Time) error {
	cp := contact.Person{Name: p.Name, Phone: p.Phone, Email: p.Email}
	var errs FieldErrors
	for _, pr := range contact.Check(&cp, MaxName) {
		kind := pr.Kind
		if kind == "name_long" {
			kind = "name"
		}
		errs = append(errs, FieldError{Field: pr.Field, Message: "delta.signup.error." + kind})
	}
	if len(errs) > 0 {
		return errs
	}
	p = Person{Name: cp.Name, Phone: cp.Phone, Email: cp.Email}
	defer signUpLocks.Lock(eventID)()
	e, err := s.Event(ctx, eventID)
	if err != nil {
		return err
	}
	if !e.SignUp || e.Date < surveys.LocalDate(now) {
		return ErrClosed
	}
	id := derived("signup", eventID+"\x00"+sid)
	if e.Capacity > 0 {
		n, err := s.db.Collection(colSignUps).CountDocuments(ctx, bson.D{{Key: "event", Value: eventID}})
		if err != nil {
			return fmt.Errorf("arenas: unable to count sign-ups: %w", err)
		}
		if int(n) >= e.Capacity {
			if err := s.db.Collection(colSignUps).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err(); err == nil {
				return nil // this very post was taken before
			}
			return ErrFull
		}
	}
	plain, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("arenas: %w", err)
	}
	u := SignUp{ID: id, Event: eventID, Date: e.Date, Sealed: s.seal.Seal(plain, id), Created: now.UTC()}
	if _, err := s.db.Collection(colSignUps).InsertOne(ctx, u); err != nil && !store.IsDuplicate(err) {
		return fmt.Errorf("arenas: unable to sign up: %w", err)
	}
	return nil
}

// SignUps returns the people signed up for an event, decrypted, in the
// order they signed up. Callers check access and audit first.
func (s *Store) SignUps(ctx context.Context, eventID string) ([]Person, error) {
	us, err := store.FindAll[SignUp](ctx, s.db.Collection(colSignUps), bson.D{{Key: "event", Value: eventID}})
	if err != nil {
		return nil, fmt.Errorf("arenas: unable to read sign-ups: %w", err)
	}
	slices.SortFunc(us, func(a, b SignUp) int { return a.Created.Compare(b.Created) })
	out := make([]Person, 0, len(us))
	for _, u := range us {
		p, err := s.open(u)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Counts returns how many are signed up per event.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	us, err := store.FindAll[SignUp](ctx, s.db.Collection(colSignUps), bson.D{})
	if err != nil {
		return nil, fmt.Errorf("arenas: unable to count sign-ups: %w", err)
	}
	out := map[string]int{}
	for _, u := range us {
		out[u.Event]++
	}
	return out, nil
}

// Purge deletes the sign-ups of events before the local date of now (the
// day after the event), in one batch, and returns how many went.
func (s *Store) Purge(ctx context.Context, now time.Time) (int64, error) {
	return s.PurgeWith(ctx, now, nil)
}

// PurgeWith is Purge calling commit, unless it is nil, with the number of
// sign-ups due before deleting any (ops writes the purge's audit entry
// there), as feedback.Store.PurgeWith does; an error from commit stops it.
// With nothing due, commit is not called. What is due cannot grow
// meanwhile: nobody signs up for a past event.
func (s *Store) PurgeWith(ctx context.Context, now time.Time, commit func(due int) error) (int64, error) {
	due := bson.D{{Key: "date", Value: bson.D{{Key: "$lt", Value: surveys.LocalDate(now)}}}}
	n, err := s.db.Collection(colSignUps).CountDocuments(ctx, due)
	if err != nil {
		return 0, fmt.Errorf("arenas: unable to count sign-ups due for deletion: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	if commit != nil {
		if err := commit(int(n)); err != nil {
			return 0, err
		}
	}
	res, err := s.db.Collection(colSignUps).DeleteMany(ctx, due)
	if err != nil {
		return 0, fmt.Errorf("arenas: unable to purge sign-ups: %w", err)
	}
	return res.DeletedCount, nil
}

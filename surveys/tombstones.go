package surveys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// A withdrawal is final: the answer is deleted, and a tombstone keeps a
// keyed hash of its receipt so that a replay of the same form (a reload of
// an old thank-you page, a retried post) never stores it again. The
// tombstone holds nothing else but the wave and the day it closes, after
// which the wave takes no answers anyway and the tombstone is purged.
// Being keyed with the application secret, the hash cannot be matched
// against receipt codes by anyone holding only a copy of the store.

const colTombstones = "withdrawn"

type tombstone struct {
	ID   string `bson:"_id"`
	Wave string `bson:"wave"`
	// Until is the wave's closing date (YYYY-MM-DD); empty keeps it for good.
	Until string `bson:"until,omitempty"`
}

// TombstoneID is the keyed hash a withdrawal is remembered by.
func TombstoneID(secret []byte, receipt string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("withdrawn\x00" + NormalizeCode(receipt)))
	return hex.EncodeToString(m.Sum(nil))
}

// Bury remembers that the answer behind the tombstone id was withdrawn from
// the wave. Burying twice is no error.
func (s *Store) Bury(ctx context.Context, id, wave string) error {
	t := tombstone{ID: id, Wave: wave}
	if w, err := s.Wave(ctx, wave); err == nil {
		t.Until = w.Closes
	}
	g := s.gate()
	if g != nil {
		// An answer being inserted finishes first (and is then taken back by
		// the withdrawal this burial begins); none starts until the gate
		// knows the tombstone (gate.go).
		g.order.Lock()
		defer g.order.Unlock()
	}
	_, err := s.db.Collection(colTombstones).InsertOne(ctx, t)
	if err != nil && !store.IsDuplicate(err) {
		return fmt.Errorf("surveys: unable to record a withdrawal: %w", err)
	}
	if g != nil {
		g.bury(id)
	}
	return nil
}

// PurgeTombstones forgets withdrawals from waves that closed before today
// (YYYY-MM-DD): those waves refuse every answer, replays included.
func (s *Store) PurgeTombstones(ctx context.Context, today string) error {
	filter := bson.D{{Key: "until", Value: bson.D{{Key: "$gt", Value: ""}, {Key: "$lt", Value: today}}}}
	if g := s.gate(); g != nil {
		defer g.forgetTombs()
	}
	if _, err := store.DeleteAll(ctx, s.db.Collection(colTombstones), filter); err != nil {
		return fmt.Errorf("surveys: unable to purge withdrawals: %w", err)
	}
	return nil
}

package surveys

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ErrNotClosed means results of a wave still taking answers cannot be published.
var ErrNotClosed = fmt.Errorf("surveys: only a closed wave's results can be published")

// PublishResults marks a closed wave's results published as of now's local
// date. Publishing again keeps the first date.
func (s *Store) PublishResults(ctx context.Context, id string, now time.Time) error {
	defer lifecycleLocks.Lock("wave:" + id)()
	w, err := s.Wave(ctx, id)
	if err != nil {
		return err
	}
	if w.Status != WaveClosed {
		return ErrNotClosed
	}
	if w.Published != "" {
		return nil
	}
	_, err = s.db.Collection(colWaves).UpdateOne(ctx, byID(id),
		bson.D{{Key: "$set", Value: bson.D{{Key: "published", Value: LocalDate(now)}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to publish wave %s: %w", id, err)
	}
	return nil
}

// WithdrawResults takes a wave's results back from the council and the public.
func (s *Store) WithdrawResults(ctx context.Context, id string) error {
	defer lifecycleLocks.Lock("wave:" + id)()
	_, err := s.db.Collection(colWaves).UpdateOne(ctx, byID(id),
		bson.D{{Key: "$unset", Value: bson.D{{Key: "published", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to withdraw wave %s: %w", id, err)
	}
	return nil
}

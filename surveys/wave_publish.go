package surveys

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// Population errors.
var (
	ErrPopulationPublished = errors.New("surveys: the results are published; the population cannot change")
	ErrPopulationValue     = errors.New("surveys: a population is a whole number from 1 to 1,000,000")
)

// SetPopulation records the number of relatives each unit of a wave
// reached (the response rate's denominator), entered by an advisor; units
// left out keep theirs. Once results are published it no longer changes,
// so that published rates never move.
func (s *Store) SetPopulation(ctx context.Context, id string, pop map[string]int) error {
	defer lifecycleLocks.Lock("wave:" + id)()
	w, err := s.Wave(ctx, id)
	if err != nil {
		return err
	}
	if w.Published != "" {
		return ErrPopulationPublished
	}
	next := map[string]int{}
	for u, n := range w.Population {
		next[u] = n
	}
	for u, n := range pop {
		if !slices.Contains(w.Units, u) {
			return fmt.Errorf("surveys: unit %s is not in wave %s", u, id)
		}
		if n < 1 || n > 1_000_000 {
			return ErrPopulationValue
		}
		next[u] = n
	}
	_, err = s.db.Collection(colWaves).UpdateOne(ctx, byID(id),
		bson.D{{Key: "$set", Value: bson.D{{Key: "population", Value: next}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to record the population of %s: %w", id, err)
	}
	return nil
}

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
	defer s.lifecycleLocks.Lock("wave:" + id)()
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
	s.interleave("publish", id)
	// Only a closed, unpublished wave is published: of two instances
	// publishing at once, the first date stays.
	_, err = s.db.Collection(colWaves).UpdateOne(ctx, unpublished(id, bson.E{Key: "status", Value: WaveClosed}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "published", Value: LocalDate(now)}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to publish wave %s: %w", id, err)
	}
	return nil
}

// unpublished filters wave id while its results are not published.
func unpublished(id string, more ...bson.E) bson.D {
	return append(bson.D{{Key: "_id", Value: id}, {Key: "published", Value: bson.D{{Key: "$exists", Value: false}}}}, more...)
}

// WithdrawResults takes a wave's results back from the council and the public.
func (s *Store) WithdrawResults(ctx context.Context, id string) error {
	defer s.lifecycleLocks.Lock("wave:" + id)()
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
	// ErrNotInWave: a population or a batch of invitations names a unit
	// the wave does not survey.
	ErrNotInWave = errors.New("surveys: the unit is not in the wave")
)

// SetPopulation records the number of relatives each unit of a wave
// reached (the response rate's denominator), entered by an advisor; units
// left out keep theirs. Once results are published it no longer changes,
// so that published rates never move.
func (s *Store) SetPopulation(ctx context.Context, id string, pop map[string]int) error {
	return s.SetPopulationWith(ctx, id, pop, nil)
}

// SetPopulationWith is SetPopulation calling commit once every number is
// checked, just before they are recorded; a form that changes no number
// records nothing and does not call it.
func (s *Store) SetPopulationWith(ctx context.Context, id string, pop map[string]int, commit Commit) error {
	defer s.lifecycleLocks.Lock("wave:" + id)()
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
			return fmt.Errorf("%w: unit %s is not in wave %s", ErrNotInWave, u, id)
		}
		if n < 1 || n > 1_000_000 {
			return ErrPopulationValue
		}
		next[u] = n
	}
	s.interleave("population", id)
	// Each unit's number is set on its own, and only while the results are
	// unpublished: a second instance publishing, or recording another
	// unit, in between is neither overrun nor undone.
	set := bson.D{}
	for _, u := range sortedKeys(pop) {
		set = append(set, bson.E{Key: "population." + u, Value: next[u]})
	}
	if len(set) == 0 {
		return nil
	}
	if err := commit.run(); err != nil {
		return err
	}
	res, err := s.db.Collection(colWaves).UpdateOne(ctx, unpublished(id), bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("surveys: unable to record the population of %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return ErrPopulationPublished
	}
	return nil
}

package surveys

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Storing an answer (AcceptResponse) makes two promises with any number
// of instances:
//
//   - Closing is immediate. The wave's status is read from the store (no
//     cache) just before the insert, and again just after it. An answer to a
//     wave closed before is not stored (ErrWaveNotOpen); one whose wave
//     closed between the two reads is stored and reported
//     ErrClosedMeanwhile, for the caller to retract through the tallier,
//     which takes it out of the inbox before it is ever counted.
//   - A withdrawal is final. The receipt's tombstone is looked for just
//     after the insert; a replay of a withdrawn answer is reported
//     ErrWithdrawnMeanwhile, for the caller to retract likewise.
//
// With group commit the reads are made once per group — one read of each
// wave before, one after, one query for the group's tombstones — so
// relatives answering at once share them as they share the commit. On a
// store this process alone writes to (the embedded store), the same two
// promises are kept in memory, by ordering instead of reading (gate.go).

// Outcomes of AcceptResponse besides nil and ErrAlreadySaved.
var (
	// ErrWaveNotOpen means the wave took no answers: nothing was stored.
	ErrWaveNotOpen = errors.New("surveys: the wave takes no answers")
	// ErrClosedMeanwhile means the answer was stored while its wave
	// closed: it must be retracted (a withdrawal of its id).
	ErrClosedMeanwhile = errors.New("surveys: the wave closed while the answer was stored")
	// ErrWithdrawnMeanwhile means the answer was stored although its
	// receipt had been withdrawn: it must be retracted.
	ErrWithdrawnMeanwhile = errors.New("surveys: the answer had been withdrawn")
)

// AcceptResponse stores an answer in the inbox like SaveResponse, checking
// around the insert that its wave is open and that the answer was not
// withdrawn (tomb is TombstoneID of its receipt). See the top of this file.
func (s *Store) AcceptResponse(ctx context.Context, r *Response, tomb string) error {
	if r.ID == "" {
		return errors.New("surveys: response without submission id")
	}
	p := pendingSave{r: r, guarded: true, tomb: tomb}
	if s.group != nil {
		return s.group.save(ctx, p)
	}
	return s.commitAnswers(ctx, []pendingSave{p})[0]
}

// openWaves reads the status of the guarded answers' waves (those still
// without an outcome) and reports which are open.
func (s *Store) openWaves(ctx context.Context, group []pendingSave, errs []error) (map[string]bool, error) {
	open := map[string]bool{}
	for i, p := range group {
		if !p.guarded || errs[i] != nil {
			continue
		}
		if _, seen := open[p.r.Wave]; seen {
			continue
		}
		w, err := s.Wave(ctx, p.r.Wave)
		if err != nil {
			return nil, err
		}
		open[p.r.Wave] = w.Status == WaveOpen
	}
	return open, nil
}

// guardBefore refuses the guarded answers whose wave is not open.
func (s *Store) guardBefore(ctx context.Context, group []pendingSave, errs []error) {
	open, err := s.openWaves(ctx, group, errs)
	for i, p := range group {
		switch {
		case !p.guarded:
		case err != nil:
			errs[i] = fmt.Errorf("surveys: unable to read the wave's status: %w", err)
		case !open[p.r.Wave]:
			errs[i] = ErrWaveNotOpen
		}
	}
}

// guardAfter reports the guarded answers just inserted (at lists the
// inserted positions) whose wave closed meanwhile or that were withdrawn.
// When the checks cannot be made, the answers are reported closed: the
// caller retracts them rather than keep what it cannot vouch for.
func (s *Store) guardAfter(ctx context.Context, group []pendingSave, errs []error, at []int) {
	waves := guardedWaves(group, errs, at)
	var tombs []string
	for _, i := range at {
		if group[i].guarded && errs[i] == nil && group[i].tomb != "" {
			tombs = append(tombs, group[i].tomb)
		}
	}
	if len(waves) == 0 {
		return
	}
	if s.AfterInsert != nil {
		s.AfterInsert(waves)
	}
	open, err := s.openWaves(ctx, group, errs)
	var buried []string
	if err == nil && len(tombs) > 0 {
		buried, err = s.buriedAmong(ctx, tombs)
	}
	for _, i := range at {
		p := group[i]
		switch {
		case !p.guarded || errs[i] != nil:
		case err != nil:
			errs[i] = fmt.Errorf("%w (unable to check: %v)", ErrClosedMeanwhile, err)
		case !open[p.r.Wave]:
			errs[i] = ErrClosedMeanwhile
		case p.tomb != "" && slices.Contains(buried, p.tomb):
			errs[i] = ErrWithdrawnMeanwhile
		}
	}
}

// guardedWaves lists the waves of the guarded answers stored (at lists the
// positions inserted), once per answer.
func guardedWaves(group []pendingSave, errs []error, at []int) []string {
	var waves []string
	for _, i := range at {
		if group[i].guarded && errs[i] == nil {
			waves = append(waves, group[i].r.Wave)
		}
	}
	return waves
}

// buriedAmong returns the ids among ids that have a tombstone, in one query.
func (s *Store) buriedAmong(ctx context.Context, ids []string) ([]string, error) {
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	if len(ids) == 1 {
		filter = byID(ids[0]) // an _id equality is looked up, not scanned
	}
	cur, err := s.db.Collection(colTombstones).Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to look for withdrawals: %w", err)
	}
	var found []tombstone
	if err := cur.All(ctx, &found); err != nil {
		return nil, fmt.Errorf("surveys: unable to look for withdrawals: %w", err)
	}
	out := make([]string, len(found))
	for i, t := range found {
		out[i] = t.ID
	}
	return out, nil
}

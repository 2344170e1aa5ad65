package analysis

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Withdraw uncounts a response and deletes it, with its free text. The
// request is stored first and done by whichever instance holds the tally
// lease; Withdraw returns once it is done.
func (t *Tallier) Withdraw(ctx context.Context, responseID string) error {
	col := t.db.Collection(colWithdrawals)
	_, err := col.InsertOne(ctx, bson.D{{Key: "_id", Value: responseID}})
	if err != nil && !store.IsDuplicate(err) {
		return fmt.Errorf("analysis: unable to ask for a withdrawal: %w", err)
	}
	// The relative (or a refused post) waits for it: no gathering.
	t.hurry()
	t.Kick()
	for {
		err := col.FindOne(ctx, bson.D{{Key: "_id", Value: responseID}}).Err()
		if store.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("analysis: unable to follow a withdrawal: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// withdrawRequested does the withdrawals asked for, then forgets the requests.
func (t *Tallier) withdrawRequested(ctx context.Context) error {
	col := t.db.Collection(colWithdrawals)
	reqs, err := store.FindAll[struct {
		ID string `bson:"_id"`
	}](ctx, col, bson.D{})
	if err != nil || len(reqs) == 0 {
		return err
	}
	for _, r := range reqs {
		if err := t.withdraw(ctx, r.ID); err != nil && !errors.Is(err, surveys.ErrNoSuchReceipt) {
			return err
		}
		if _, err := col.DeleteOne(ctx, bson.D{{Key: "_id", Value: r.ID}}); err != nil {
			return fmt.Errorf("analysis: unable to forget a withdrawal: %w", err)
		}
	}
	return nil
}

// withdraw uncounts one filed response and deletes it. An answer still in
// the inbox and never filed is only taken out of it, so it is never
// counted: that is how a submission refused after its insert (the wave
// closed meanwhile, or the answer was withdrawn before) is retracted. This
// tallier is the only one filing, so nothing can file it in between.
func (t *Tallier) withdraw(ctx context.Context, id string) error {
	switch _, err := t.surveys.FiledResponse(ctx, id); {
	case store.IsNotFound(err):
		if _, err := t.surveys.Response(ctx, id); store.IsNotFound(err) {
			return surveys.ErrNoSuchReceipt
		} else if err != nil {
			return err
		}
		return t.surveys.ClearInbox(ctx, []string{id})
	case err != nil:
		return err
	}
	if err := t.drain(ctx); err != nil {
		return err
	}
	if _, err := t.surveys.FiledResponse(ctx, id); err != nil {
		if store.IsNotFound(err) {
			return surveys.ErrNoSuchReceipt
		}
		return err
	}
	b, err := t.begin(ctx, "withdraw", []string{id}, "")
	if err != nil {
		return err
	}
	return t.uncount(ctx, b, id)
}

// uncount is the body of a withdrawal, run again as it is after a crash:
// once the response is gone, its counts were taken away before it.
func (t *Tallier) uncount(ctx context.Context, b int64, id string) error {
	r, err := t.surveys.FiledResponse(ctx, id)
	if store.IsNotFound(err) {
		return t.end(ctx, b)
	}
	if err != nil {
		return err
	}
	in, err := t.surveys.Instrument(ctx, r.Instrument)
	if err != nil {
		return err
	}
	changes := map[string]*Tally{}
	addTo(changes, in, r, -1)
	if err := t.apply(ctx, b, changes); err != nil {
		return err
	}
	if err := deleteTexts(ctx, t.db, textsOf(in, r)); err != nil {
		return err
	}
	if err := dropFromChunks(ctx, t.db, r); err != nil {
		return err
	}
	if err := t.surveys.DeleteResponse(ctx, id); err != nil {
		return err
	}
	return t.end(ctx, b)
}

// expectedResponses estimates a recount's size from the current tallies,
// for a progress bar, without scanning the responses twice.
func expectedResponses(ctx context.Context, db *mongo.Database, wave string) (int64, error) {
	waves := []string{wave}
	if wave == "" {
		ws, err := surveys.NewStore(db).Waves(ctx)
		if err != nil {
			return 0, err
		}
		waves = waves[:0]
		for _, w := range ws {
			waves = append(waves, w.ID)
		}
	}
	var n int64
	for _, w := range waves {
		ts, err := Tallies(ctx, db, w)
		if err != nil {
			return 0, err
		}
		for _, tl := range ts {
			if tl.Segment == AllSegment {
				n += tl.N
			}
		}
	}
	return n, nil
}

// Verify recounts the filed responses of a wave (all waves when empty) and
// lists every difference from the stored tallies. Answers still waiting in
// the inbox are not in either: run it with the tallier drained.
func Verify(ctx context.Context, db *mongo.Database, wave string, progress func(done, total int64)) ([]string, error) {
	ss := surveys.NewStore(db)
	total, err := expectedResponses(ctx, db, wave)
	if err != nil {
		return nil, err
	}
	fresh := newCounted(total, progress)
	if err := fresh.countFrom(ctx, ss, responsesOf(ss, wave, nil), nil); err != nil {
		return nil, err
	}
	fresh.done()
	waves := []string{wave}
	if wave == "" {
		ws, err := ss.Waves(ctx)
		if err != nil {
			return nil, err
		}
		waves = waves[:0]
		for _, w := range ws {
			waves = append(waves, w.ID)
		}
	}
	var diffs []string
	seen := map[string]bool{}
	for _, w := range waves {
		stored, err := Tallies(ctx, db, w)
		if err != nil {
			return nil, err
		}
		for _, s := range stored {
			seen[s.Cell] = true
			f := fresh.tallies[s.Cell]
			if f == nil {
				f = newTally(s.Wave, s.Unit, s.Segment, s.Value)
			}
			diffs = append(diffs, s.Differences(f)...)
		}
	}
	for cell, f := range fresh.tallies {
		if !seen[cell] {
			diffs = append(diffs, newTally(f.Wave, f.Unit, f.Segment, f.Value).Differences(f)...)
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}

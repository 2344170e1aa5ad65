package analysis

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/surveys"
)

// A wave's tallies are rebuilt from one of two copies of its answers. The
// filed responses are the record: one document each, which the embedded
// store decodes one by one (100,000 take 15 s or more on two cores). The
// answer chunks hold the same answers packed, a few hundred documents,
// written by the tallier in the same journaled batch as the tallies; they
// read in well under a second. A recount asked for by an operator
// (Retally) reads the chunks of every wave whose chunks hold exactly the
// answers its tallies count, and the responses for the rest. Whatever must
// not trust the chunks reads the responses and writes the chunks anew: a
// batch replayed after a crash (its chunks may be half written), the
// reshuffle of a closed wave, the first count after an upgrade, and an
// operator's Rebuild. Verify always reads the responses, so a difference
// between the two copies shows there.

// Journal operations of a rebuild: from the responses, or from the chunks
// where they are complete.
const (
	opRebuild = "retally"
	opRecount = "recount"
)

// rebuildFrom recounts a wave (every wave when empty) under a journal
// entry: from the responses, or, with fromChunks, from the chunks where
// they are complete.
func (t *Tallier) rebuildFrom(ctx context.Context, wave string, fromChunks bool, progress func(done, total int64)) error {
	op := opRebuild
	if fromChunks {
		op = opRecount
	}
	b, err := t.begin(ctx, op, nil, wave)
	if err != nil {
		return err
	}
	return t.rebuild(ctx, b, wave, fromChunks, progress)
}

// retally rebuilds tallies and chunks from the filed responses.
func (t *Tallier) retally(ctx context.Context, wave string, progress func(done, total int64)) error {
	return t.rebuildFrom(ctx, wave, false, progress)
}

// rebuild replaces the tallies of a wave (or of all waves) with a recount.
// A recount from the responses also adds free text missing from the review
// queue; decisions already made on text are kept.
func (t *Tallier) rebuild(ctx context.Context, b int64, wave string, fromChunks bool, progress func(done, total int64)) error {
	waves, err := t.wavesOf(ctx, wave)
	if err != nil {
		return err
	}
	var chunked []string
	if fromChunks {
		for _, w := range waves {
			// Tallies or chunks that cannot be read (a format this
			// version does not know) are no reason to trust the chunks:
			// the wave is read from its responses.
			if ok, err := chunksComplete(ctx, t.db, w); err == nil && ok {
				chunked = append(chunked, w)
			}
		}
	}
	// Only the progress bar's estimate: tallies that cannot be read are
	// about to be replaced.
	total, _ := expectedResponses(ctx, t.db, wave)
	c := newCounted(total, progress)
	// The chunks stay as they are, and the free text they hold was queued
	// by the batches that wrote them: only the tallies are counted.
	for _, w := range chunked {
		if err := c.countFrom(ctx, t.surveys, chunksOf(t.db, w), nil); err != nil {
			return err
		}
	}
	if len(chunked) == 0 || len(chunked) < len(waves) {
		if err := t.rebuildFromResponses(ctx, c, wave, chunked); err != nil {
			return err
		}
	}
	c.done()
	byWave := map[string]map[string]*Tally{}
	for _, w := range waves {
		byWave[w] = map[string]*Tally{}
	}
	for cell, tl := range c.tallies {
		if byWave[tl.Wave] == nil {
			byWave[tl.Wave] = map[string]*Tally{}
		}
		byWave[tl.Wave][cell] = tl
	}
	for w, fresh := range byWave {
		delete(t.tallies, w)
		if err := replaceWave(ctx, t.db, b, w, fresh); err != nil {
			return err
		}
	}
	return t.end(ctx, b)
}

// rebuildFromResponses counts the responses of a wave (every wave when
// empty) but those of the waves counted from their chunks, and writes their
// chunks anew.
func (t *Tallier) rebuildFromResponses(ctx context.Context, c *counted, wave string, chunked []string) error {
	clear := bson.D{}
	switch {
	case wave != "":
		clear = bson.D{{Key: "wave", Value: wave}}
	case len(chunked) > 0:
		clear = bson.D{{Key: "wave", Value: bson.D{{Key: "$nin", Value: chunked}}}}
	}
	if err := clearChunks(ctx, t.db, clear); err != nil {
		return err
	}
	var keep func(*surveys.Response) bool
	if len(chunked) > 0 {
		keep = func(r *surveys.Response) bool { return !slices.Contains(chunked, r.Wave) }
	}
	out := startRecountWriter(ctx, t.db, true)
	err := c.countFrom(ctx, t.surveys, responsesOf(t.surveys, wave, keep), out)
	if cerr := out.close(ctx); err == nil {
		err = cerr
	}
	return err
}

// wavesOf lists the wave, or every wave when it is empty.
func (t *Tallier) wavesOf(ctx context.Context, wave string) ([]string, error) {
	if wave != "" {
		return []string{wave}, nil
	}
	ws, err := t.surveys.Waves(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out, nil
}

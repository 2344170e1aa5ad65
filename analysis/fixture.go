package analysis

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/internal/analysistest"
	"github.com/stemme/stemme/surveys"
)

// The functions in this file build tallies without answers, for benchmarks
// and view tests that need a wave of a given size. They are lent to
// internal/analysistest, not exported: they bypass the tallier, and no
// server code may call them.

func init() {
	analysistest.Lend(analysistest.Writers{StoreAnswers: storeAnswers, CopyTallies: copyTallies})
}

// countAnswers tallies responses in memory exactly as the tallier does.
func countAnswers(in *surveys.Instrument, rs []surveys.Response) []*Tally {
	changes := map[string]*Tally{}
	for i := range rs {
		addTo(changes, in, &rs[i], +1)
	}
	out := make([]*Tally, 0, len(changes))
	for _, t := range changes {
		out = append(out, t)
	}
	return out
}

// scale multiplies every count and sum by k: the tally of k respondents
// giving each of the original answers.
func (t *Tally) scale(k int64) {
	t.N *= k
	for _, m := range t.Counts {
		for v := range m {
			m[v] *= k
		}
	}
	for q := range t.Answered {
		t.Answered[q] *= k
	}
	scale := func(m map[string]Moments) {
		for key, x := range m {
			m[key] = Moments{N: x.N * k, Sum: x.Sum * float64(k), SumSq: x.SumSq * float64(k)}
		}
	}
	scale(t.Items)
	scale(t.Focus)
}

// storeTallies replaces a wave's tallies with the given ones as batch seq,
// raising the wave's tally version to seq like any batch. Never call it
// for a wave the tallier is counting: the tallier is the one writer of
// live tallies. seq must be newer than the wave's version, or a cached
// result of the old tallies would still look current: an older one is
// refused.
func storeTallies(ctx context.Context, db *mongo.Database, wave string, seq int64, tallies []*Tally) error {
	v, err := tallyVersions(ctx, db, wave)
	if err != nil {
		return err
	}
	if seq <= v[0] {
		return fmt.Errorf("analysis: tallies of %s written as batch %d, not newer than its version %d", wave, seq, v[0])
	}
	fresh := make(map[string]*Tally, len(tallies))
	for _, t := range tallies {
		fresh[t.Cell] = t
	}
	return replaceWave(ctx, db, seq, wave, fresh)
}

// storeAnswers is storeTallies of the responses, each given factor times;
// it returns the respondents counted.
func storeAnswers(ctx context.Context, db *mongo.Database, wave string, seq int64, in *surveys.Instrument,
	rs []surveys.Response, factor int64) (int64, error) {
	tallies := countAnswers(in, rs)
	var n int64
	for _, t := range tallies {
		t.scale(factor)
		if t.Segment == AllSegment {
			n += t.N
		}
	}
	return n, storeTallies(ctx, db, wave, seq, tallies)
}

// copyTallies writes wave from's tallies as wave to's, every count and sum
// multiplied by factor, as the batch after wave to's version. Wave to's
// old tallies are replaced; the tallier must not count it.
func copyTallies(ctx context.Context, db *mongo.Database, from, to string, factor int64) error {
	src, err := Tallies(ctx, db, from)
	if err != nil {
		return err
	}
	copies := make([]*Tally, 0, len(src))
	for _, t := range src {
		c := newTally(to, t.Unit, t.Segment, t.Value)
		c.merge(t)
		c.scale(factor)
		copies = append(copies, c)
	}
	if err := talliesOf(db, to).Drop(ctx); err != nil {
		return fmt.Errorf("analysis: unable to clear tallies of %s: %w", to, err)
	}
	v, err := tallyVersions(ctx, db, to)
	if err != nil {
		return err
	}
	return storeTallies(ctx, db, to, v[0]+1, copies)
}

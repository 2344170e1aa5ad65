// Package analysistest writes tallies without answers, for the tests and
// the benchmark that need a wave of a given size: a million answers cannot
// be submitted in a test, but their tallies are only a few sums.
//
// These writes bypass the tallier, the one writer of live tallies: called
// for a wave it counts, they would overwrite its work. So they are no part
// of package analysis's API. They live here, under internal/, and
// TestOnlyTestsAndTheBenchmarkWriteTallies keeps every other package of
// the server from importing this one. Package analysis, which holds the
// tally codec, lends the writers when it is loaded (Lend).
package analysistest

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/surveys"
)

// Writers are the writes package analysis lends.
type Writers struct {
	StoreAnswers func(ctx context.Context, db *mongo.Database, wave string, seq int64, in *surveys.Instrument,
		rs []surveys.Response, factor int64) (respondents int64, err error)
	CopyTallies func(ctx context.Context, db *mongo.Database, from, to string, factor int64) error
}

var writers Writers

// Lend is called once, by package analysis as it is loaded.
func Lend(w Writers) { writers = w }

var errNotLent = errors.New("analysistest: package analysis is not loaded")

// StoreAnswers replaces a wave's tallies with those of the responses, as
// if each had been given factor times, written as the tallier's batch seq
// (newer than any batch it wrote), and raises the wave's tally version to
// seq, so cached results of the wave are recomputed; a seq not newer than
// the wave's version is refused. It returns the respondents counted. The
// wave must be one no tallier counts.
func StoreAnswers(ctx context.Context, db *mongo.Database, wave string, seq int64, in *surveys.Instrument,
	rs []surveys.Response, factor int64) (int64, error) {
	if writers.StoreAnswers == nil {
		return 0, errNotLent
	}
	return writers.StoreAnswers(ctx, db, wave, seq, in, rs, factor)
}

// CopyTallies writes wave from's tallies as wave to's, every count and sum
// multiplied by factor: a wave of many more answers with the same shape.
// Wave to's old tallies are replaced and its tally version raised; no
// tallier may count it.
func CopyTallies(ctx context.Context, db *mongo.Database, from, to string, factor int64) error {
	if writers.CopyTallies == nil {
		return errNotLent
	}
	return writers.CopyTallies(ctx, db, from, to, factor)
}

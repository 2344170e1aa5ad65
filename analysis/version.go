package analysis

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// A wave's tally version is the newest batch that changed its tallies,
// kept in one small document per wave (colVersions, _id the wave). It
// lets the results service know whether what it computed is still true
// with one read by _id, the cheapest there is, instead of reading the
// tallies (issue 22). Every write of tallies ends by raising it: a batch
// (applyWave), a withdrawal (the same), a recount, rebuild or replay
// after a crash (replaceWave), and the test writers of fixture.go.
//
// It is raised after the tallies are written and read before them, so a
// result computed from tallies read after version v is at least as new as
// v: a reader may cache a newer result under an older version (and
// recompute once more), never an older one under a newer version. A crash
// between the tallies and the raise is replayed at start-up, which raises
// it. Batch numbers only grow (the journal), and the raise is conditional
// ({_id, v < b}), so the version never goes backwards; only the lease
// holder tallies, one batch at a time, which serializes these writes as
// the embedded store needs.

// raiseVersion records that batch b changed the tallies of wave.
func raiseVersion(ctx context.Context, db *mongo.Database, wave string, b int64) error {
	_, err := db.Collection(colVersions).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: wave}, {Key: "v", Value: bson.D{{Key: "$lt", Value: b}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "v", Value: b}}}},
		options.UpdateOne().SetUpsert(true))
	if store.IsDuplicate(err) {
		return nil // the document holds b or a newer batch: the upsert found no match
	}
	if err != nil {
		return fmt.Errorf("analysis: unable to record the tally version of %s: %w", wave, err)
	}
	return nil
}

// tallyVersions reads the versions of the given waves, each by _id (the
// store pushes down only _id equality: a $in would scan the collection);
// a wave whose tallies were never written has version 0.
func tallyVersions(ctx context.Context, db *mongo.Database, waves ...string) ([]int64, error) {
	out := make([]int64, len(waves))
	for i, w := range waves {
		var doc struct {
			V int64 `bson:"v"`
		}
		err := db.Collection(colVersions).FindOne(ctx, bson.D{{Key: "_id", Value: w}}).Decode(&doc)
		if store.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("analysis: unable to read the tally version of %s: %w", w, err)
		}
		out[i] = doc.V
	}
	return out, nil
}

package analysis

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// TallyVersion is the newest batch that wrote any of a wave's tallies (0
// when it has none). Batch numbers only grow, and every change to a wave's
// tallies (an answer, a withdrawal, a recount) writes new versions, so a
// cache of a wave's results is current as long as this number is unchanged.
// Its cost does not depend on the number of answers, but the embedded store
// sorts in memory: it decodes every tally document of the wave, about as
// much reading as Tallies. BatchVersion is the cheap first check.
func TallyVersion(ctx context.Context, db *mongo.Database, wave string) (int64, error) {
	var doc struct {
		Seq int64 `bson:"seq"`
	}
	opts := options.FindOne().SetSort(bson.D{{Key: "seq", Value: -1}}).SetProjection(bson.D{{Key: "seq", Value: 1}})
	err := talliesOf(db, wave).FindOne(ctx, bson.D{}, opts).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("analysis: unable to read the tally version of %s: %w", wave, err)
	}
	return doc.Seq, nil
}

// BatchVersion is the number of the tallier's newest batch and whether that
// batch has finished, read from the tallier's journal by id (one document,
// the cheapest read there is). Every change to any tally happens in a new
// batch, so while both are unchanged no tally of any wave has changed; when
// they change, TallyVersion tells whether a given wave's tallies did.
// Tallies written by internal/analysistest bypass the journal.
func BatchVersion(ctx context.Context, db *mongo.Database) (batch int64, settled bool, err error) {
	var j journal
	err = db.Collection(colJournal).FindOne(ctx, bson.D{{Key: "_id", Value: journalID}}).Decode(&j)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("analysis: unable to read the tally journal: %w", err)
	}
	return j.Batch, !j.Active, nil
}

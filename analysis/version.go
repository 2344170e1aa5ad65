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
// It reads one small field of the wave's tally collection, whose size does
// not depend on the number of answers.
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

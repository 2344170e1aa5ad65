package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// deleteRange bounds the documents DeleteAll deletes in one statement when
// it must split: under SQLite's 32,766 variables per statement.
var deleteRange = 30_000

// DeleteAll deletes every document filter matches, however many. The
// embedded store deletes a DeleteMany's matches in one SQL statement with
// one variable per document, which SQLite refuses past 32,766: the close
// of a wave with more answers than that failed at its reshuffle. Only
// then are the matches' ids read and deleted range by range, so the
// common case stays one statement (and one scan). The ids of a collection
// split this way must be strings, as every id Stemme makes is.
func DeleteAll(ctx context.Context, col *mongo.Collection, filter bson.D) (int64, error) {
	res, err := col.DeleteMany(ctx, filter)
	if err == nil {
		return res.DeletedCount, nil
	}
	if !strings.Contains(err.Error(), "too many SQL variables") {
		return 0, err
	}
	docs, ferr := FindAll[struct {
		ID string `bson:"_id"`
	}](ctx, col, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if ferr != nil {
		return 0, fmt.Errorf("store: unable to split a delete from %s (%w): %w", col.Name(), err, ferr)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	slices.Sort(ids)
	var deleted int64
	for len(ids) > 0 {
		n := min(len(ids), deleteRange)
		within := append(slices.Clone(filter), bson.E{Key: "_id", Value: bson.D{
			{Key: "$gte", Value: ids[0]}, {Key: "$lte", Value: ids[n-1]}}})
		res, err := col.DeleteMany(ctx, within)
		if err != nil {
			return deleted, fmt.Errorf("store: unable to delete from %s: %w", col.Name(), err)
		}
		deleted += res.DeletedCount
		ids = ids[n:]
	}
	return deleted, nil
}

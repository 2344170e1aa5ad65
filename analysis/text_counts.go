package analysis

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// TextKey names one count of free-text answers: a unit, a focus area (""
// for questions outside every area) and a review status.
type TextKey struct {
	Unit, Focus, Status string
}

// TextCounts counts a wave's free-text answers by unit, focus area and
// review status, without reading the text itself. The counts are the
// reviewers' working figures: a view for anyone else must leave out the
// units whose results are hidden, as ReviewedTexts does.
func TextCounts(ctx context.Context, db *mongo.Database, wave string) (map[TextKey]int, error) {
	type row struct {
		Unit   string `bson:"unit"`
		Focus  string `bson:"focus"`
		Status string `bson:"status"`
	}
	proj := options.Find().SetProjection(bson.D{{Key: "unit", Value: 1}, {Key: "focus", Value: 1}, {Key: "status", Value: 1}})
	rows, err := store.FindAll[row](ctx, db.Collection(colTexts), bson.D{{Key: "wave", Value: wave}}, proj)
	if err != nil {
		return nil, fmt.Errorf("analysis: unable to count free text of %s: %w", wave, err)
	}
	out := map[TextKey]int{}
	for _, r := range rows {
		out[TextKey(r)]++
	}
	return out, nil
}

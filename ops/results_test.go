package ops_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// closedWave stores a closed wave, published when published is set, as
// the surveys store keeps it.
func closedWave(t *testing.T, w *world, published string) string {
	t.Helper()
	doc := bson.D{{Key: "_id", Value: "w"}, {Key: "name", Value: "W"}, {Key: "status", Value: surveys.WaveClosed}}
	if published != "" {
		doc = append(doc, bson.E{Key: "published", Value: published})
	}
	_, err := w.db.Collection("waves").InsertOne(context.Background(), doc)
	must(t, err)
	return "w"
}

func resultsOperations() []operation {
	published := func(t *testing.T, w *world, id string) string {
		t.Helper()
		wave, err := w.surveys.Wave(context.Background(), id)
		must(t, err)
		return wave.Published
	}
	return []operation{
		{name: "results publish", action: staff.AuditResultsPublish,
			setup: func(t *testing.T, w *world) string { return closedWave(t, w, "") },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.results.Publish(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, id string) bool { return published(t, w, id) != "" }},
		{name: "results withdraw", action: staff.AuditResultsWithdraw,
			setup: func(t *testing.T, w *world) string { return closedWave(t, w, "2026-03-01") },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.results.Withdraw(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, id string) bool { return published(t, w, id) == "" }},
	}
}

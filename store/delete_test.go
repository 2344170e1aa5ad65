package store_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// TestReshuffleOfAWaveOverTheDeleteLimit reshuffles a wave of 33,000
// answers, more than the embedded store deletes in one statement (SQLite
// takes 32,766 variables; FerretDB uses one per document): a plain
// DeleteMany failed there, so a wave that large never became final. Other
// documents are untouched, and none is lost or doubled.
func TestReshuffleOfAWaveOverTheDeleteLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("33,000 documents")
	}
	ctx := context.Background()
	db := storetest.DB(t)
	col := db.Collection("answers")
	const n = 33_000
	batch := make([]any, 0, 1000)
	for i := range n + 10 {
		wave := "w"
		if i >= n {
			wave = "other"
		}
		batch = append(batch, bson.D{{Key: "_id", Value: fmt.Sprintf("a%05d", i)}, {Key: "wave", Value: wave}})
		if len(batch) == cap(batch) || i == n+9 {
			if _, err := col.InsertMany(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if err := store.Reshuffle(ctx, db, "answers", "w", bson.D{{Key: "wave", Value: "w"}}); err != nil {
		t.Fatalf("reshuffle of %d documents: %v", n, err)
	}
	for wave, want := range map[string]int64{"w": n, "other": 10} {
		if got, err := col.CountDocuments(ctx, bson.D{{Key: "wave", Value: wave}}); err != nil || got != want {
			t.Fatalf("wave %s holds %d documents after the reshuffle (%v), want %d", wave, got, err, want)
		}
	}
	deleted, err := store.DeleteAll(ctx, col, bson.D{{Key: "wave", Value: "w"}})
	if err != nil || deleted != n {
		t.Fatalf("DeleteAll deleted %d of %d (%v)", deleted, n, err)
	}
	if got, _ := col.CountDocuments(ctx, bson.D{}); got != 10 {
		t.Fatalf("%d documents left, want the other wave's 10", got)
	}
}

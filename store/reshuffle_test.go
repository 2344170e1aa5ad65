package store_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// TestReshuffleChangesTheStoredOrder: documents written one by one are
// read back in the order they came; after Reshuffle the same documents are
// read back in another order, other documents untouched. A run interrupted
// at each step resumes without losing or doubling anything.
func TestReshuffleChangesTheStoredOrder(t *testing.T) {
	ctx := context.Background()
	const n = 60
	filter := bson.D{{Key: "wave", Value: "w"}}
	for _, crash := range []string{"none", "after staging", "half-way through putting back", "before clearing"} {
		t.Run(crash, func(t *testing.T) {
			db := storetest.DB(t)
			col := db.Collection("answers")
			for i := range n {
				if _, err := col.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("a%02d", i)}, {Key: "wave", Value: "w"}, {Key: "i", Value: i}}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := col.InsertOne(ctx, bson.D{{Key: "_id", Value: "other"}, {Key: "wave", Value: "x"}, {Key: "i", Value: -1}}); err != nil {
				t.Fatal(err)
			}
			if inv, got := inversions(t, col); inv != 0 || got != n {
				t.Fatalf("before: %d documents, %d inversions", got, inv)
			}
			stage, restore := store.ReshuffleSteps(db, "answers", "w", filter)
			switch crash {
			case "after staging":
				if err := stage(ctx); err != nil {
					t.Fatal(err)
				}
			case "half-way through putting back":
				if err := stage(ctx); err != nil {
					t.Fatal(err)
				}
				// Half the originals gone, none put back yet.
				if _, err := col.DeleteMany(ctx, bson.D{{Key: "wave", Value: "w"}, {Key: "i", Value: bson.D{{Key: "$lt", Value: n / 2}}}}); err != nil {
					t.Fatal(err)
				}
			case "before clearing":
				if err := stage(ctx); err != nil {
					t.Fatal(err)
				}
				if err := restore(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if err := store.Reshuffle(ctx, db, "answers", "w", filter); err != nil {
				t.Fatal(err)
			}
			inv, got := inversions(t, col)
			if got != n {
				t.Fatalf("%d documents after the reshuffle, want %d", got, n)
			}
			// A random order of 60 has about 885 inversions; the arrival order none.
			if inv < 500 {
				t.Errorf("%d inversions: the stored order still follows the arrival", inv)
			}
			if left, _ := db.Collection("answers_reshuffle").CountDocuments(ctx, bson.D{}); left != 0 {
				t.Errorf("%d documents left in staging", left)
			}
			if states, _ := db.Collection("reshuffles").CountDocuments(ctx, bson.D{}); states != 0 {
				t.Errorf("%d reshuffle states left", states)
			}
			if err := col.FindOne(ctx, bson.D{{Key: "_id", Value: "other"}}).Err(); err != nil {
				t.Errorf("a document of another set was touched: %v", err)
			}
		})
	}
}

// inversions counts the pairs of the set stored out of arrival order.
func inversions(t *testing.T, col *mongo.Collection) (inv, n int) {
	t.Helper()
	docs, err := store.FindAll[struct {
		Wave string `bson:"wave"`
		I    int    `bson:"i"`
	}](context.Background(), col, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var xs []int
	for _, d := range docs {
		if d.Wave == "w" {
			xs = append(xs, d.I)
		}
	}
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[i] > xs[j] {
				inv++
			}
		}
	}
	return inv, len(xs)
}

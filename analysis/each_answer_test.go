package analysis

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/surveys"
)

// TestEachAnswerStopsAtTheFirstError reads a wave of several batches from
// its chunks, then (the chunks gone) from its responses: each way gives
// every answer once, and an error of fn's ends the reading there and is
// what EachAnswer returns.
func TestEachAnswerStopsAtTheFirstError(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	stop := w.tallier.Start()
	ids := w.answers(t, rand.New(rand.NewPCG(3, 4)), "w", 2*recountBatch+recountBatch/2)
	flush(t, w.tallier)
	stop()
	halt := errors.New("halt")
	for _, from := range []string{"chunks", "responses"} {
		if from == "responses" {
			if err := clearChunks(ctx, w.db, bson.D{{Key: "wave", Value: "w"}}); err != nil {
				t.Fatal(err)
			}
		}
		complete, err := chunksComplete(ctx, w.db, "w")
		if err != nil || complete != (from == "chunks") {
			t.Fatalf("%s: chunks complete %v (%v)", from, complete, err)
		}
		seen := map[string]bool{}
		if err := EachAnswer(ctx, w.db, "w", func(r *surveys.Response) error {
			if seen[r.ID] {
				t.Errorf("%s: answer %s twice", from, r.ID)
			}
			seen[r.ID] = true
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(seen) != len(ids) {
			t.Fatalf("%s: %d answers, want %d", from, len(seen), len(ids))
		}
		calls := 0
		err = EachAnswer(ctx, w.db, "w", func(*surveys.Response) error {
			if calls++; calls == recountBatch+1 {
				return halt
			}
			return nil
		})
		if err != halt || calls != recountBatch+1 {
			t.Fatalf("%s: error %v after %d calls, want halt after %d", from, err, calls, recountBatch+1)
		}
	}
}

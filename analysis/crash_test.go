package analysis

import (
	"context"
	"math/rand/v2"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestInterruptedBatchesAreFinishedExactlyOnce stops a batch at each step
// where a crash could stop it, then lets a new tallier (an empty cache, as
// after a restart) recover, and checks the tallies against a recount.
func TestInterruptedBatchesAreFinishedExactlyOnce(t *testing.T) {
	ctx := context.Background()
	steps := []struct {
		name string
		// crash runs a file batch of the inbox as far as the crash let it.
		crash func(t *testing.T, tl *Tallier)
	}{
		{"after the journal", func(t *testing.T, tl *Tallier) {
			rs, _ := tl.surveys.Inbox(ctx, batchSize)
			if _, err := tl.begin(ctx, "file", ids(rs), "", "w"); err != nil {
				t.Fatal(err)
			}
		}},
		{"after half the tallies", func(t *testing.T, tl *Tallier) {
			changes, b := prepare(t, tl)
			half := map[string]*Tally{}
			for cell, c := range changes {
				if len(half) < len(changes)/2 {
					half[cell] = c
				}
			}
			if err := tl.apply(ctx, b, half); err != nil {
				t.Fatal(err)
			}
		}},
		{"before the inbox was cleared", func(t *testing.T, tl *Tallier) {
			changes, b := prepare(t, tl)
			if err := tl.apply(ctx, b, changes); err != nil {
				t.Fatal(err)
			}
		}},
		{"with a retried post of an answer counted before", func(t *testing.T, tl *Tallier) {
			// A relative re-posts the final page of an answer an earlier
			// batch filed and counted: it reaches the inbox again.
			filed, err := tl.surveys.FiledResponse(ctx, firstFiled(t, tl))
			if err != nil {
				t.Fatal(err)
			}
			if err := tl.surveys.SaveResponse(ctx, filed); err != nil {
				t.Fatal(err)
			}
			changes, b := prepare(t, tl)
			if err := tl.apply(ctx, b, changes); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			w := newWorld(t)
			rng := rand.New(rand.NewPCG(7, 7))
			// A first batch counted normally, so tallies have versions to replace.
			w.answers(t, rng, "w", 30)
			if _, err := w.tallier.fileBatch(ctx); err != nil {
				t.Fatal(err)
			}
			w.answers(t, rng, "w", 40)
			step.crash(t, w.tallier)

			restarted := NewTallier(w.db, nil)
			if err := restarted.recover(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := restarted.fileBatch(ctx); err != nil {
				t.Fatal(err)
			}
			if n := w.verify(t, "w"); n != 70 {
				t.Fatalf("counted %d respondents, want 70", n)
			}
			if left, _ := w.ss.Inbox(ctx, 10); len(left) != 0 {
				t.Fatalf("%d answers left in the inbox", len(left))
			}
		})
	}
}

func TestInterruptedWithdrawalIsFinished(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	ids := w.answers(t, rand.New(rand.NewPCG(8, 8)), "w", 12)
	if _, err := w.tallier.fileBatch(ctx); err != nil {
		t.Fatal(err)
	}
	// Uncounted, but the response not yet deleted.
	r, err := w.ss.FiledResponse(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.tallier.begin(ctx, "withdraw", []string{r.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]*Tally{}
	addTo(changes, w.in, r, -1)
	if err := w.tallier.apply(ctx, b, changes); err != nil {
		t.Fatal(err)
	}
	if err := NewTallier(w.db, nil).recover(ctx); err != nil {
		t.Fatal(err)
	}
	if n := w.verify(t, "w"); n != 11 {
		t.Fatalf("counted %d respondents, want 11", n)
	}
	if _, err := w.ss.FiledResponse(ctx, ids[0]); err == nil {
		t.Fatal("the withdrawn response is still stored")
	}
}

// firstFiled is the id of a filed response.
func firstFiled(t *testing.T, tl *Tallier) string {
	t.Helper()
	var r struct {
		ID string `bson:"_id"`
	}
	if err := tl.db.Collection("responses").FindOne(context.Background(), bson.D{}).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// prepare journals and files the inbox as one batch and returns its changes.
func prepare(t *testing.T, tl *Tallier) (map[string]*Tally, int64) {
	t.Helper()
	ctx := context.Background()
	rs, err := tl.surveys.Inbox(ctx, batchSize)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tl.begin(ctx, "file", ids(rs), "", "w")
	if err != nil {
		t.Fatal(err)
	}
	count, err := tl.surveys.FileResponses(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]*Tally{}
	for i := range rs {
		if count[i] {
			in, err := tl.surveys.Instrument(ctx, rs[i].Instrument)
			if err != nil {
				t.Fatal(err)
			}
			addTo(changes, in, &rs[i], +1)
		}
	}
	return changes, b
}

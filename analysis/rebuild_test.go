package analysis

import (
	"context"
	"math/rand/v2"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/surveys"
)

// respondents is the number of respondents a wave's tallies count.
func respondents(t *testing.T, w *world, wave string) int64 {
	t.Helper()
	ts, err := Tallies(context.Background(), w.db, wave)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, tl := range ts {
		if tl.Segment == AllSegment {
			n += tl.N
		}
	}
	return n
}

// TestRetallyReadsChunksAndRebuildReadsResponses damages each copy of the
// answers in turn and checks which one each recount reads: a retally
// reads complete chunks (an answer gone from the responses alone is still
// counted, and Verify, which reads the responses, says so), falls back to
// the responses when the chunks are not complete, and a rebuild always
// reads the responses and writes the chunks anew.
func TestRetallyReadsChunksAndRebuildReadsResponses(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	defer w.tallier.Start()()
	ids := w.answers(t, rand.New(rand.NewPCG(7, 8)), "w1", 60)
	flush(t, w.tallier)
	if n := w.verify(t, "w1"); n != 60 {
		t.Fatalf("counted %d respondents, want 60", n)
	}

	// One answer removed from the responses behind the tallier's back.
	if _, err := w.db.Collection("responses").DeleteOne(ctx, bson.D{{Key: "_id", Value: ids[0]}}); err != nil {
		t.Fatal(err)
	}
	if err := w.tallier.Retally(ctx, "w1", nil); err != nil {
		t.Fatal(err)
	}
	if n := respondents(t, w, "w1"); n != 60 {
		t.Fatalf("a retally with complete chunks counted %d, want the chunks' 60", n)
	}
	if diffs, err := Verify(ctx, w.db, "w1", nil); err != nil || len(diffs) == 0 {
		t.Fatalf("verify did not notice that the chunks and the responses differ (%v)", err)
	}
	if err := w.tallier.Rebuild(ctx, "w1", nil); err != nil {
		t.Fatal(err)
	}
	if n := w.verify(t, "w1"); n != 59 {
		t.Fatalf("a rebuild counted %d, want the responses' 59", n)
	}

	// One chunk lost: the chunks are not complete, so the retally reads
	// the responses and writes the chunks anew.
	if _, err := w.db.Collection(colChunks).DeleteOne(ctx, bson.D{{Key: "wave", Value: "w1"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.tallier.Retally(ctx, "w1", nil); err != nil {
		t.Fatal(err)
	}
	if n := w.verify(t, "w1"); n != 59 {
		t.Fatalf("a retally over incomplete chunks counted %d, want 59", n)
	}

	// Answers put among the responses by other means (a restore) are in
	// neither chunks nor tallies: a retally of every wave counts them.
	r, err := w.ss.FiledResponse(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	r.ID, r.Wave = "restored", "w2"
	if _, err := w.db.Collection("responses").InsertOne(ctx, r); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"w1", "w2"} {
		if _, err := w.ss.InsertWave(ctx, &surveys.Wave{ID: id, Kind: surveys.WaveUnit, Name: id, Year: 2026,
			Instrument: w.in.ID, Units: units, Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-01-31",
			Status: surveys.WaveClosed}); err != nil {
			t.Fatal(err)
		}
	}
	// And one more answer gone from the responses alone: the retally of
	// every wave reads w1 from its chunks and w2 from the responses.
	if _, err := w.db.Collection("responses").DeleteOne(ctx, bson.D{{Key: "_id", Value: ids[2]}}); err != nil {
		t.Fatal(err)
	}
	if err := w.tallier.Retally(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	if n1, n2 := respondents(t, w, "w1"), respondents(t, w, "w2"); n1 != 59 || n2 != 1 {
		t.Fatalf("a retally of every wave counted %d in w1 and %d in w2, want 59 from the chunks and the restored 1", n1, n2)
	}
	if err := w.tallier.Rebuild(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	if n1, n2 := w.verify(t, "w1"), w.verify(t, "w2"); n1 != 58 || n2 != 1 {
		t.Fatalf("a rebuild of every wave counted %d in w1 and %d in w2, want 58 and 1", n1, n2)
	}
}

// TestInterruptedRecountsAreFinished stops a rebuild after it cleared the
// chunks, and a recount after it began, and lets the next tallier finish
// each from the journal.
func TestInterruptedRecountsAreFinished(t *testing.T) {
	for _, tc := range []struct {
		op    string
		crash func(t *testing.T, w *world)
	}{
		{opRebuild, func(t *testing.T, w *world) {
			if err := clearChunks(context.Background(), w.db, bson.D{{Key: "wave", Value: "w"}}); err != nil {
				t.Fatal(err)
			}
		}},
		{opRecount, func(t *testing.T, w *world) {}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t)
			w.answers(t, rand.New(rand.NewPCG(9, 9)), "w", 30)
			if _, err := w.tallier.fileBatch(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := w.tallier.begin(ctx, tc.op, nil, "w"); err != nil {
				t.Fatal(err)
			}
			tc.crash(t, w)
			if err := NewTallier(w.db, nil).recover(ctx); err != nil {
				t.Fatal(err)
			}
			if n := w.verify(t, "w"); n != 30 {
				t.Fatalf("counted %d respondents, want 30", n)
			}
		})
	}
}

package analysis

import (
	"context"
	"math/rand/v2"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/surveys"
)

func versionOf(t *testing.T, db *mongo.Database, wave string) int64 {
	t.Helper()
	v, err := tallyVersions(context.Background(), db, wave)
	if err != nil {
		t.Fatal(err)
	}
	return v[0]
}

// journalBatch is the tallier's newest batch, from its journal.
func journalBatch(t *testing.T, db *mongo.Database) int64 {
	t.Helper()
	var j journal
	if err := db.Collection(colJournal).FindOne(context.Background(), bson.D{{Key: "_id", Value: journalID}}).Decode(&j); err != nil {
		t.Fatal(err)
	}
	return j.Batch
}

// TestTallyVersionFollowsEveryWrite: every kind of batch that changes a
// wave's tallies raises that wave's version to the batch, and only that
// wave's.
func TestTallyVersionFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	defer w.tallier.Start()()
	rng := rand.New(rand.NewPCG(5, 6))
	if v := versionOf(t, w.db, "w"); v != 0 {
		t.Fatalf("before any tally: version %d, want 0", v)
	}
	steps := []struct {
		name    string
		do      func(t *testing.T)
		changed []string
	}{
		{"answers to w", func(t *testing.T) { w.answers(t, rng, "w", 8); flush(t, w.tallier) }, []string{"w"}},
		{"answers to x only", func(t *testing.T) { w.answers(t, rng, "x", 6); flush(t, w.tallier) }, []string{"x"}},
		{"a withdrawal from w", func(t *testing.T) {
			if err := w.tallier.Withdraw(ctx, firstFiledOf(t, w.db, "w")); err != nil {
				t.Fatal(err)
			}
		}, []string{"w"}},
		{"a retally of x", func(t *testing.T) {
			if err := w.tallier.Retally(ctx, "x", nil); err != nil {
				t.Fatal(err)
			}
		}, []string{"x"}},
		{"a retally of every wave", func(t *testing.T) {
			for _, id := range []string{"w", "x"} {
				if _, err := w.ss.InsertWave(ctx, &surveys.Wave{ID: id, Kind: surveys.WaveUnit, Name: id, Instrument: w.in.ID,
					Units: units, Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-12-01", Status: surveys.WaveOpen}); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.tallier.Retally(ctx, "", nil); err != nil {
				t.Fatal(err)
			}
		}, []string{"w", "x"}},
	}
	before := map[string]int64{}
	for _, step := range steps {
		step.do(t)
		b := journalBatch(t, w.db)
		for _, wave := range []string{"w", "x"} {
			v := versionOf(t, w.db, wave)
			changed := wave == step.changed[0] || (len(step.changed) > 1 && wave == step.changed[1])
			switch {
			case changed && v != b:
				t.Errorf("after %s: %s at version %d, want the batch %d", step.name, wave, v, b)
			case !changed && v != before[wave]:
				t.Errorf("after %s: %s moved from version %d to %d", step.name, wave, before[wave], v)
			}
			before[wave] = v
		}
	}
	// An older batch never takes the version back.
	if err := raiseVersion(ctx, w.db, "w", 1); err != nil {
		t.Fatal(err)
	}
	if v := versionOf(t, w.db, "w"); v != before["w"] {
		t.Fatalf("raised to batch 1: version %d, want it kept at %d", v, before["w"])
	}
}

// firstFiledOf is the id of a filed response of a wave.
func firstFiledOf(t *testing.T, db *mongo.Database, wave string) string {
	t.Helper()
	var r struct {
		ID string `bson:"_id"`
	}
	if err := db.Collection("responses").FindOne(context.Background(), bson.D{{Key: "wave", Value: wave}}).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestTallyVersionIsRaisedByTheReplay: a batch whose tallies were written
// but whose version was not (a crash in between) raises it when a new
// tallier finishes the batch.
func TestTallyVersionIsRaisedByTheReplay(t *testing.T) {
	ctx := context.Background()
	for _, op := range []string{"file", "withdraw"} {
		t.Run(op, func(t *testing.T) {
			w := newWorld(t)
			ids := w.answers(t, rand.New(rand.NewPCG(9, 9)), "w", 12)
			if _, err := w.tallier.fileBatch(ctx); err != nil {
				t.Fatal(err)
			}
			earlier := versionOf(t, w.db, "w")
			var b int64
			if op == "file" {
				w.answers(t, rand.New(rand.NewPCG(10, 10)), "w", 7)
				var changes map[string]*Tally
				changes, b = prepare(t, w.tallier)
				if err := w.tallier.apply(ctx, b, changes); err != nil {
					t.Fatal(err)
				}
			} else {
				r, err := w.ss.FiledResponse(ctx, ids[0])
				if err != nil {
					t.Fatal(err)
				}
				if b, err = w.tallier.begin(ctx, "withdraw", []string{r.ID}, ""); err != nil {
					t.Fatal(err)
				}
				changes := map[string]*Tally{}
				addTo(changes, w.in, r, -1)
				if err := w.tallier.apply(ctx, b, changes); err != nil {
					t.Fatal(err)
				}
			}
			// The crash came after the tallies, before the version.
			if _, err := w.db.Collection(colVersions).UpdateOne(ctx, bson.D{{Key: "_id", Value: "w"}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "v", Value: earlier}}}}); err != nil {
				t.Fatal(err)
			}
			if err := NewTallier(w.db, nil).recover(ctx); err != nil {
				t.Fatal(err)
			}
			if v := versionOf(t, w.db, "w"); v != b {
				t.Fatalf("after the replay: version %d, want the batch %d (was %d)", v, b, earlier)
			}
		})
	}
}

// TestTestWritersRaiseTheVersion: the writers lent to internal/analysistest
// raise the version like a batch, and refuse a batch not newer than it.
func TestTestWritersRaiseTheVersion(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	rs := []surveys.Response{{ID: "1", Wave: "w", Unit: "u", Answers: surveys.Answers{"a": surveys.ChoiceAnswer("5")}}}
	for _, seq := range []int64{7, 9} {
		if _, err := storeAnswers(ctx, w.db, "w", seq, smallInstrument(), rs, 1); err != nil {
			t.Fatal(err)
		}
		if v := versionOf(t, w.db, "w"); v != seq {
			t.Fatalf("after batch %d: version %d", seq, v)
		}
	}
	if _, err := storeAnswers(ctx, w.db, "w", 9, smallInstrument(), rs, 1); err == nil {
		t.Fatal("tallies written again as batch 9 were taken: a cached result would look current")
	}
	for copies := int64(1); copies <= 2; copies++ {
		if err := copyTallies(ctx, w.db, "w", "big", 10); err != nil {
			t.Fatal(err)
		}
		if v := versionOf(t, w.db, "big"); v != copies {
			t.Fatalf("copy %d: version %d, want %d", copies, v, copies)
		}
	}
}

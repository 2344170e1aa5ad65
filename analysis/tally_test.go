package analysis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
	"github.com/stemme/stemme/surveys/synth"
)

func TestContribution(t *testing.T) {
	in := &surveys.Instrument{ID: "t@1", Pages: []surveys.Page{{Questions: []surveys.Question{
		{Key: "a", Type: surveys.TypeScale, FocusArea: "info"},
		{Key: "b", Type: surveys.TypeScale, FocusArea: "info"},
		{Key: "c", Type: surveys.TypeScale, FocusArea: "care"},
		{Key: "m", Type: surveys.TypeMulti},
		{Key: "n", Type: surveys.TypeNumber},
		{Key: "t", Type: surveys.TypeLongText},
		{Key: "y", Type: surveys.TypeYesNo},
		{Key: "i", Type: surveys.TypeInfo},
	}}}}
	tests := []struct {
		name     string
		answers  surveys.Answers
		counts   [][2]string
		answered []string
		items    map[string]float64
		focus    map[string]float64
	}{
		{"empty", surveys.Answers{}, nil, nil, map[string]float64{}, map[string]float64{}},
		{"focus mean of two items", surveys.Answers{"a": surveys.ChoiceAnswer("4"), "b": surveys.ChoiceAnswer("5")},
			[][2]string{{"a", "4"}, {"b", "5"}}, []string{"a", "b"},
			map[string]float64{"a": 4, "b": 5}, map[string]float64{"info": 4.5}},
		{"vet ikke is answered but not in means", surveys.Answers{"a": surveys.DontKnowAnswer(), "b": surveys.ChoiceAnswer("2"), "c": surveys.DontKnowAnswer()},
			[][2]string{{"a", "dk"}, {"b", "2"}, {"c", "dk"}}, []string{"a", "b", "c"},
			map[string]float64{"b": 2}, map[string]float64{"info": 2}},
		{"multi, number, text, yes/no", surveys.Answers{"m": surveys.ChoicesAnswer("x", "z"), "n": surveys.NumberAnswer(54),
			"t": surveys.TextAnswer("Fint"), "y": surveys.ChoiceAnswer("no"), "i": surveys.TextAnswer("x")},
			[][2]string{{"m", "x"}, {"m", "z"}, {"y", "no"}}, []string{"m", "n", "t", "y"},
			map[string]float64{"n": 54}, map[string]float64{}},
		{"empty strings are no answer", surveys.Answers{"a": surveys.ChoiceAnswer(""), "t": surveys.TextAnswer(""), "m": surveys.ChoicesAnswer()},
			nil, nil, map[string]float64{}, map[string]float64{}},
		{"a number that is not finite is no answer", surveys.Answers{"n": surveys.NumberAnswer(math.Inf(1))},
			nil, nil, map[string]float64{}, map[string]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contributionOf(in, &surveys.Response{Answers: tt.answers})
			if !slices.Equal(c.counts, tt.counts) || !slices.Equal(c.answered, tt.answered) ||
				fmt.Sprint(asMap(c.items)) != fmt.Sprint(tt.items) || fmt.Sprint(asMap(c.focus)) != fmt.Sprint(tt.focus) {
				t.Errorf("got %+v", c)
			}
		})
	}
}

// asMap gives keyed values as a map, each key once.
func asMap(list []keyed) map[string]float64 {
	m := map[string]float64{}
	for _, k := range list {
		if _, dup := m[k.key]; dup {
			panic("key twice: " + k.key)
		}
		m[k.key] = k.x
	}
	return m
}

// world is a database with the built-in instrument and answers waiting in the inbox.
type world struct {
	db      *mongo.Database
	ss      *surveys.Store
	in      *surveys.Instrument
	tallier *Tallier
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db := storetest.DB(t)
	in, err := builtin.Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	in.Status = surveys.InstrumentPublished
	ss := surveys.NewStore(db)
	if err := ss.InsertInstrument(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return &world{db: db, ss: ss, in: in, tallier: NewTallier(db, nil)}
}

var units = []string{"solbakken", "fjordtun", "lia"}

// answers saves n synthetic answers to the inbox and returns their ids.
func (w *world) answers(t *testing.T, rng *rand.Rand, wave string, n int) []string {
	t.Helper()
	bias := synth.ItemBiases(rng, w.in)
	var ids []string
	for range n {
		a := synth.Answers(rng, w.in, rng.NormFloat64(), bias)
		r := &surveys.Response{ID: fmt.Sprintf("%s-%d", wave, rng.Int64()), Wave: wave, Unit: units[rng.IntN(len(units))],
			Instrument: w.in.ID, Lang: "nb", Segments: w.in.SegmentsOf(a), Answers: a}
		if err := w.ss.SaveResponse(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// verify asserts the stored tallies equal a recount, and that the answer
// chunks hold exactly the filed answers, and returns the respondents counted.
func (w *world) verify(t *testing.T, wave string) int64 {
	t.Helper()
	w.checkChunks(t, wave)
	diffs, err := Verify(context.Background(), w.db, wave, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("%d differences from a recount, first: %v", len(diffs), diffs[:min(5, len(diffs))])
	}
	return respondents(t, w, wave)
}

func flush(t *testing.T, tl *Tallier) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := tl.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestTalliesFollowAnswersAndWithdrawals(t *testing.T) {
	w := newWorld(t)
	defer w.tallier.Start()()
	rng := rand.New(rand.NewPCG(1, 2))
	ids := w.answers(t, rng, "w1", 120)
	flush(t, w.tallier)
	if n := w.verify(t, "w1"); n != 120 {
		t.Fatalf("counted %d respondents, want 120", n)
	}
	// A retried post of a counted answer lands in the inbox again and must not count twice.
	r, err := w.ss.Response(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := w.ss.SaveResponse(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	flush(t, w.tallier)
	if n := w.verify(t, "w1"); n != 120 {
		t.Fatalf("after a retried post: %d respondents, want 120", n)
	}
	for _, id := range ids[:10] {
		if err := w.tallier.Withdraw(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if n := w.verify(t, "w1"); n != 110 {
		t.Fatalf("after 10 withdrawals: %d respondents, want 110", n)
	}
	// A second withdrawal of the same answer changes nothing.
	if err := w.tallier.Withdraw(context.Background(), ids[0]); err != nil {
		t.Fatalf("withdrawing twice: %v", err)
	}
	if n := w.verify(t, "w1"); n != 110 {
		t.Fatalf("after withdrawing twice: %d respondents, want 110", n)
	}
	// A retally of a damaged tally restores it.
	if _, err := talliesOf(w.db, "w1").UpdateOne(context.Background(), bson.D{{Key: "cell", Value: CellID("w1", "lia", "", "")}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 7}}}}); err != nil {
		t.Fatal(err)
	}
	if diffs, _ := Verify(context.Background(), w.db, "w1", nil); len(diffs) == 0 {
		t.Fatal("verify did not notice a damaged tally")
	}
	var last int64
	if err := w.tallier.Retally(context.Background(), "w1", func(done, total int64) { last = done }); err != nil {
		t.Fatal(err)
	}
	if n := w.verify(t, "w1"); n != 110 || last != 110 {
		t.Fatalf("after retally: %d respondents, progress ended at %d, want 110", n, last)
	}
}

// TestConcurrentAnswersAreCountedOnce is the test: 16 goroutines
// submitting 100 answers each, then the tallies equal a recount.
func TestConcurrentAnswersAreCountedOnce(t *testing.T) {
	w := newWorld(t)
	defer w.tallier.Start()()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			bias := synth.ItemBiases(rng, w.in)
			for i := range 100 {
				a := synth.Answers(rng, w.in, rng.NormFloat64(), bias)
				r := &surveys.Response{ID: fmt.Sprintf("g%d-%d", g, i), Wave: "w", Unit: units[i%len(units)],
					Instrument: w.in.ID, Lang: "nb", Segments: w.in.SegmentsOf(a), Answers: a}
				if err := w.ss.SaveResponse(context.Background(), r); err != nil {
					t.Error(err)
					return
				}
				w.tallier.Kick()
			}
		}()
	}
	wg.Wait()
	flush(t, w.tallier)
	if n := w.verify(t, "w"); n != 1600 {
		t.Fatalf("counted %d respondents, want 1600", n)
	}
}

// checkChunks asserts the chunks of a wave hold each filed answer once,
// whole, and that EachAnswer reads them from the chunks.
func (w *world) checkChunks(t *testing.T, wave string) {
	t.Helper()
	ctx := context.Background()
	filed := map[string]string{}
	if err := w.ss.EachResponse(ctx, wave, func(r *surveys.Response) error {
		filed[r.ID] = fmt.Sprint(r.Answers)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var inChunks int64
	chunks, err := store.FindAll[chunk](ctx, w.db.Collection(colChunks), bson.D{{Key: "wave", Value: wave}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chunks {
		inChunks += c.N
	}
	if inChunks != int64(len(filed)) {
		t.Fatalf("chunks hold %d answers, %d are filed", inChunks, len(filed))
	}
	seen := map[string]bool{}
	if err := EachAnswer(ctx, w.db, wave, func(r *surveys.Response) error {
		if seen[r.ID] || filed[r.ID] != fmt.Sprint(r.Answers) {
			t.Errorf("answer %s from the chunks: seen before %v, or differs from the filed one", r.ID, seen[r.ID])
		}
		seen[r.ID] = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(filed) {
		t.Fatalf("EachAnswer gave %d answers, %d are filed", len(seen), len(filed))
	}
}

// TestAnswersToAFinalWaveAreNeverCounted: a final wave's results must not
// move. An answer that reaches the inbox anyway (the submit path refuses
// them) is kept apart, not counted and not lost.
func TestAnswersToAFinalWaveAreNeverCounted(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	defer w.tallier.Start()()
	if _, err := w.ss.InsertWave(ctx, &surveys.Wave{ID: "done", Kind: surveys.WaveUnit, Name: "done", Instrument: w.in.ID,
		Units: units, Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-02-01", Status: surveys.WaveClosed, Final: true}); err != nil {
		t.Fatal(err)
	}
	ids := w.answers(t, rand.New(rand.NewPCG(3, 3)), "done", 4)
	w.answers(t, rand.New(rand.NewPCG(4, 4)), "w", 6)
	flush(t, w.tallier)
	if n := w.verify(t, "w"); n != 6 {
		t.Fatalf("the open wave counted %d, want 6", n)
	}
	tallies, err := Tallies(ctx, w.db, "done")
	if err != nil || len(tallies) != 0 {
		t.Fatalf("the final wave has %d tallies (%v), want none", len(tallies), err)
	}
	late, err := w.db.Collection("response_late").CountDocuments(ctx, bson.D{})
	if err != nil || late != int64(len(ids)) {
		t.Fatalf("%d answers set aside (%v), want %d", late, err, len(ids))
	}
	if _, err := w.ss.FiledResponse(ctx, ids[0]); err == nil {
		t.Error("an answer to a final wave was filed among the responses")
	}
}

package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/synth"
)

// damage changes a wave's stored tallies behind the tallier's back, without
// raising its version: only a view that read the tallies again shows it.
func damage(t *testing.T, w *world, wave string) {
	t.Helper()
	if _, err := talliesOf(w.db, wave).UpdateMany(context.Background(), bson.D{{Key: "segment", Value: AllSegment}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 100}}}}); err != nil {
		t.Fatal(err)
	}
}

// participationOf is what a reader sees of an open wave: unit and lower bound.
func participationOf(t *testing.T, svc *Service, rd Reader, wave string) string {
	t.Helper()
	v, err := svc.View(context.Background(), rd, wave)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != StateOpen {
		t.Fatalf("%s is in state %d, want open", wave, v.State)
	}
	return fmt.Sprint(v.Participation.Units)
}

// TestCachedParticipationFollowsNewAnswers: an open wave's participation
// is kept while its tally version stands (stored tallies changed without a
// batch do not show) and computed again after the next batch, which then
// shows the new answers.
func TestCachedParticipationFollowsNewAnswers(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	defer w.tallier.Start()()
	if _, err := w.ss.InsertWave(ctx, &surveys.Wave{ID: "w", Kind: surveys.WaveUnit, Name: "w", Instrument: w.in.ID,
		Units: units, Languages: []string{"nb"}, Opens: "2026-01-01", Closes: "2026-12-01", Status: surveys.WaveOpen}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	w.answers(t, rng, "w", 9)
	flush(t, w.tallier)
	svc, fresh := NewService(w.db), NewService(w.db)
	fresh.SetLimit(0)
	all := Reader{All: true}
	first := participationOf(t, svc, all, "w")
	if want := participationOf(t, fresh, all, "w"); first != want {
		t.Fatalf("cached %s, computed %s", first, want)
	}
	damage(t, w, "w")
	if got := participationOf(t, svc, all, "w"); got != first {
		t.Fatalf("the version stands, yet the view changed from %s to %s: the tallies were read again", first, got)
	}
	// 15 more answers over three units: some unit passes a step of 5.
	w.answers(t, rng, "w", 15)
	flush(t, w.tallier)
	got, want := participationOf(t, svc, all, "w"), participationOf(t, fresh, all, "w")
	if got != want || got == first {
		t.Fatalf("after new answers: cached %s, computed %s, before %s", got, want, first)
	}
}

// finalWave stores a closed, final wave whose tallies count n synthetic
// answers per unit, written as batch seq.
func finalWave(t *testing.T, w *world, id, opens string, seq int64, n map[string]int) {
	t.Helper()
	ctx := context.Background()
	var waveUnits []string
	for _, u := range units {
		if n[u] > 0 {
			waveUnits = append(waveUnits, u)
		}
	}
	if _, err := w.ss.Wave(ctx, id); err != nil {
		if _, err := w.ss.InsertWave(ctx, &surveys.Wave{ID: id, Kind: surveys.WaveOverall, Name: id, Instrument: w.in.ID,
			Units: waveUnits, Languages: []string{"nb"}, Opens: opens, Closes: opens, Status: surveys.WaveClosed, Final: true}); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(uint64(seq), 1))
	bias := synth.ItemBiases(rng, w.in)
	var rs []surveys.Response
	for _, u := range waveUnits {
		for range n[u] {
			a := synth.Answers(rng, w.in, rng.NormFloat64(), bias)
			rs = append(rs, surveys.Response{ID: fmt.Sprint(len(rs)), Wave: id, Unit: u, Answers: a, Segments: w.in.SegmentsOf(a)})
		}
	}
	if _, err := storeAnswers(ctx, w.db, id, seq, w.in, rs, 1); err != nil {
		t.Fatal(err)
	}
}

// seen describes the groups a view holds: unit, respondents or hidden,
// and whether the total is compared with a previous wave.
func seen(t *testing.T, svc *Service, rd Reader, wave string) string {
	t.Helper()
	v, err := svc.View(context.Background(), rd, wave)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != StateFinal {
		t.Fatalf("%s is in state %d, want final", wave, v.State)
	}
	var out []string
	for k, g := range v.Results.Groups {
		if k.Segment != "" {
			continue
		}
		if g.Hidden {
			out = append(out, k.Unit+":hidden")
		} else {
			out = append(out, fmt.Sprintf("%s:%d", k.Unit, g.Respondents))
		}
	}
	slices.Sort(out)
	prev := "none"
	if v.Results.Previous != nil {
		prev = v.Results.Previous.ID
	}
	return fmt.Sprintf("%v, compared with %s", out, prev)
}

// TestCachedResultsFollowTheVersion: a final wave's results are kept while
// the versions of the wave and the one it is compared with stand, and
// computed again when either changes (here: tallies written anew, as a
// retally does).
func TestCachedResultsFollowTheVersion(t *testing.T) {
	w := newWorld(t)
	finalWave(t, w, "before", "2025-01-01", 10, map[string]int{"solbakken": 6, "fjordtun": 6, "lia": 6})
	finalWave(t, w, "now", "2026-01-01", 20, map[string]int{"solbakken": 7, "fjordtun": 8, "lia": 9})
	svc, fresh := NewService(w.db), NewService(w.db)
	fresh.SetLimit(0)
	all := Reader{All: true}
	first := seen(t, svc, all, "now")
	if want := seen(t, fresh, all, "now"); first != want || !strings.HasSuffix(first, "compared with before") {
		t.Fatalf("cached %s, computed %s", first, want)
	}
	damage(t, w, "now")
	if got := seen(t, svc, all, "now"); got != first {
		t.Fatalf("the version stands, yet the view changed from %s to %s", first, got)
	}
	finalWave(t, w, "now", "2026-01-01", 21, map[string]int{"solbakken": 5, "fjordtun": 8, "lia": 9})
	got, want := seen(t, svc, all, "now"), seen(t, fresh, all, "now")
	if got != want || got == first {
		t.Fatalf("after new tallies: cached %s, computed %s, before %s", got, want, first)
	}
}

// TestCachedViewsKeepEachReadersScope: the cache holds one set of
// results for all readers, and each reader still gets only its own view:
// a unit leader who views the wave after another unit's leader sees its
// own unit, not the other's, nor the comparison with a wave only the
// other may read; a small unit stays hidden; the public sees nothing of
// an unpublished wave.
func TestCachedViewsKeepEachReadersScope(t *testing.T) {
	w := newWorld(t)
	// Only solbakken took part in the earlier wave.
	finalWave(t, w, "before", "2025-01-01", 10, map[string]int{"solbakken": 6})
	// lia has 3 answers: hidden.
	finalWave(t, w, "now", "2026-01-01", 20, map[string]int{"solbakken": 7, "fjordtun": 8, "lia": 3})
	svc, fresh := NewService(w.db), NewService(w.db)
	fresh.SetLimit(0)
	want := map[string]string{
		"solbakken": "[:15 solbakken:7], compared with before",
		"fjordtun":  "[:15 fjordtun:8], compared with none",
		"lia":       "[:15 lia:hidden], compared with none",
	}
	for round := range 2 {
		for _, u := range []string{"solbakken", "fjordtun", "lia", "solbakken"} {
			rd := Reader{Units: []string{u}}
			got := seen(t, svc, rd, "now")
			if got != want[u] || got != seen(t, fresh, rd, "now") {
				t.Errorf("round %d, the leader of %s: %s, want %s", round, u, got, want[u])
			}
		}
	}
	if _, err := svc.View(context.Background(), Public, "now"); err != ErrNoResults {
		t.Errorf("the public viewing an unpublished wave after the leaders: %v, want ErrNoResults", err)
	}
	// A council member who also leads fjordtun reads the whole wave while
	// it is published, and only fjordtun's part once it is withdrawn,
	// though the results were cached while published.
	ctx := context.Background()
	both := Reader{Published: true, Units: []string{"fjordtun"}}
	if err := w.ss.PublishResults(ctx, "now", time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if got, want := seen(t, svc, both, "now"), "[:15 fjordtun:8 lia:hidden solbakken:7], compared with none"; got != want {
		t.Errorf("published, to the council: %s, want %s", got, want)
	}
	if err := w.ss.WithdrawResults(ctx, "now"); err != nil {
		t.Fatal(err)
	}
	if got := seen(t, svc, both, "now"); got != want["fjordtun"] {
		t.Errorf("withdrawn, to the council member leading fjordtun: %s, want %s", got, want["fjordtun"])
	}
}

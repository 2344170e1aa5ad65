package actions

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// effectInstrument has one scale item "a" in focus area "f".
func effectInstrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", surveys.DontKnow} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: surveys.Text{"nb": v}})
	}
	return &surveys.Instrument{Key: "eff", Version: 1, Status: surveys.InstrumentPublished,
		Title:      surveys.Text{"nb": "Effekt"},
		Languages:  []surveys.LanguageStatus{{Code: "nb", Status: surveys.StatusDraft}},
		FocusAreas: []surveys.FocusArea{{Key: "f", Name: surveys.Text{"nb": "Informasjon og veiledning"}}},
		Lists:      []surveys.ChoiceList{scale},
		Pages: []surveys.Page{{Key: "p", Title: surveys.Text{"nb": "Side"}, Questions: []surveys.Question{
			{Key: "a", Type: surveys.TypeScale, List: "s", FocusArea: "f", Text: surveys.Text{"nb": "Spørsmål"}},
		}}}}
}

// waveSpec is a wave and its answers per unit (values of item "a").
type waveSpec struct {
	id, opens string
	published bool
	open      bool
	answers   map[string]string // unit → answers, one character each
}

// seedWaves stores the instrument and the waves and counts their answers.
func seedWaves(t *testing.T, specs ...waveSpec) *mongo.Database {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	ss := surveys.NewStore(db)
	in := effectInstrument()
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	// The tallier starts once every answer is in: a closed wave it had
	// already made final would take no more.
	tl := analysis.NewTallier(db, slog.New(slog.DiscardHandler))
	for _, s := range specs {
		w := &surveys.Wave{ID: s.id, Kind: surveys.WaveOverall, Name: s.id, Instrument: in.ID, Languages: []string{"nb"},
			Opens: s.opens, Closes: s.opens, Status: surveys.WaveClosed, Threshold: 5}
		if s.open {
			w.Status, w.Closes = surveys.WaveOpen, "2099-12-31"
		}
		for u := range s.answers {
			w.Units = append(w.Units, u)
		}
		if _, err := ss.InsertWave(ctx, w); err != nil {
			t.Fatal(err)
		}
		for u, vals := range s.answers {
			for i, v := range vals {
				r := &surveys.Response{ID: fmt.Sprintf("%s-%s-%d", s.id, u, i), Wave: s.id, Unit: u, Instrument: in.ID,
					Lang: "nb", Answers: surveys.Answers{"a": surveys.ChoiceAnswer(string(v))}}
				if err := ss.SaveResponse(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
		}
		if s.published {
			if err := ss.PublishResults(ctx, s.id, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(tl.Start())
	if err := tl.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestEffects(t *testing.T) {
	low, high := strings.Repeat("23", 6), strings.Repeat("56", 6) // means 2.5 and 5.5
	tests := []struct {
		name    string
		waves   []waveSpec
		finding Finding
		reader  *analysis.Reader
		want    EffectState
		later   string
		signif  bool
	}{
		{name: "municipality measured again, significant rise",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u1": high, "u2": high}}},
			finding: Finding{Wave: "w1", Item: "a"}, want: Measured, later: "w2", signif: true},
		{name: "unit and focus area measured again, no real change",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u1": "32" + low, "u2": high}}},
			finding: Finding{Wave: "w1", Unit: "u1", Focus: "f"}, want: Measured, later: "w2"},
		{name: "the first later wave counts, not the latest",
			waves: []waveSpec{{id: "w1", opens: "2018-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w3", opens: "2026-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2022-03-01", answers: map[string]string{"u1": high, "u2": high}}},
			finding: Finding{Wave: "w1", Item: "a"}, want: Measured, later: "w2", signif: true},
		{name: "not measured yet",
			waves:   []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low}}},
			finding: Finding{Wave: "w1", Item: "a"}, want: NotYet},
		{name: "a later wave for another unit does not measure this unit",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u2": high}}},
			finding: Finding{Wave: "w1", Unit: "u1", Item: "a"}, want: NotYet},
		{name: "changed units for the municipality",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u1": high, "u3": high}}},
			finding: Finding{Wave: "w1", Item: "a"}, want: ChangedUnits, later: "w2"},
		{name: "too few answers in the later wave",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low, "u3": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u1": high, "u2": "56", "u3": high}}},
			finding: Finding{Wave: "w1", Unit: "u2", Item: "a"}, want: TooFew, later: "w2"},
		{name: "a later total over other shown units is another population",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low, "u3": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u1": high, "u2": high, "u3": "56"}}},
			finding: Finding{Wave: "w1", Item: "a"}, want: ChangedUnits, later: "w2"},
		{name: "a later wave still open measures nothing yet",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", open: true, answers: map[string]string{"u1": high, "u2": high}}},
			finding: Finding{Wave: "w1", Item: "a"}, want: NotYet},
		{name: "an unpublished later wave does not count for the council",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", published: true, answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", answers: map[string]string{"u1": high, "u2": high}}},
			finding: Finding{Wave: "w1", Item: "a"}, reader: &analysis.Public, want: NotYet},
		{name: "a published later wave counts for the council",
			waves: []waveSpec{{id: "w1", opens: "2022-03-01", published: true, answers: map[string]string{"u1": low, "u2": low}},
				{id: "w2", opens: "2026-03-01", published: true, answers: map[string]string{"u1": high, "u2": high}}},
			finding: Finding{Wave: "w1", Item: "a"}, reader: &analysis.Public, want: Measured, later: "w2", signif: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := seedWaves(t, tt.waves...)
			rd := analysis.Reader{All: true}
			if tt.reader != nil {
				rd = *tt.reader
			}
			es, err := Effects(context.Background(), analysis.NewService(db), db, &Action{Findings: []Finding{tt.finding}}, rd)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 1 {
				t.Fatalf("%d effects, want 1", len(es))
			}
			e := es[0]
			if e.State != tt.want {
				t.Fatalf("state %s, want %s", e.State, tt.want)
			}
			if got := ""; e.Later != nil {
				got = e.Later.ID
				if got != tt.later {
					t.Errorf("later wave %s, want %s", got, tt.later)
				}
			} else if tt.later != "" {
				t.Errorf("no later wave, want %s", tt.later)
			}
			if tt.want != Measured {
				if e.Before != nil || e.After != nil || e.Test != nil {
					t.Errorf("values shown for %s: %+v %+v %+v", e.State, e.Before, e.After, e.Test)
				}
				return
			}
			if e.Before == nil || e.After == nil || e.Test == nil {
				t.Fatalf("measured without values or test: %+v", e)
			}
			if e.Test.Significant != tt.signif {
				t.Errorf("significant = %v (p %.4f), want %v", e.Test.Significant, e.Test.P, tt.signif)
			}
			if !(e.Before.Lo <= e.Before.Mean && e.Before.Mean <= e.Before.Hi) {
				t.Errorf("before interval %+v does not hold its mean", e.Before)
			}
			if tt.signif && e.After.Mean <= e.Before.Mean {
				t.Errorf("index %.1f → %.1f, want a rise", e.Before.Mean, e.After.Mean)
			}
		})
	}
}

func TestEffectsLeaveOutUnpublishedOrigins(t *testing.T) {
	db := seedWaves(t, waveSpec{id: "w1", opens: "2022-03-01", answers: map[string]string{"u1": "234523", "u2": "345634"}})
	es, err := Effects(context.Background(), analysis.NewService(db), db,
		&Action{Findings: []Finding{{Wave: "w1", Item: "a"}, {Wave: "gone", Item: "a"}}}, analysis.Public)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 0 {
		t.Fatalf("%d effects of an unpublished wave shown to the council, want none", len(es))
	}
}

func TestNewFinding(t *testing.T) {
	db := seedWaves(t, waveSpec{id: "w1", opens: "2022-03-01",
		answers: map[string]string{"u1": "234562345623", "u2": "12", "u3": "3456345634"}})
	v, err := analysis.NewService(db).View(context.Background(), analysis.Reader{All: true}, "w1")
	if err != nil {
		t.Fatal(err)
	}
	r := v.Results
	tests := []struct {
		name              string
		unit, item, focus string
		err               error
	}{
		{"municipality item", "", "a", "", nil},
		{"unit focus area", "u1", "", "f", nil},
		{"hidden unit", "u2", "a", "", ErrHidden},
		{"unknown question", "u1", "nope", "", ErrMeasure},
		{"unknown unit", "elsewhere", "a", "", ErrMeasure},
		{"both item and focus", "u1", "a", "f", ErrMeasure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFinding(r, tt.unit, tt.item, tt.focus)
			if err != tt.err {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			want := ShownItem(r, tt.unit, tt.item, tt.focus).Index
			if f.Index != want.Mean || f.N != want.N || f.Wave != "w1" {
				t.Errorf("finding %+v, want index %.2f n %d", f, want.Mean, want.N)
			}
		})
	}
}

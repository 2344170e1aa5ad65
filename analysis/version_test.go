package analysis

import (
	"context"
	"testing"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestScaledTalliesKeepTheStatistics(t *testing.T) {
	in := smallInstrument()
	w := &surveys.Wave{ID: "w", Units: []string{"u"}, Threshold: 5}
	var rs []surveys.Response
	for i, v := range []string{"2", "4", "5", "6", "6", "dk"} {
		a := surveys.Answers{"a": surveys.ChoiceAnswer(v)}
		rs = append(rs, surveys.Response{ID: string(rune('a' + i)), Wave: "w", Unit: "u", Answers: a, Segments: in.SegmentsOf(a)})
	}
	base := Compute(Input{Wave: w, Instrument: in, Tallies: countAnswers(in, rs)})
	scaled := countAnswers(in, rs)
	for _, tl := range scaled {
		tl.scale(1000)
	}
	big := Compute(Input{Wave: w, Instrument: in, Tallies: scaled})
	a, b := base.Group("u", "", "").Items["a"], big.Group("u", "", "").Items["a"]
	if b.N != 1000*a.N || !approx(a.Mean.Mean, b.Mean.Mean) || !approx(a.Positive, b.Positive) || !(b.Mean.Hi-b.Mean.Lo < a.Mean.Hi-a.Mean.Lo) {
		t.Fatalf("scaled ×1000: n %d (was %d), mean %v (was %v), interval %v–%v (was %v–%v)",
			b.N, a.N, b.Mean.Mean, a.Mean.Mean, b.Mean.Lo, b.Mean.Hi, a.Mean.Lo, a.Mean.Hi)
	}
}

func TestTextCountsByUnitFocusAndStatus(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	texts := []Text{
		{ID: "1", Wave: "w", Unit: "u1", Focus: "info", Status: TextPending, Text: "a"},
		{ID: "2", Wave: "w", Unit: "u1", Focus: "info", Status: TextPending, Text: "b"},
		{ID: "3", Wave: "w", Unit: "u1", Focus: "info", Status: TextApproved, Text: "c"},
		{ID: "4", Wave: "w", Unit: "u2", Status: TextHidden, Text: "d"},
		{ID: "5", Wave: "other", Unit: "u1", Focus: "info", Status: TextPending, Text: "e"},
	}
	if err := insertTexts(ctx, db, texts); err != nil {
		t.Fatal(err)
	}
	got, err := TextCounts(ctx, db, "w")
	if err != nil {
		t.Fatal(err)
	}
	want := map[TextKey]int{
		{"u1", "info", TextPending}: 2, {"u1", "info", TextApproved}: 1, {"u2", "", TextHidden}: 1,
	}
	if len(got) != len(want) {
		t.Fatalf("counts %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%v: %d, want %d", k, got[k], n)
		}
	}
}

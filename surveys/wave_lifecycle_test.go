package surveys_test

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, surveys.Oslo)

var testUnits = []surveys.Unit{
	{ID: "kommune", Name: "Kommunen", Kind: surveys.KindMunicipality, Active: true},
	{ID: "helse", Name: "Helse", Kind: surveys.KindSector, Parent: "kommune", Active: true},
	{ID: "solbakken", Name: "Solbakken", Kind: surveys.KindNursingHome, Parent: "helse", Active: true},
	{ID: "hjemme", Name: "Hjemmetjenesten", Kind: surveys.KindHomeCare, Parent: "helse", Active: true},
	{ID: "gamle", Name: "Nedlagt", Kind: surveys.KindRespite, Parent: "helse", Active: false},
}

func unitMap() map[string]surveys.Unit {
	m := map[string]surveys.Unit{}
	for _, u := range testUnits {
		m[u.ID] = u
	}
	return m
}

func overallWave() *surveys.Wave {
	return &surveys.Wave{
		ID: "overall_2026", Kind: surveys.WaveOverall, Name: "2026", Year: 2026, Instrument: "small@1",
		Units: []string{"solbakken", "hjemme"}, Languages: []string{"nb", "nn"},
		Opens: "2026-03-01", Closes: "2026-04-15", Threshold: 5,
		Population: map[string]int{"solbakken": 40, "hjemme": 0}, Status: surveys.WaveDraft,
	}
}

func TestWaveValidate(t *testing.T) {
	draft := smallInstrument()
	draft.Status = surveys.InstrumentDraft
	tests := []struct {
		name   string
		change func(w *surveys.Wave)
		in     *surveys.Instrument // nil for smallInstrument()
		none   bool                // no instrument at all
		want   []string            // substrings of the problems; none for a valid wave
	}{
		{"valid overall wave", func(*surveys.Wave) {}, nil, false, nil},
		{"valid unit wave", func(w *surveys.Wave) { w.Kind, w.Units, w.Population = surveys.WaveUnit, []string{"hjemme"}, nil }, nil, false, nil},
		{"threshold zero means the default", func(w *surveys.Wave) { w.Threshold = 0 }, nil, false, nil},
		{"unknown kind", func(w *surveys.Wave) { w.Kind = "yearly" }, nil, false, []string{`kind: must be overall or unit, not "yearly"`}},
		{"overall wave misses an active service unit", func(w *surveys.Wave) { w.Units, w.Population = []string{"solbakken"}, nil }, nil, false,
			[]string{"units: an overall wave must cover every active service unit; hjemme is missing"}},
		{"unit wave without units", func(w *surveys.Wave) { w.Kind, w.Units, w.Population = surveys.WaveUnit, nil, nil }, nil, false,
			[]string{"a unit wave needs at least one unit"}},
		{"unknown, inactive, sector and repeated units", func(w *surveys.Wave) {
			w.Kind, w.Population = surveys.WaveUnit, nil
			w.Units = []string{"nowhere", "gamle", "helse", "hjemme", "hjemme"}
		}, nil, false, []string{"unit nowhere does not exist", "unit gamle is not active", "helse is a sector, not a service unit", "hjemme is listed twice"}},
		{"no instrument", func(*surveys.Wave) {}, nil, true, []string{`instrument: "small@1" does not exist`}},
		{"draft instrument", func(*surveys.Wave) {}, draft, false, []string{"small@1 is not published"}},
		{"no languages", func(w *surveys.Wave) { w.Languages = nil }, nil, false, []string{"at least one language is required"}},
		{"language not offered", func(w *surveys.Wave) { w.Languages = []string{"nb", "ar"} }, nil, false, []string{`not offered in "ar"`}},
		{"incomplete translation", func(w *surveys.Wave) { w.Languages = []string{"nb", "en"} }, nil, false,
			[]string{"small@1 lacks 2 texts in en: pages[0].questions[0] (informed).text"}},
		{"bad dates", func(w *surveys.Wave) { w.Opens, w.Closes = "1. mars", "2026-02-30" }, nil, false,
			[]string{`opens: "1. mars" is not a date`, `closes: "2026-02-30" is not a date`}},
		{"closes before opens", func(w *surveys.Wave) { w.Closes = "2026-02-28" }, nil, false, []string{"closes: 2026-02-28 is before opens 2026-03-01"}},
		{"threshold below the minimum", func(w *surveys.Wave) { w.Threshold = 2 }, nil, false, []string{"threshold: 2 is below the minimum 3"}},
		{"year out of range", func(w *surveys.Wave) { w.Year = 26 }, nil, false, []string{"year: 26 is not between"}},
		{"minimum answered of two (of two questions)", func(w *surveys.Wave) { w.MinAnswered = 2 }, nil, false, nil},
		{"minimum answered above the questions", func(w *surveys.Wave) { w.MinAnswered = 3 }, nil, false,
			[]string{"min_answered: 3 is not between 1 and 2"}},
		{"minimum answered negative", func(w *surveys.Wave) { w.MinAnswered = -1 }, nil, false,
			[]string{"min_answered: -1 is not between 1 and 2"}},
		{"population negative or for another unit", func(w *surveys.Wave) { w.Population = map[string]int{"solbakken": -1, "gamle": 3} }, nil, false,
			[]string{"population: solbakken: -1 is negative", "population: gamle is not one of the wave's units"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := overallWave()
			tt.change(w)
			in := tt.in
			if in == nil && !tt.none {
				in = smallInstrument()
			}
			err := w.Validate(in, unitMap())
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("valid wave refused: %v", err)
				}
				return
			}
			var ps surveys.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v (%T), want Problems", err, err)
			}
			if len(ps) != len(tt.want) {
				t.Errorf("%d problems, want %d: %v", len(ps), len(tt.want), err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("problems %q do not mention %q", err, want)
				}
			}
		})
	}
}

// newStore returns a surveys store on a fresh database with the test units and instrument.
func newStore(t *testing.T) *surveys.Store {
	t.Helper()
	return newStoreOn(t, storetest.DB(t))
}

// newStoreOn is newStore on db.
func newStoreOn(t *testing.T, db *mongo.Database) *surveys.Store {
	t.Helper()
	ctx := context.Background()
	st := surveys.NewStore(db)
	for _, u := range testUnits {
		if err := st.InsertUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	// InsertInstrument refuses an instrument with an incomplete language, so
	// it is written directly: OpenWave must not trust that nothing else
	// (an import, an older version of Stemme) ever stored one.
	if _, err := db.Collection("instruments").InsertOne(ctx, smallInstrument()); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestWaveTransitions(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	if _, err := st.InsertWave(ctx, overallWave()); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		do     func(context.Context, string, time.Time) error
		want   string // "" for success
		status string // stored status afterwards
	}{
		{"a draft cannot close", st.CloseWave, "cannot go from draft to closed: only an open wave can be closed", surveys.WaveDraft},
		{"open", st.OpenWave, "", surveys.WaveOpen},
		{"open twice", st.OpenWave, "cannot go from open to open: it is already open", surveys.WaveOpen},
		{"close", st.CloseWave, "", surveys.WaveClosed},
		{"close twice", st.CloseWave, "cannot go from closed to closed", surveys.WaveClosed},
		{"no reopening", st.OpenWave, "cannot go from closed to open: a closed wave is never reopened", surveys.WaveClosed},
	}
	for _, s := range steps {
		err := s.do(ctx, "overall_2026", t0)
		switch {
		case s.want == "" && err != nil:
			t.Errorf("%s: %v", s.name, err)
		case s.want != "":
			var te *surveys.TransitionError
			if !errors.Is(err, surveys.ErrBadTransition) || !errors.As(err, &te) || !strings.Contains(err.Error(), s.want) {
				t.Errorf("%s: got %v, want a TransitionError saying %q", s.name, err, s.want)
			}
		}
		if w, err := st.Wave(ctx, "overall_2026"); err != nil || w.Status != s.status {
			t.Errorf("%s: stored status %q (%v), want %q", s.name, w.Status, err, s.status)
		}
	}
	if err := st.OpenWave(ctx, "nowhere", t0); err == nil {
		t.Error("opened a wave that does not exist")
	}
}

func TestOpenWaveValidatesFirst(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		change func(w *surveys.Wave)
		want   string
	}{
		{"missing translation", func(w *surveys.Wave) { w.Languages = []string{"nb", "en"} }, "lacks 2 texts in en"},
		{"closing date passed", func(w *surveys.Wave) { w.Opens, w.Closes = "2026-01-01", "2026-03-01" }, "closes: 2026-03-01 has passed"},
		{"unknown instrument", func(w *surveys.Wave) { w.Instrument = "gone@1" }, `"gone@1" does not exist`},
		{"inactive unit", func(w *surveys.Wave) { w.Kind, w.Units, w.Population = surveys.WaveUnit, []string{"gamle"}, nil }, "gamle is not active"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(t)
			w := overallWave()
			tt.change(w)
			if _, err := st.InsertWave(ctx, w); err != nil {
				t.Fatal(err)
			}
			err := st.OpenWave(ctx, w.ID, t0)
			var ps surveys.Problems
			if !errors.As(err, &ps) || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "surveys: wave overall_2026 cannot open: ") {
				t.Fatalf("got %v, want problems mentioning %q", err, tt.want)
			}
			if got, _ := st.Wave(ctx, w.ID); got.Status != surveys.WaveDraft {
				t.Errorf("status %q after a refused opening, want draft", got.Status)
			}
		})
	}
}

// TestCloseWaveIsSerialized: of many concurrent closings exactly one succeeds.
func TestCloseWaveIsSerialized(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	w := overallWave()
	w.Status = surveys.WaveOpen
	if _, err := st.InsertWave(ctx, w); err != nil {
		t.Fatal(err)
	}
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			switch err := st.CloseWave(ctx, w.ID, t0); {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, surveys.ErrBadTransition):
				refused.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != 15 {
		t.Fatalf("%d closings succeeded and %d were refused; want 1 and 15", ok.Load(), refused.Load())
	}
}

func TestPublishedInstrumentsAreImmutable(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	st := surveys.NewStore(db)
	in := completeInstrument()
	in.Status = surveys.InstrumentDraft
	if err := st.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishInstrument(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Instrument(ctx, in.ID); got.Status != surveys.InstrumentPublished {
		t.Fatalf("status %q after publishing", got.Status)
	}
	// Every way the package offers to write an instrument is tried on the published one.
	if err := st.PublishInstrument(ctx, in.ID); !errors.Is(err, surveys.ErrBadTransition) || !strings.Contains(err.Error(), "make a new version") {
		t.Errorf("publishing twice: %v", err)
	}
	changed := completeInstrument()
	changed.Title["nb"] = "Endret"
	changed.Status = surveys.InstrumentDraft
	if err := st.InsertInstrument(ctx, changed); err == nil {
		t.Error("InsertInstrument overwrote a published version")
	}
	got, err := st.Instrument(ctx, in.ID)
	if err != nil || got.Title["nb"] != "Liten" || got.Status != surveys.InstrumentPublished {
		t.Errorf("published instrument changed: %+v %v", got, err)
	}

	// An invalid draft written past InsertInstrument cannot be published.
	broken := completeInstrument()
	broken.ID, broken.Version, broken.Status = "small@2", 2, surveys.InstrumentDraft
	broken.Pages[0].Questions[0].List = "nope"
	if _, err := db.Collection("instruments").InsertOne(ctx, broken); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishInstrument(ctx, "small@2"); err == nil || !strings.Contains(err.Error(), `choice list "nope" does not exist`) {
		t.Errorf("published an invalid instrument: %v", err)
	}
	var raw bson.M
	if err := db.Collection("instruments").FindOne(ctx, bson.D{{Key: "_id", Value: "small@2"}}).Decode(&raw); err != nil || raw["status"] != surveys.InstrumentDraft {
		t.Errorf("invalid draft's status %v (%v)", raw["status"], err)
	}
}

// TestNothingModifiesPublishedInstruments reads the package's source: every
// use of the instruments collection must be a read, the insert of a new
// version, or PublishInstrumentWith's draft-only update. A new write path fails
// here until it is shown not to touch published versions.
func TestNothingModifiesPublishedInstruments(t *testing.T) {
	allowed := map[string]map[string]bool{
		"FindOne": nil, "Find": nil, "CountDocuments": nil, "Distinct": nil, // reads, anywhere
		"InsertOne": {"InsertInstrument": true},
		"UpdateOne": {"PublishInstrumentWith": true},
		// Its filter matches status draft only; see editing.go.
		"ReplaceOne": {"saveDraftInstrument": true},
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	uses := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			methodOf := map[ast.Node]string{} // Collection(colInstruments) call → method called on it
			ast.Inspect(fn, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
						methodOf[sel.X] = sel.Sel.Name
					}
				}
				return true
			})
			ast.Inspect(fn, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || !isInstrumentsCollection(call) {
					return true
				}
				uses++
				method, where := methodOf[call], fset.Position(call.Pos())
				funcs, known := allowed[method]
				switch {
				case method == "":
					t.Errorf("%s: the instruments collection is kept in a variable; call its methods directly so this test can check them", where)
				case !known:
					t.Errorf("%s: %s calls %s on the instruments collection; published instruments must never change", where, fn.Name.Name, method)
				case funcs != nil && !funcs[fn.Name.Name]:
					t.Errorf("%s: %s calls %s on the instruments collection; only %s may", where, fn.Name.Name, method, strings.Join(slices.Sorted(maps.Keys(funcs)), ", "))
				}
				return true
			})
		}
	}
	if uses < 3 {
		t.Fatalf("found only %d uses of the instruments collection; the test no longer sees them", uses)
	}
}

// isInstrumentsCollection matches X.Collection(colInstruments) and X.Collection("instruments").
func isInstrumentsCollection(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Collection" || len(call.Args) != 1 {
		return false
	}
	switch a := call.Args[0].(type) {
	case *ast.Ident:
		return a.Name == "colInstruments"
	case *ast.BasicLit:
		return a.Value == `"instruments"`
	}
	return false
}

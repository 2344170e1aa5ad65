package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// editingStore holds the built-in instrument, published, as parorende@1.
func editingStore(t *testing.T) *surveys.Store {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	if err := store.EnsureIndexes(ctx, db, surveys.Indexes()...); err != nil {
		t.Fatal(err)
	}
	st := surveys.NewStore(db)
	in, err := builtin.Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	in.Status = surveys.InstrumentPublished
	if err := st.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	return st
}

func problemIDs(err error) []string {
	var ps surveys.Problems
	if !errors.As(err, &ps) {
		return nil
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestEditDraft(t *testing.T) {
	ctx := context.Background()
	st := editingStore(t)

	draft, err := st.NewDraftFrom(ctx, "parorende@1")
	if err != nil {
		t.Fatal(err)
	}
	if draft.ID != "parorende@2" || draft.Status != surveys.InstrumentDraft || draft.Rev != 1 {
		t.Fatalf("new draft %s, %s, rev %d; want parorende@2, draft, rev 1", draft.ID, draft.Status, draft.Rev)
	}
	var exists *surveys.DraftExistsError
	if _, err := st.NewDraftFrom(ctx, "parorende@1"); !errors.As(err, &exists) || exists.Draft.ID != "parorende@2" {
		t.Fatalf("second draft: %v, want DraftExistsError naming parorende@2", err)
	}

	// A reviewed language goes back to draft when its text changes.
	if _, err := st.EditDraft(ctx, draft.ID, 1, func(in *surveys.Instrument) error {
		return in.SetLanguageStatus("nn", surveys.StatusReviewed)
	}); err != nil {
		t.Fatal(err)
	}
	edited, err := st.EditDraft(ctx, draft.ID, 2, func(in *surveys.Instrument) error {
		q, _ := in.Question("info_contact")
		q.Text = surveys.MergeText(q.Text, surveys.Text{"nn": "Veit du kven du kan kontakte?"})
		return in.ReplaceQuestion("info_contact", q)
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := st.Instrument(ctx, draft.ID)
	q, _ := stored.Question("info_contact")
	if edited.Rev != 3 || stored.Rev != 3 || q.Text["nn"] != "Veit du kven du kan kontakte?" || q.Text["nb"] == "" {
		t.Fatalf("after the edit: rev %d/%d, text %v", edited.Rev, stored.Rev, q.Text)
	}
	if stored.Languages[1].Code != "nn" || stored.Languages[1].Status != surveys.StatusDraft {
		t.Errorf("nn after a changed text: %+v, want draft", stored.Languages[1])
	}

	for _, tt := range []struct {
		name    string
		rev     int
		edit    func(*surveys.Instrument) error
		wantErr func(error) bool
		ids     []string
	}{
		{"stale revision", 2, func(*surveys.Instrument) error { return nil },
			func(err error) bool {
				var c *surveys.ConflictError
				return errors.As(err, &c) && c.Rev == 3 && c.Have == 2 && c.Current.Rev == 3
			}, nil},
		{"condition on a later question", 3, func(in *surveys.Instrument) error {
			q, _ := in.Question("info_contact")
			q.ShowIf = "${important} != ''"
			return in.ReplaceQuestion("info_contact", q)
		}, nil, []string{"show_if_ref"}},
		{"condition that does not parse", 3, func(in *surveys.Instrument) error {
			q, _ := in.Question("info_contact")
			q.ShowIf = "${relation} = "
			return in.ReplaceQuestion("info_contact", q)
		}, nil, []string{"show_if_syntax"}},
		{"deleting a question a condition needs", 3, func(in *surveys.Instrument) error {
			return in.DeleteQuestion("children_present")
		}, nil, []string{"show_if_ref", "show_if_ref", "show_if_ref"}},
		{"source text removed", 3, func(in *surveys.Instrument) error {
			in.SetTitle(surveys.Text{"nb": ""}, nil)
			return nil
		}, nil, []string{"text_missing"}},
		{"bad key and type", 3, func(in *surveys.Instrument) error {
			return in.AddQuestion(0, surveys.Question{Key: "Bad-Key", Type: "slider", Text: surveys.Text{"nb": "x"}})
		}, nil, []string{"question_key_invalid", "question_type"}},
		{"the edit's own refusal", 3, func(in *surveys.Instrument) error { return in.DeletePage(0) },
			nil, []string{"page_not_empty"}},
		{"no such question", 3, func(in *surveys.Instrument) error { return in.DeleteQuestion("nowhere") },
			func(err error) bool { return errors.Is(err, surveys.ErrNoSuchPart) }, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.EditDraft(ctx, draft.ID, tt.rev, tt.edit)
			if tt.wantErr != nil && !tt.wantErr(err) {
				t.Fatalf("error %v", err)
			}
			if tt.ids != nil && !slices.Equal(problemIDs(err), tt.ids) {
				t.Fatalf("problems %v (%v), want %v", problemIDs(err), err, tt.ids)
			}
			if now, _ := st.Instrument(ctx, draft.ID); now.Rev != 3 {
				t.Fatalf("a refused edit saved revision %d", now.Rev)
			}
		})
	}

	// An empty page may be saved in a draft, but not published.
	if _, err := st.EditDraft(ctx, draft.ID, 3, func(in *surveys.Instrument) error {
		in.AddPage(surveys.Text{"nb": "Tom side"})
		return nil
	}); err != nil {
		t.Fatalf("adding an empty page: %v", err)
	}
	if err := st.PublishDraft(ctx, draft.ID, 3); !errors.As(err, new(*surveys.ConflictError)) {
		t.Fatalf("publishing an old revision: %v, want a conflict", err)
	}
	if err := st.PublishDraft(ctx, draft.ID, 4); !slices.Contains(problemIDs(err), surveys.ProblemPageEmpty) {
		t.Fatalf("publishing with an empty page: %v", err)
	}
	if _, err := st.EditDraft(ctx, draft.ID, 4, func(in *surveys.Instrument) error { return in.DeletePage(len(in.Pages) - 1) }); err != nil {
		t.Fatal(err)
	}
	if err := st.PublishDraft(ctx, draft.ID, 5); err != nil {
		t.Fatalf("publishing: %v", err)
	}

	// Published versions refuse every edit.
	for _, id := range []string{"parorende@1", "parorende@2"} {
		in, _ := st.Instrument(ctx, id)
		if _, err := st.EditDraft(ctx, id, in.Rev, func(in *surveys.Instrument) error { return nil }); !errors.Is(err, surveys.ErrPublished) {
			t.Errorf("editing %s: %v, want ErrPublished", id, err)
		}
		if err := st.PublishDraft(ctx, id, in.Rev); !errors.Is(err, surveys.ErrPublished) {
			t.Errorf("publishing %s again: %v", id, err)
		}
	}
	next, err := st.NewDraftFrom(ctx, "parorende@2")
	if err != nil || next.ID != "parorende@3" {
		t.Fatalf("draft after publishing: %v, %v", next, err)
	}
}

// TestConcurrentEditsOfOneDraft has several advisors save at once on the
// same revision: exactly one wins, every other is told of the conflict,
// and no edit is lost silently.
func TestConcurrentEditsOfOneDraft(t *testing.T) {
	ctx := context.Background()
	st := editingStore(t)
	draft, err := st.NewDraftFrom(ctx, "parorende@1")
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = st.EditDraft(ctx, draft.ID, 1, func(in *surveys.Instrument) error {
				in.SetTitle(surveys.Text{"en": fmt.Sprintf("Title %d", i)}, nil)
				return nil
			})
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		var c *surveys.ConflictError
		switch {
		case err == nil && won >= 0:
			t.Fatalf("edits %d and %d both saved on revision 1", won, i)
		case err == nil:
			won = i
		case !errors.As(err, &c):
			t.Fatalf("edit %d: %v, want a conflict", i, err)
		}
	}
	stored, _ := st.Instrument(ctx, draft.ID)
	if won < 0 || stored.Rev != 2 || stored.Title["en"] != fmt.Sprintf("Title %d", won) {
		t.Fatalf("winner %d, stored rev %d title %q", won, stored.Rev, stored.Title["en"])
	}
}

func TestEditOperations(t *testing.T) {
	base, err := builtin.Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	order := func(in *surveys.Instrument, pages ...int) string {
		var out []string
		for _, p := range pages {
			var keys []string
			for _, q := range in.Pages[p].Questions {
				keys = append(keys, q.Key)
			}
			out = append(out, strings.Join(keys, ","))
		}
		return strings.Join(out, " | ")
	}
	for _, tt := range []struct {
		name  string
		edit  func(*surveys.Instrument) error
		pages []int
		want  string
	}{
		{"question down within its page", func(in *surveys.Instrument) error { return in.MoveQuestion("relation", 1) },
			[]int{0}, "age_group,relation,duration,service_type"},
		{"question up from the top of a page", func(in *surveys.Instrument) error { return in.MoveQuestion("info_contact", -1) },
			[]int{0, 1}, "relation,age_group,duration,service_type,info_contact | info_reach,info_needed,info_understand,info_guidance"},
		{"question down from the bottom of a page", func(in *surveys.Instrument) error { return in.MoveQuestion("service_type", 1) },
			[]int{0, 1}, "relation,age_group,duration | service_type,info_contact,info_reach,info_needed,info_understand,info_guidance"},
		{"the first question stays first", func(in *surveys.Instrument) error { return in.MoveQuestion("relation", -1) },
			[]int{0}, "relation,age_group,duration,service_type"},
		{"the last question stays last", func(in *surveys.Instrument) error { return in.MoveQuestion("important", 1) },
			[]int{9}, "contact_wish,important"},
		{"page up", func(in *surveys.Instrument) error { return in.MovePage(1, -1) },
			[]int{0}, "info_contact,info_reach,info_needed,info_understand,info_guidance"},
		{"delete a question", func(in *surveys.Instrument) error { return in.DeleteQuestion("age_group") },
			[]int{0}, "relation,duration,service_type"},
		{"add a question", func(in *surveys.Instrument) error {
			return in.AddQuestion(9, surveys.Question{Key: "extra", Type: surveys.TypeText, Text: surveys.Text{"nb": "Ekstra"}})
		}, []int{9}, "contact_wish,important,extra"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := base.Clone()
			if err := tt.edit(in); err != nil {
				t.Fatal(err)
			}
			if got := order(in, tt.pages...); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			if got := order(base, 0); got != "relation,age_group,duration,service_type" {
				t.Fatalf("the edit changed the original: %s", got)
			}
		})
	}

	in := base.Clone()
	if err := in.AddLanguage("nn", "", ""); !slices.Equal(problemIDs(err), []string{"language_offered"}) {
		t.Errorf("adding nn twice: %v", err)
	}
	if err := in.AddLanguage("xx", "", ""); !slices.Equal(problemIDs(err), []string{"language_unknown"}) {
		t.Errorf("adding xx: %v", err)
	}
	if err := in.SetLanguageStatus("nn", "approved"); !slices.Equal(problemIDs(err), []string{"language_status"}) {
		t.Errorf("status approved: %v", err)
	}
	if got := surveys.MergeText(surveys.Text{"nb": "a", "nn": "b"}, surveys.Text{"nn": "", "en": "c"}); fmt.Sprint(got) != "map[en:c nb:a]" {
		t.Errorf("MergeText: %v", got)
	}
	if i := in.AddPage(nil); in.Pages[i].Key != "p11" {
		t.Errorf("new page key %q", in.Pages[i].Key)
	}
}

// TestProblemsCarryIDs checks that the problems of an instrument and of a
// wave can be translated: each has an ID and the arguments its message needs,
// and the English text is as before.
func TestProblemsCarryIDs(t *testing.T) {
	in, _ := builtin.Instrument("parorende")
	in.Pages[1].Questions[0].Key = "Info"
	in.Pages[2].Questions[0].ShowIf = "${nowhere} = 'x'"
	delete(in.Pages[3].Questions[0].Text, "pl")
	var ps surveys.Problems
	if !errors.As(in.Validate(), &ps) {
		t.Fatal("no problems")
	}
	w := &surveys.Wave{Kind: "weekly", Year: 1999, Opens: "2026-02-30", Closes: "2026-01-01", Threshold: 2,
		Languages: []string{"nb"}, Units: []string{"gone"}}
	var wps surveys.Problems
	if !errors.As(w.Validate(nil, nil), &wps) {
		t.Fatal("no wave problems")
	}
	for _, p := range append(ps, wps...) {
		if p.ID == "" || p.What == "" {
			t.Errorf("%s: %q has no ID", p.Where, p.What)
		}
	}
	want := map[string]string{
		"question_key_invalid": `key "Info" is not valid (a-z, 0-9, _; starts with a letter; at most 64)`,
		"show_if_ref":          `show_if refers to "nowhere", which is not an earlier question`,
		"text_missing":         "missing text in pl",
		"wave_kind":            `must be overall or unit, not "weekly"`,
		"wave_threshold":       "2 is below the minimum 3",
	}
	for _, p := range append(ps, wps...) {
		if w, ok := want[p.ID]; ok {
			if p.What != w {
				t.Errorf("%s: What %q, want %q", p.ID, p.What, w)
			}
			delete(want, p.ID)
		}
	}
	if len(want) > 0 {
		t.Errorf("problems not found: %v", want)
	}
	if p := ps[0]; p.ID != "question_key_invalid" || p.Args["Key"] != "Info" {
		t.Errorf("first problem %+v", p)
	}
}

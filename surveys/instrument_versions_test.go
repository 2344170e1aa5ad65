package surveys_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

func TestInstrumentVersions(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	if err := store.EnsureIndexes(ctx, db, surveys.Indexes()...); err != nil {
		t.Fatal(err)
	}
	st := surveys.NewStore(db)
	if ins, err := st.Instruments(ctx); err != nil || len(ins) != 0 {
		t.Fatalf("empty store: %d instruments, %v", len(ins), err)
	}
	if _, err := st.LatestInstrument(ctx, "parorende"); !store.IsNotFound(err) {
		t.Fatalf("latest of nothing: %v, want not found", err)
	}
	ins, err := builtin.Instruments()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if err := st.InsertInstrument(ctx, in); err != nil {
			t.Fatal(err)
		}
	}

	// The file's version and status do not matter: a draft follows the highest stored version.
	draft, _ := builtin.Instrument("parorende")
	draft.Version, draft.Status = 7, surveys.InstrumentPublished
	if err := st.InsertDraft(ctx, draft); err != nil {
		t.Fatal(err)
	}
	if draft.ID != "parorende@2" || draft.Version != 2 || draft.Status != surveys.InstrumentDraft {
		t.Errorf("draft stored as %s, version %d, status %s; want parorende@2, draft", draft.ID, draft.Version, draft.Status)
	}
	latest, err := st.LatestInstrument(ctx, "parorende")
	if err != nil || latest.ID != "parorende@2" || latest.Status != surveys.InstrumentDraft {
		t.Fatalf("latest: %+v, %v", latest, err)
	}

	// A new key starts at 1; an invalid instrument is not stored.
	other, _ := builtin.Instrument("parorende_ung")
	other.Key = "ung_2027"
	if err := st.InsertDraft(ctx, other); err != nil || other.ID != "ung_2027@1" {
		t.Fatalf("new key: %s, %v", other.ID, err)
	}
	bad, _ := builtin.Instrument("parorende")
	bad.Title = nil
	if err := st.InsertDraft(ctx, bad); err == nil {
		t.Error("an instrument without a title was stored")
	}

	// Imports at the same moment each get a version of their own.
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, _ := builtin.Instrument("parorende")
			errs[i] = st.InsertDraft(ctx, in)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("concurrent draft: %v", err)
		}
	}

	all, err := st.Instruments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range all {
		got = append(got, fmt.Sprintf("%s:%s", in.ID, in.Status))
	}
	want := "[parorende@1:published parorende@2:draft parorende@3:draft parorende@4:draft parorende@5:draft " +
		"parorende_ung@1:published ung_2027@1:draft]"
	if fmt.Sprint(got) != want {
		t.Errorf("instruments\n got %v\nwant %s", got, want)
	}
}

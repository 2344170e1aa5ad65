package builtin

import (
	"context"
	"slices"
	"testing"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestInstallOnceAndKeepWhatIsThere(t *testing.T) {
	ctx := context.Background()
	st := surveys.NewStore(storetest.DB(t))
	got, err := Install(ctx, st)
	if err != nil || !slices.Equal(got, []string{"parorende", "parorende_ung"}) {
		t.Fatalf("first install: %v, %v", got, err)
	}
	// A later start installs nothing again.
	if got, err := Install(ctx, st); err != nil || len(got) != 0 {
		t.Fatalf("second install: %v, %v", got, err)
	}
	ins, err := st.Instruments(ctx)
	if err != nil || len(ins) != 2 {
		t.Fatalf("%d instruments after two installs, want 2 (%v)", len(ins), err)
	}
	for _, in := range ins {
		if in.Status != surveys.InstrumentPublished || in.Version != 1 {
			t.Errorf("%s: status %s version %d", in.ID, in.Status, in.Version)
		}
	}
}

package surveys_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/surveys"
)

func TestTombstonesRememberWithdrawalsUntilTheWaveCloses(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	w := overallWave()
	if _, err := st.InsertWave(ctx, w); err != nil {
		t.Fatal(err)
	}
	id := surveys.TombstoneID(journeySecret, "abcd-efgh-jkmn")
	if id != surveys.TombstoneID(journeySecret, "ABCDEFGHJKMN") {
		t.Fatal("a receipt typed differently gives another tombstone")
	}
	if id == surveys.TombstoneID([]byte("another secret, also 32 bytes long!!"), "ABCDEFGHJKMN") {
		t.Fatal("the tombstone id does not depend on the secret")
	}
	if buried, err := st.Buried(ctx, id); err != nil || buried {
		t.Fatalf("buried before the withdrawal: %v %v", buried, err)
	}
	for range 2 {
		if err := st.Bury(ctx, id, w.ID); err != nil {
			t.Fatal(err)
		}
	}
	if buried, err := st.Buried(ctx, id); err != nil || !buried {
		t.Fatalf("not buried after the withdrawal: %v %v", buried, err)
	}
	if err := st.PurgeTombstones(ctx, w.Closes); err != nil {
		t.Fatal(err)
	}
	if buried, _ := st.Buried(ctx, id); !buried {
		t.Fatal("purged on the wave's last day")
	}
	if err := st.PurgeTombstones(ctx, "2026-04-16"); err != nil {
		t.Fatal(err)
	}
	if buried, _ := st.Buried(ctx, id); buried {
		t.Fatal("kept after the wave closed")
	}
}

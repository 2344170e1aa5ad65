package analysis

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// TestInboxAnswerRetractedBeforeFilingIsNeverCounted: a submission refused
// after its insert (the wave closed between the insert and the check after
// it) is retracted through the tallier like a withdrawal. Still in the
// inbox, it is taken out of it and never filed or counted, not counted and
// then uncounted.
func TestInboxAnswerRetractedBeforeFilingIsNeverCounted(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	ids := w.answers(t, rand.New(rand.NewPCG(3, 4)), "w", 3)
	if err := w.tallier.withdraw(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.tallier.withdraw(ctx, ids[0]); !errors.Is(err, surveys.ErrNoSuchReceipt) {
		t.Fatalf("retracting twice: %v, want ErrNoSuchReceipt", err)
	}
	if n, err := w.tallier.fileBatch(ctx); err != nil || n != 2 {
		t.Fatalf("filed %d (%v), want the 2 others", n, err)
	}
	if n := w.verify(t, "w"); n != 2 {
		t.Fatalf("counted %d respondents, want 2", n)
	}
	if w.tallier.batch != 1 {
		t.Errorf("%d tally batches, want 1: the retracted answer was filed and uncounted", w.tallier.batch)
	}
	if _, err := w.ss.Response(ctx, ids[0]); !store.IsNotFound(err) {
		t.Errorf("the retracted answer is still stored: %v", err)
	}
	// A filed answer is still withdrawn the usual way.
	if err := w.tallier.withdraw(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	if n := w.verify(t, "w"); n != 1 {
		t.Fatalf("after withdrawing a filed answer: %d respondents, want 1", n)
	}
}

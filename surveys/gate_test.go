package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// soleWriterStore is newStore on a database declared written by this
// process alone, so that answers are checked through the gate.
func soleWriterStore(t *testing.T) (*surveys.Store, *surveys.Wave) {
	t.Helper()
	db := storetest.DB(t)
	surveys.DeclareSoleWriter(db)
	st := newStoreOn(t, db)
	w := overallWave()
	w.Status = surveys.WaveOpen
	if _, err := st.InsertWave(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return st, w
}

func gateAnswer(w *surveys.Wave, id string) *surveys.Response {
	return &surveys.Response{ID: id, Wave: w.ID, Unit: "solbakken", Instrument: "small@1", Lang: "nb",
		Answers: surveys.Answers{"informed": surveys.ChoiceAnswer("4")}}
}

// TestTheGateRefusesBeforeTheInsert: through the gate, an answer to a wave
// that is not open or whose receipt was withdrawn is refused without ever
// being stored, and a close waits for an insert in progress, which then
// stays, as an answer stored a moment before closing does.
func TestTheGateRefusesBeforeTheInsert(t *testing.T) {
	ctx := context.Background()
	for _, grouped := range []bool{false, true} {
		t.Run(fmt.Sprintf("group commit %v", grouped), func(t *testing.T) {
			st, w := soleWriterStore(t)
			if grouped {
				defer st.StartGroupCommit()()
			}
			stored := func(id string) bool {
				_, err := st.Response(ctx, id)
				return err == nil
			}
			if err := st.AcceptResponse(ctx, gateAnswer(w, "a"), "tomb-a"); err != nil || !stored("a") {
				t.Fatalf("an answer to an open wave: %v", err)
			}
			if err := st.AcceptResponse(ctx, gateAnswer(w, "a"), "tomb-a"); !errors.Is(err, surveys.ErrAlreadySaved) {
				t.Fatalf("the same answer again: %v, want ErrAlreadySaved", err)
			}
			if err := st.Bury(ctx, "tomb-b", w.ID); err != nil {
				t.Fatal(err)
			}
			if err := st.AcceptResponse(ctx, gateAnswer(w, "b"), "tomb-b"); !errors.Is(err, surveys.ErrWithdrawnMeanwhile) || stored("b") {
				t.Fatalf("a withdrawn answer: %v (stored %v), want ErrWithdrawnMeanwhile, nothing stored", err, stored("b"))
			}
			closed := make(chan error, 1)
			st.AfterInsert = func([]string) {
				go func() { closed <- st.CloseWave(ctx, w.ID, t0) }()
			}
			if err := st.AcceptResponse(ctx, gateAnswer(w, "d"), ""); err != nil || !stored("d") {
				t.Fatalf("closed while the answer was stored: %v (stored %v), want it kept", err, stored("d"))
			}
			st.AfterInsert = nil
			if err := <-closed; err != nil {
				t.Fatal(err)
			}
			if err := st.AcceptResponse(ctx, gateAnswer(w, "e"), ""); !errors.Is(err, surveys.ErrWaveNotOpen) || stored("e") {
				t.Fatalf("after the close: %v (stored %v), want ErrWaveNotOpen, nothing stored", err, stored("e"))
			}
		})
	}
}

// TestTheGateKeepsClosingImmediateAndWithdrawalsFinal plays relatives
// posting without pause while an advisor closes the wave and a relative
// withdraws: no answer whose post began after CloseWave returned is
// stored, and no replay of the withdrawn receipt that began after Bury
// returned is. A gate that kept the status or the tombstones it read
// without learning of the change fails this.
func TestTheGateKeepsClosingImmediateAndWithdrawalsFinal(t *testing.T) {
	ctx := context.Background()
	st, w := soleWriterStore(t)
	defer st.StartGroupCommit()()
	var buriedDone, closeDone atomic.Bool
	var n atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for c := range 8 {
		wg.Go(func() {
			for {
				afterBurial, afterClose := buriedDone.Load(), closeDone.Load()
				tomb := ""
				if c == 0 {
					tomb = "tomb-replayed" // one relative keeps reposting a withdrawn form
				}
				id := fmt.Sprintf("r%d-%d", c, n.Add(1))
				err := st.AcceptResponse(ctx, gateAnswer(w, id), tomb)
				switch {
				case err == nil && afterClose:
					errs <- fmt.Errorf("answer %s, posted after the close, was stored", id)
				case err == nil && afterBurial && tomb != "":
					errs <- fmt.Errorf("answer %s, a replay posted after the withdrawal, was stored", id)
				case err != nil && !errors.Is(err, surveys.ErrWaveNotOpen) && !errors.Is(err, surveys.ErrWithdrawnMeanwhile):
					errs <- err
				}
				if afterClose {
					return
				}
			}
		})
	}
	for n.Load() < 40 {
		time.Sleep(time.Millisecond)
	}
	if err := st.Bury(ctx, "tomb-replayed", w.ID); err != nil {
		t.Fatal(err)
	}
	buriedDone.Store(true)
	for at := n.Load(); n.Load() < at+40; {
		time.Sleep(time.Millisecond)
	}
	if err := st.CloseWave(ctx, w.ID, t0); err != nil {
		t.Fatal(err)
	}
	closeDone.Store(true)
	atClose := inboxCount(t, st)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Posts in flight when the close began finished before it did.
	if after := inboxCount(t, st); after != atClose {
		t.Errorf("%d answers were stored after CloseWave returned", after-atClose)
	}
}

func inboxCount(t *testing.T, st *surveys.Store) int64 {
	t.Helper()
	n, err := st.InboxSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

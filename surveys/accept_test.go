package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stemme/stemme/surveys"
)

func TestAcceptResponseChecksAroundTheInsert(t *testing.T) {
	ctx := context.Background()
	for _, grouped := range []bool{false, true} {
		t.Run(fmt.Sprintf("group commit %v", grouped), func(t *testing.T) {
			st := newStore(t)
			if grouped {
				defer st.StartGroupCommit()()
			}
			w := overallWave()
			w.Status = surveys.WaveOpen
			if _, err := st.InsertWave(ctx, w); err != nil {
				t.Fatal(err)
			}
			answer := func(id string) *surveys.Response {
				return &surveys.Response{ID: id, Wave: w.ID, Unit: "solbakken", Instrument: "small@1", Lang: "nb",
					Answers: surveys.Answers{"informed": surveys.ChoiceAnswer("4")}}
			}
			inInbox := func(id string) bool {
				_, err := st.Response(ctx, id)
				return err == nil
			}
			if err := st.AcceptResponse(ctx, answer("a"), "tomb-a"); err != nil || !inInbox("a") {
				t.Fatalf("an answer to an open wave: %v", err)
			}
			if err := st.AcceptResponse(ctx, answer("a"), "tomb-a"); !errors.Is(err, surveys.ErrAlreadySaved) {
				t.Fatalf("the same answer again: %v, want ErrAlreadySaved", err)
			}
			if err := st.Bury(ctx, "tomb-b", w.ID); err != nil {
				t.Fatal(err)
			}
			if err := st.AcceptResponse(ctx, answer("b"), "tomb-b"); !errors.Is(err, surveys.ErrWithdrawnMeanwhile) {
				t.Fatalf("a withdrawn answer: %v, want ErrWithdrawnMeanwhile", err)
			}
			// Many at once: each gets its own outcome.
			var wg sync.WaitGroup
			errs := make([]error, 12)
			for i := range errs {
				wg.Go(func() { errs[i] = st.AcceptResponse(ctx, answer(fmt.Sprintf("c%d", i)), "") })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil || !inInbox(fmt.Sprintf("c%d", i)) {
					t.Errorf("answer c%d: %v", i, err)
				}
			}
			st.AfterInsert = func([]string) {
				if err := st.CloseWave(ctx, w.ID, t0); err != nil {
					t.Error(err)
				}
			}
			if err := st.AcceptResponse(ctx, answer("d"), ""); !errors.Is(err, surveys.ErrClosedMeanwhile) || !inInbox("d") {
				t.Fatalf("closed between insert and check: %v (stored %v), want ErrClosedMeanwhile, stored", err, inInbox("d"))
			}
			st.AfterInsert = nil
			if err := st.AcceptResponse(ctx, answer("e"), ""); !errors.Is(err, surveys.ErrWaveNotOpen) || inInbox("e") {
				t.Fatalf("after the close: %v (stored %v), want ErrWaveNotOpen, nothing stored", err, inInbox("e"))
			}
		})
	}
}

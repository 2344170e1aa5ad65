package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// TestGroupCommitSavesEachAnswerOnce sends answers from many goroutines at
// once, each one twice (a double click), and checks every answer is stored
// exactly once and every duplicate is reported as already saved.
func TestGroupCommitSavesEachAnswerOnce(t *testing.T) {
	db := storetest.DB(t)
	ss := surveys.NewStore(db)
	stop := ss.StartGroupCommit()
	defer stop()
	const n = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	saved, dups := 0, 0
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &surveys.Response{ID: fmt.Sprint("r", i%n), Wave: "w", Unit: "u",
				Answers: surveys.Answers{"q": surveys.ChoiceAnswer(fmt.Sprint(i % n))}}
			err := ss.SaveResponse(context.Background(), r)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				saved++
			case errors.Is(err, surveys.ErrAlreadySaved):
				dups++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if saved != n || dups != n {
		t.Fatalf("saved %d, duplicates %d; want %d and %d", saved, dups, n, n)
	}
	count, err := db.Collection("response_inbox").CountDocuments(context.Background(), bson.D{})
	if err != nil || count != n {
		t.Fatalf("%d answers in the inbox (%v), want %d", count, err, n)
	}
	stop()
	err = ss.SaveResponse(context.Background(), &surveys.Response{ID: "late"})
	if err == nil {
		t.Fatal("an answer was accepted after the group commit stopped")
	}
}

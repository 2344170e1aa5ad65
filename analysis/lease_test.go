package analysis

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestTwoInstancesCountEachAnswerOnce runs two talliers on one store, as two
// stemme instances behind a load balancer would, kicks both while answers
// arrive, stops the lease holder half-way, and checks that the tallies equal
// a recount and that withdrawals asked of either instance are done.
func TestTwoInstancesCountEachAnswerOnce(t *testing.T) {
	w := newWorld(t)
	a, b := w.tallier, NewTallier(w.db, nil)
	stopA, stopB := a.Start(), b.Start()
	defer stopB()
	rng := rand.New(rand.NewPCG(3, 3))
	var ids []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 5 {
				got := w.answers(t, r, "w", 10)
				mu.Lock()
				ids = append(ids, got...)
				mu.Unlock()
				a.Kick()
				b.Kick()
			}
		}()
	}
	wg.Wait()
	flush(t, b)
	stopA() // the holder goes away; b takes over
	w.answers(t, rng, "w", 20)
	b.Kick()
	flush(t, b)
	for _, id := range ids[:5] {
		if err := b.Withdraw(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	if n := w.verify(t, "w"); n != 215 {
		t.Fatalf("counted %d respondents, want 215", n)
	}
}

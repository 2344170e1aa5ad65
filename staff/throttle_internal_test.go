package staff

import (
	"context"
	"testing"
	"time"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

func TestDelayAndLockCurves(t *testing.T) {
	p := DefaultLoginPolicy
	for _, tt := range []struct {
		failures int
		delay    time.Duration
		lock     time.Duration
	}{
		{0, 0, 0},
		{1, 250 * time.Millisecond, 0},
		{2, 500 * time.Millisecond, 0},
		{3, time.Second, 0},
		{4, 2 * time.Second, 0},
		{5, 4 * time.Second, 0},
		{9, 4 * time.Second, 0},
		{10, 4 * time.Second, 15 * time.Minute},
		{11, 4 * time.Second, 0},
		{20, 4 * time.Second, 30 * time.Minute},
		{80, 4 * time.Second, 24 * time.Hour},
		{10_000, 4 * time.Second, 24 * time.Hour},
	} {
		if got := p.delay(tt.failures); got != tt.delay {
			t.Errorf("delay after %d failures: %v, want %v", tt.failures, got, tt.delay)
		}
		if got := p.sourceLock(tt.failures); got != tt.lock {
			t.Errorf("lock at failure %d: %v, want %v", tt.failures, got, tt.lock)
		}
	}
}

// TestCounterSurvivesASecondInstance: two instances on one database (here
// two stores with their own in-process locks) count on the same counter;
// when the other instance writes between this one's read and write, the
// version check makes this one read again instead of overwriting.
func TestCounterSurvivesASecondInstance(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	a := NewStore(db)
	b := NewStore(db)
	b.userLocks = &store.KeyedMutex{}
	interfered := 0
	a.beforeCounterWrite = func(id string) {
		if interfered < 2 {
			interfered++
			if _, err := b.recordFailure(ctx, id, t0, time.Hour, nil); err != nil {
				t.Error(err)
			}
		}
	}
	for range 2 {
		if _, err := a.recordFailure(ctx, "a:test", t0, time.Hour, nil); err != nil {
			t.Fatal(err)
		}
	}
	r, _, err := a.readThrottle(ctx, "a:test")
	if err != nil || r.Failures != 4 || interfered != 2 {
		t.Fatalf("counter %d after 2 + 2 failures on two instances (%d interfered), %v", r.Failures, interfered, err)
	}
}

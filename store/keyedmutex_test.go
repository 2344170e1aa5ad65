package store_test

import (
	"sync"
	"testing"

	"github.com/stemme/stemme/store"
)

func TestKeyedMutexSerializesPerKey(t *testing.T) {
	var km store.KeyedMutex
	counts := map[string]*int{"a": new(int), "b": new(int)}
	var wg sync.WaitGroup
	for i := range 64 {
		key := []string{"a", "b"}[i%2]
		wg.Go(func() {
			for range 100 {
				unlock := km.Lock(key)
				// A read-modify-write that loses updates unless serialized per key.
				v := *counts[key]
				*counts[key] = v + 1
				unlock()
			}
		})
	}
	wg.Wait()
	if *counts["a"] != 3200 || *counts["b"] != 3200 {
		t.Fatalf("counts a=%d b=%d, want 3200 each", *counts["a"], *counts["b"])
	}
}

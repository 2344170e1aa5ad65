package actions

import (
	"context"
	"testing"
	"time"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// TestASecondInstanceLinksAFindingMeanwhile: a second instance (its own
// client and lock table) links a finding between this instance's read of
// the action and its push; the push names the number of findings it read,
// so the same finding is not linked twice and a different one is kept.
func TestASecondInstanceLinksAFindingMeanwhile(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	info := Finding{Wave: "w1", Unit: "solbakken", Item: "info_given", Index: 55}
	focus := Finding{Wave: "w1", Focus: "information", Index: 61}
	for _, tc := range []struct {
		name  string
		other Finding
		want  []string
	}{
		{"the same finding", info, []string{info.Key()}},
		{"another finding", focus, []string{focus.Key(), info.Key()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := storetest.DB(t)
			a, b := NewStore(db), NewStore(storetest.SecondClient(t, db))
			b.actionLocks = &store.KeyedMutex{}
			act := &Action{Title: "Pårørendekafé", Owner: "Virksomhetsleder", Period: "2027"}
			if err := a.Insert(ctx, act, now); err != nil {
				t.Fatal(err)
			}
			var other error
			acted := false
			a.beforeSharedWrite = func(string) {
				if !acted {
					acted, other = true, b.AddFinding(ctx, act.ID, tc.other, now)
				}
			}
			if err := a.AddFinding(ctx, act.ID, info, now); err != nil || other != nil {
				t.Fatal(err, other)
			}
			got, err := a.Get(ctx, act.ID)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, f := range got.Findings {
				keys = append(keys, f.Key())
			}
			if len(keys) != len(tc.want) || keys[0] != tc.want[0] || keys[len(keys)-1] != tc.want[len(tc.want)-1] {
				t.Fatalf("findings %v, want %v", keys, tc.want)
			}
		})
	}
}

package report

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func TestProtectCounts(t *testing.T) {
	for _, tt := range []struct {
		name   string
		counts map[string]int
		shown  []string
		rest   int
	}{
		{"every unit large", map[string]int{"a": 12, "b": 7}, []string{"a", "b"}, 0},
		{"nothing at all", map[string]int{"a": 0, "b": 0}, nil, 0},
		{"every unit small: no breakdown", map[string]int{"a": 3, "b": 2, "c": 1}, nil, 6},
		{"one small unit left alone would be read off", map[string]int{"a": 20, "b": 9, "c": 2}, []string{"a"}, 11},
		{"a small rest from two units is still too small", map[string]int{"a": 20, "b": 9, "c": 2, "d": 1}, []string{"a"}, 12},
		{"two small units of 4 and 4 would each be proven 4", map[string]int{"a": 20, "b": 10, "c": 4, "d": 4}, []string{"a"}, 18},
		{"many small units hide each other", map[string]int{"a": 20, "b": 2, "c": 1, "d": 1, "e": 1}, []string{"a"}, 5},
		{"small units proven non-empty by the cap are hidden further", map[string]int{"a": 8, "": 3, "b": 4}, nil, 15},
		{"feedback about no unit counts in the rest", map[string]int{"a": 8, "": 2, "b": 1, "c": 2}, []string{"a"}, 5},
		{"a large rest about no unit alone is one source", map[string]int{"a": 8, "": 9}, nil, 17},
	} {
		t.Run(tt.name, func(t *testing.T) {
			shown, rest := protectCounts(tt.counts, 5)
			if !slices.Equal(shown, tt.shown) || rest != tt.rest {
				t.Errorf("shown %v rest %d, want %v rest %d", shown, rest, tt.shown, tt.rest)
			}
		})
	}
}

// TestProtectCountsAgainstAReaderWhoKnowsTheRule plays a reader of 4,000
// random breakdowns who knows the total, the units shown, the rest and
// the rule: a unit hidden for its size had at most k−1 (when no larger
// unit was hidden with it). For every hidden unit, the least count
// consistent with all that must be 0: nobody can prove that anyone there
// wrote at all. And a shown unit has k or more; the rest is 0 or k or more.
func TestProtectCountsAgainstAReaderWhoKnowsTheRule(t *testing.T) {
	const k = 5
	rng := rand.New(rand.NewPCG(17, 5))
	for i := range 4000 {
		counts := map[string]int{"": rng.IntN(4)}
		for u := range 2 + rng.IntN(8) {
			n := rng.IntN(k)
			if rng.IntN(3) == 0 {
				n = rng.IntN(40)
			}
			counts["u"+strconv.Itoa(u)] = n
		}
		shown, rest := protectCounts(counts, k)
		total, sumShown := 0, 0
		for _, n := range counts {
			total += n
		}
		for _, u := range shown {
			if counts[u] < k {
				t.Fatalf("case %d %v: shown unit %s has %d", i, counts, u, counts[u])
			}
			sumShown += counts[u]
		}
		if rest != total-sumShown {
			t.Fatalf("case %d %v: rest %d of total %d, shown %d", i, counts, rest, total, sumShown)
		}
		if len(shown) == 0 {
			continue // only the total is shown
		}
		if rest != 0 && rest < k {
			t.Fatalf("case %d %v: shown %v beside a rest of %d", i, counts, shown, rest)
		}
		var hidden []string
		secondary := false
		for key, n := range counts {
			if !slices.Contains(shown, key) {
				hidden = append(hidden, key)
				secondary = secondary || n >= k
			}
		}
		cap := k - 1
		if secondary {
			cap = rest // the reader cannot tell which hidden unit is the large one
		}
		for _, key := range hidden {
			if least := rest - cap*(len(hidden)-1); least > 0 {
				t.Fatalf("case %d %v: shown %v, rest %d: hidden %q has at least %d", i, counts, shown, rest, key, least)
			}
		}
	}
}

package analysis

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestClampThreshold(t *testing.T) {
	for k, want := range map[int]int{0: 5, 1: 3, 2: 3, -1: 3, 3: 3, 4: 4, 5: 5, 10: 10} {
		if got := ClampThreshold(k); got != want {
			t.Errorf("ClampThreshold(%d) = %d, want %d", k, got, want)
		}
	}
}

func TestSuppressLine(t *testing.T) {
	tests := []struct {
		name   string
		k      int
		total  int64
		parts  []int64 // cells a, b, c, … in order
		hidden string  // hidden ids, sorted, space-separated
	}{
		{"one small part takes the next smallest", 5, 20, []int64{3, 7, 10}, "a b"},
		{"two small parts of k together suffice", 5, 20, []int64{2, 3, 15}, "a b"},
		{"two small parts under k together take a third", 5, 20, []int64{1, 2, 8, 9}, "a b c"},
		{"an empty cell is shown and never a complement", 5, 12, []int64{3, 0, 9}, "a c"},
		{"ties go to the smaller id", 5, 30, []int64{3, 8, 8, 11}, "a b"},
		{"hidden groups of one each would be pinned down", 3, 20, []int64{1, 1, 1, 17}, "a b c d"},
		{"a small total hides everything small", 5, 4, []int64{1, 3}, "T a b"},
		{"a single group equal to the total", 5, 7, []int64{7, 0}, ""},
		{"nothing small", 5, 30, []int64{5, 10, 15}, ""},
		{"k = 0 means the default 5", 0, 10, []int64{4, 6}, "a b"},
		{"k below the minimum is 3", 1, 10, []int64{2, 8}, "a b"},
		{"k = 3 shows 3", 3, 10, []int64{3, 7}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts := map[string]int64{"T": tt.total}
			line := Line{Total: "T"}
			for i, n := range tt.parts {
				id := string(rune('a' + i))
				counts[id] = n
				line.Parts = append(line.Parts, id)
			}
			hidden := Suppress(tt.k, counts, []Line{line})
			if got := strings.Join(sortedIDs(hidden), " "); got != tt.hidden {
				t.Errorf("hidden %q, want %q", got, tt.hidden)
			}
			assertNoLeaks(t, int64(ClampThreshold(tt.k)), counts, []Line{line}, hidden)
		})
	}
}

func TestSuppressTwoWayTable(t *testing.T) {
	tests := []struct {
		name   string
		cells  [][]int64 // units (rows) × segment values (columns)
		hidden string
	}{
		// Primary: u1 (4), u1/s0 (3), u1/s1 (1), u2/s1 (4), u2/s2 (2).
		// Column s0 has one hidden cell: u2/s0 (5) follows; column s2
		// too: u3/s2 (6); then row u3 has one: u3/s1 (7); the line of
		// units has one (u1): u2 (11), whose parts are all hidden by now.
		// Nothing is then determined: 9 unknowns, 6 independent lines.
		{"margins both ways",
			[][]int64{{8, 6, 0}, {3, 1, 0}, {5, 4, 2}, {10, 7, 6}},
			"u1 u1/s0 u1/s1 u2 u2/s0 u2/s1 u2/s2 u3/s1 u3/s2"},
		// Primary: u1, u1/s0, u1/s1, u2/s1. Lines: u2/s0 (5) for row u2
		// and column s0, then u0 (8, before u3 by id) for the line of
		// units. But u0 = u0/s0 + u0/s1 = 8 + 0 is shown, so u0 is
		// determined and with it u1 = all − u0 − u2 − u3: the combination
		// rule hides u0/s0 (8, before u3 by id).
		{"a complement total with a shown breakdown",
			[][]int64{{8, 0}, {3, 1}, {5, 4}, {8, 0}},
			"u0 u0/s0 u1 u1/s0 u1/s1 u2/s0 u2/s1"},
		// The primary cells form two cycles joined by u0/s2: every line
		// has two or more hidden cells of at least k in all, yet
		// (rows u0+u1) − (columns s0+s1) isolates u0/s2. The rule hides
		// u0/s3 (20), the smallest shown cell of its lines, joining the
		// cycles a second time.
		{"a bridge between two hidden cycles",
			[][]int64{{3, 3, 3, 20}, {3, 3, 30, 40}, {50, 60, 3, 3}, {70, 80, 3, 3}},
			"u0/s0 u0/s1 u0/s2 u0/s3 u1/s0 u1/s1 u2/s2 u2/s3 u3/s2 u3/s3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts, lines := table(tt.cells)
			hidden := Suppress(5, counts, lines)
			if got := strings.Join(sortedIDs(hidden), " "); got != tt.hidden {
				t.Errorf("hidden %q\nwant   %q", got, tt.hidden)
			}
			assertNoLeaks(t, 5, counts, lines, hidden)
		})
	}
}

// TestSuppressBruteForce plays the reader on random tables: every
// subtraction of shown parts from a shown total, every combination of lines
// with coefficients −1, 0, 1 (enough for two-way tables, whose equations are
// totally unimodular), and the rank test. On weaker suppressions (primary
// cells only; the line rule without combinations) the reader must find
// something, and the enumeration and the rank test must agree, so neither
// checker can pass by finding nothing.
func TestSuppressBruteForce(t *testing.T) {
	leaky := map[string]int{}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		k := []int{0, 3, 5, 7}[rng.IntN(4)]
		kk := int64(ClampThreshold(k))
		counts, lines := table(randomCells(rng, 2+rng.IntN(3), 2+rng.IntN(2)))
		assertNoLeaks(t, kk, counts, lines, Suppress(k, counts, lines))

		s := newSuppression(kk, counts, lines)
		for s.hideForLines() {
		}
		weak := map[string]map[string]bool{"primary only": primaryOnly(kk, counts), "lines only": s.hiddenSet()}
		for name, hidden := range weak {
			byCombination, byRank := combined(lines, hidden), byRank(lines, hidden)
			if !slices.Equal(byCombination, byRank) {
				t.Fatalf("seed %d, %s: combinations find %v, rank %v", seed, name, byCombination, byRank)
			}
			if len(byRank) > 0 || len(subtractions(kk, counts, lines, hidden)) > 0 {
				leaky[name]++
			}
		}
	}
	t.Logf("tables the reader breaks: %v", leaky)
	if leaky["primary only"] == 0 || leaky["lines only"] == 0 {
		t.Errorf("the reader found nothing in weaker suppressions: %v", leaky)
	}
}

// TestSuppressTwoQuestions covers units broken down by two background
// questions at once, linked through the unit totals: 13+ lines, too many to
// enumerate, so determination is checked by rank instead.
func TestSuppressTwoQuestions(t *testing.T) {
	for seed := range uint64(150) {
		rng := rand.New(rand.NewPCG(seed, 11))
		counts, lines := twoQuestions(rng, 2+rng.IntN(3))
		hidden := Suppress(5, counts, lines)
		if problems := append(subtractions(5, counts, lines, hidden), byRank(lines, hidden)...); len(problems) > 0 {
			t.Errorf("seed %d: %v", seed, problems)
		}
	}
}

func TestSuppressDeterministic(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 3))
		counts, lines := twoQuestions(rng, 3)
		want := strings.Join(sortedIDs(Suppress(5, counts, lines)), " ")
		for range 5 {
			shuffled := slices.Clone(lines)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			for i := range shuffled {
				parts := slices.Clone(shuffled[i].Parts)
				rng.Shuffle(len(parts), func(a, b int) { parts[a], parts[b] = parts[b], parts[a] })
				shuffled[i].Parts = parts
			}
			if got := strings.Join(sortedIDs(Suppress(5, counts, shuffled)), " "); got != want {
				t.Fatalf("seed %d: order changed the result:\n%s\n%s", seed, got, want)
			}
		}
	}
}

func TestDeterminedIntMatchesRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		rows, cols := 1+rng.IntN(6), 1+rng.IntN(8)
		m := make([][]int64, rows)
		for i := range m {
			m[i] = make([]int64, cols)
			for j := range m[i] {
				m[i][j] = []int64{0, 0, 0, 1, -1, 1, -1, 2}[rng.IntN(8)]
			}
		}
		work := make([][]int64, rows)
		for i := range m {
			work[i] = slices.Clone(m[i])
		}
		got, ok := determinedInt(work, cols)
		if want := determinedRat(m, cols); !ok || !slices.Equal(got, want) {
			t.Fatalf("%v: int %v (ok %v), rational %v", m, got, ok, want)
		}
	}
	// Entries that outgrow the int64 path fall back to rationals.
	// Eliminating column 0 turns row 1 into (0, −(2²⁹+3), (2²⁹+1)(2²⁹+5)).
	m := [][]int64{{1<<29 + 1, 1, 0}, {1<<29 + 3, 0, 1<<29 + 5}, {0, 0, 1}}
	if _, ok := determinedInt([][]int64{slices.Clone(m[0]), slices.Clone(m[1]), slices.Clone(m[2])}, 3); ok {
		t.Error("determinedInt kept entries beyond maxEntry")
	}
	if got := determinedColumns(m, 3); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("determinedColumns = %v, want all three (the matrix is invertible)", got)
	}
}

func FuzzSuppress(f *testing.F) {
	f.Add([]byte{2, 1, 3, 8, 0, 4, 12, 1, 2, 9, 5, 5, 3, 0, 7}, 5)
	f.Add([]byte{1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 3)
	f.Add([]byte{0, 0, 40, 2, 2, 40}, 0)
	f.Fuzz(func(t *testing.T, data []byte, k int) {
		if len(data) < 2 {
			return
		}
		rows, cols := 2+int(data[0]%3), 2+int(data[1]%3)
		cells := make([][]int64, rows)
		for i := range cells {
			cells[i] = make([]int64, cols)
			for j := range cells[i] {
				if at := 2 + i*cols + j; at < len(data) {
					cells[i][j] = int64(data[at] % 24)
				}
			}
		}
		counts, lines := table(cells)
		hidden := Suppress(k, counts, lines)
		if problems := append(subtractions(int64(ClampThreshold(k)), counts, lines, hidden), byRank(lines, hidden)...); len(problems) > 0 {
			t.Fatalf("%v: %v", cells, problems)
		}
		again := Suppress(k, counts, lines)
		if !slices.Equal(sortedIDs(again), sortedIDs(hidden)) {
			t.Fatal("not deterministic")
		}
	})
}

// table builds a units × segment-values table as the tallies will: cells
// "uI/sJ", unit totals "uI", value totals "sJ" and "all", with a line for
// every row, every column and both directions of the grand total.
func table(cells [][]int64) (map[string]int64, []Line) {
	counts := map[string]int64{}
	var lines []Line
	var units, values []string
	columns := make([][]string, len(cells[0]))
	for i, row := range cells {
		u := fmt.Sprintf("u%d", i)
		units = append(units, u)
		line := Line{Total: u}
		for j, n := range row {
			id := fmt.Sprintf("%s/s%d", u, j)
			counts[id] = n
			counts[u] += n
			counts[fmt.Sprintf("s%d", j)] += n
			counts["all"] += n
			line.Parts = append(line.Parts, id)
			columns[j] = append(columns[j], id)
		}
		lines = append(lines, line)
	}
	for j, parts := range columns {
		values = append(values, fmt.Sprintf("s%d", j))
		lines = append(lines, Line{Total: values[j], Parts: parts})
	}
	return counts, append(lines, Line{Total: "all", Parts: units}, Line{Total: "all", Parts: values})
}

// randomN draws a group size: often small, sometimes empty.
func randomN(rng *rand.Rand) int64 {
	switch rng.IntN(6) {
	case 0:
		return 0
	case 1, 2:
		return 1 + rng.Int64N(4)
	}
	return 5 + rng.Int64N(11)
}

func randomCells(rng *rand.Rand, rows, cols int) [][]int64 {
	cells := make([][]int64, rows)
	for i := range cells {
		cells[i] = make([]int64, cols)
		for j := range cells[i] {
			cells[i][j] = randomN(rng)
		}
	}
	return cells
}

// twoQuestions builds units broken down by two background questions (a and
// b, two values each) from a random joint distribution, with every line:
// each unit as the sum of its values for a and for b, each value as the sum
// over units, and the municipality as the sum of units and of each
// question's values.
func twoQuestions(rng *rand.Rand, units int) (map[string]int64, []Line) {
	counts := map[string]int64{}
	var lines []Line
	var unitIDs []string
	columns := map[string][]string{}
	for i := range units {
		u := fmt.Sprintf("u%d", i)
		unitIDs = append(unitIDs, u)
		var joint [2][2]int64
		for x := range 2 {
			for y := range 2 {
				joint[x][y] = randomN(rng)
				counts[u] += joint[x][y]
			}
		}
		counts["all"] += counts[u]
		for _, q := range []string{"a", "b"} {
			line := Line{Total: u}
			for v := range 2 {
				n := joint[v][0] + joint[v][1]
				if q == "b" {
					n = joint[0][v] + joint[1][v]
				}
				value := fmt.Sprintf("%s%d", q, v)
				id := u + "/" + value
				counts[id] = n
				counts[value] += n
				line.Parts = append(line.Parts, id)
				columns[value] = append(columns[value], id)
			}
			lines = append(lines, line)
		}
	}
	lines = append(lines, Line{Total: "all", Parts: unitIDs})
	for _, q := range []string{"a", "b"} {
		values := []string{q + "0", q + "1"}
		for _, v := range values {
			lines = append(lines, Line{Total: v, Parts: columns[v]})
		}
		lines = append(lines, Line{Total: "all", Parts: values})
	}
	return counts, lines
}

func sortedIDs(set map[string]bool) []string {
	var ids []string
	for id, ok := range set {
		if ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func primaryOnly(k int64, counts map[string]int64) map[string]bool {
	hidden := map[string]bool{}
	for id, n := range counts {
		hidden[id] = n > 0 && n < k
	}
	return hidden
}

func assertNoLeaks(t *testing.T, k int64, counts map[string]int64, lines []Line, hidden map[string]bool) {
	t.Helper()
	for _, p := range subtractions(k, counts, lines, hidden) {
		t.Error(p)
	}
	for _, id := range append(combined(lines, hidden), byRank(lines, hidden)...) {
		t.Errorf("the lines determine %s", id)
	}
}

// combined returns the hidden cells that some combination of lines with
// coefficients −1, 0, 1 isolates, by trying every combination.
func combined(lines []Line, hidden map[string]bool) []string {
	ids := sortedIDs(hidden)
	var vecs [][][2]int64 // per line: (hidden cell, coefficient in total − Σ parts)
	for _, l := range lines {
		var v [][2]int64
		for i, id := range append([]string{l.Total}, l.Parts...) {
			if j, ok := slices.BinarySearch(ids, id); ok {
				v = append(v, [2]int64{int64(j), map[bool]int64{true: 1, false: -1}[i == 0]})
			}
		}
		if len(v) > 0 {
			vecs = append(vecs, v)
		}
	}
	if len(vecs) > 12 {
		panic("too many lines to enumerate")
	}
	sum, nonZero := make([]int64, len(ids)), 0
	add := func(v [][2]int64, c int64) {
		for _, e := range v {
			if sum[e[0]] != 0 {
				nonZero--
			}
			if sum[e[0]] += c * e[1]; sum[e[0]] != 0 {
				nonZero++
			}
		}
	}
	found := map[string]bool{}
	var walk func(i int)
	walk = func(i int) {
		if i == len(vecs) {
			if nonZero == 1 {
				found[ids[slices.IndexFunc(sum, func(v int64) bool { return v != 0 })]] = true
			}
			return
		}
		for _, c := range []int64{0, 1, -1} {
			add(vecs[i], c)
			walk(i + 1)
			add(vecs[i], -c)
		}
	}
	walk(0)
	return sortedIDs(found)
}

// subtractions returns shown cells under k and, for every line with a shown
// total and every subset of its shown parts subtracted from that total, a
// remainder that is one hidden cell or only hidden cells of fewer than k
// respondents or of one respondent each.
func subtractions(k int64, counts map[string]int64, lines []Line, hidden map[string]bool) []string {
	var finds []string
	for id, n := range counts {
		if !hidden[id] && n > 0 && n < k {
			finds = append(finds, fmt.Sprintf("%s (n = %d) is shown", id, n))
		}
	}
	for _, l := range lines {
		if hidden[l.Total] {
			continue
		}
		var shown, hid []string
		var hiddenN int64
		for _, p := range l.Parts {
			if hidden[p] {
				hid = append(hid, p)
				hiddenN += counts[p]
			} else {
				shown = append(shown, p)
			}
		}
		for mask := range 1 << len(shown) {
			left := slices.Clone(hid) // the remainder: hidden parts and shown parts not subtracted
			for i, p := range shown {
				if mask&(1<<i) == 0 {
					left = append(left, p)
				}
			}
			switch {
			case len(left) == 1 && hidden[left[0]]:
				finds = append(finds, fmt.Sprintf("%s minus shown parts isolates %s", l.Total, left[0]))
			case len(left) == len(hid) && len(hid) > 0 && (hiddenN < k || hiddenN == int64(len(hid))):
				finds = append(finds, fmt.Sprintf("%s minus shown parts isolates %d respondents in %v", l.Total, hiddenN, hid))
			}
		}
	}
	return finds
}

// byRank returns the hidden cells that some rational combination of lines
// determines: those whose column, removed, lowers the rank of the lines'
// equations in the hidden cells.
func byRank(lines []Line, hidden map[string]bool) []string {
	ids := sortedIDs(hidden)
	matrix := func(skip string) [][]int64 {
		var m [][]int64
		for _, l := range lines {
			var row []int64
			for _, id := range ids {
				if id == skip {
					continue
				}
				var c int64 // total − Σ parts
				if l.Total == id {
					c++
				}
				for _, p := range l.Parts {
					if p == id {
						c--
					}
				}
				row = append(row, c)
			}
			m = append(m, row)
		}
		return m
	}
	var determined []string
	full := rank(matrix(""))
	for _, id := range ids {
		if rank(matrix(id)) < full {
			determined = append(determined, id)
		}
	}
	return determined
}

// rank is the exact rank of a small integer matrix, by elimination in
// rationals.
func rank(m [][]int64) int {
	if len(m) == 0 || len(m[0]) == 0 {
		return 0
	}
	rows := make([][]*big.Rat, len(m))
	for i := range m {
		for _, v := range m[i] {
			rows[i] = append(rows[i], big.NewRat(v, 1))
		}
	}
	r := 0
	for c := 0; c < len(rows[0]) && r < len(rows); c++ {
		p := slices.IndexFunc(rows[r:], func(row []*big.Rat) bool { return row[c].Sign() != 0 })
		if p < 0 {
			continue
		}
		rows[r], rows[r+p] = rows[r+p], rows[r]
		for i := r + 1; i < len(rows); i++ {
			if rows[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(rows[i][c], rows[r][c])
			for j := c; j < len(rows[i]); j++ {
				rows[i][j].Sub(rows[i][j], new(big.Rat).Mul(f, rows[r][j]))
			}
		}
		r++
	}
	return r
}

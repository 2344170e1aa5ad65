package analysis

// The suppression Stemme used until 2026-12 (primary, lines, and exact
// linear combinations, over per-unit breakdowns and a municipality that
// contained the hidden units). It is kept, for tests only, as the weaker
// rule the disclosure audit must catch: see legacy_audit_test.go.

import (
	"math/big"
	"slices"
)

// A Line is one additive relation: Total = sum of Parts (cell ids). Examples:
// municipality = Σ units; unit = Σ segment values of one background question;
// municipality-segment-value = Σ unit-segment-value over units (the other
// direction of a units × segment table).
type legacyLine struct {
	Total string
	Parts []string
}

// legacySuppressAlso is the legacy Suppress with cells hidden for another reason from the
// start (a group hidden for its size hides every measure in it), so that
// complementary suppression uses them instead of hiding more.
func legacySuppressAlso(k int, counts map[string]int64, lines []legacyLine, hidden map[string]bool) map[string]bool {
	s := newSuppression(int64(ClampThreshold(k)), counts, lines)
	for i, id := range s.ids {
		if hidden[id] {
			s.hidden[i] = true
		}
	}
	for s.hideForLines() || s.hideForDerivations() {
	}
	return s.hiddenSet()
}

// suppression is Suppress's working state, with cells numbered in id order
// so that ties break by id.
type suppression struct {
	k       int64
	ids     []string
	n       []int64
	hidden  []bool
	lines   []cellLine
	linesOf [][]int // the lines each cell is in, as total or part
}

type cellLine struct {
	total int
	parts []int
}

func newSuppression(k int64, counts map[string]int64, lines []legacyLine) *suppression {
	seen := make(map[string]bool, len(counts))
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for id := range counts {
		add(id)
	}
	for _, l := range lines {
		add(l.Total)
		for _, p := range l.Parts {
			add(p)
		}
	}
	slices.Sort(ids)
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	s := &suppression{k: k, ids: ids, n: make([]int64, len(ids)), hidden: make([]bool, len(ids)),
		linesOf: make([][]int, len(ids))}
	for i, id := range ids {
		s.n[i] = counts[id]
		s.hidden[i] = s.n[i] > 0 && s.n[i] < k
	}
	for li, l := range lines {
		cl := cellLine{total: index[l.Total]}
		s.linesOf[cl.total] = append(s.linesOf[cl.total], li)
		for _, p := range l.Parts {
			cl.parts = append(cl.parts, index[p])
			s.linesOf[index[p]] = append(s.linesOf[index[p]], li)
		}
		s.lines = append(s.lines, cl)
	}
	return s
}

func (s *suppression) hiddenSet() map[string]bool {
	hidden := make(map[string]bool)
	for i, h := range s.hidden {
		if h {
			hidden[s.ids[i]] = true
		}
	}
	return hidden
}

// smaller returns whichever of two cells is the preferred complement: the
// smaller n, then the smaller id. −1 means none.
func (s *suppression) smaller(a, b int) int {
	if a < 0 || b >= 0 && (s.n[b] < s.n[a] || s.n[b] == s.n[a] && b < a) {
		return b
	}
	return a
}

// smallestShown is the preferred complement among cells: shown, n > 0.
func (s *suppression) smallestShown(cells []int) int {
	best := -1
	for _, c := range cells {
		if !s.hidden[c] && s.n[c] > 0 {
			best = s.smaller(best, c)
		}
	}
	return best
}

// exposed reports whether a reader learns about a small group by
// subtracting l's shown parts from its total: one hidden cell, a group of
// fewer than k respondents, or hidden cells of one respondent each (which
// the reader can tell when their sum equals their number, every hidden cell
// holding at least one).
func (s *suppression) exposed(l cellLine) bool {
	if s.hidden[l.total] {
		return false
	}
	count, sum := 0, int64(0)
	for _, p := range l.parts {
		if s.hidden[p] {
			count++
			sum += s.n[p]
		}
	}
	return count == 1 || count > 1 && (sum < s.k || sum == int64(count))
}

// hideForLines hides one complement for the exposed lines (the smallest of
// their candidates, so the outcome does not depend on the order of lines)
// and reports whether it did.
func (s *suppression) hideForLines() bool {
	best := -1
	for _, l := range s.lines {
		if !s.exposed(l) {
			continue
		}
		c := s.smallestShown(l.parts)
		if c < 0 {
			c = l.total
		}
		best = s.smaller(best, c)
	}
	if best < 0 {
		return false
	}
	s.hidden[best] = true
	return true
}

// hideForDerivations hides one complement for the hidden cells that a
// combination of lines determines, and reports whether it did.
func (s *suppression) hideForDerivations() bool {
	det := s.determined()
	if len(det) == 0 {
		return false
	}
	c := s.complementNear(det)
	if c < 0 {
		return false // only if counts break the lines: nothing shown is left nearby
	}
	s.hidden[c] = true
	return true
}

// complementNear picks the complement for determined cells: the preferred
// shown part of the lines through them; failing that, the preferred shown
// total of those lines; failing that, the same one ring further out, through
// the hidden cells of those lines.
func (s *suppression) complementNear(cells []int) int {
	seenCell := make([]bool, len(s.ids))
	seenLine := make([]bool, len(s.lines))
	for _, c := range cells {
		seenCell[c] = true
	}
	for len(cells) > 0 {
		var ring []int
		for _, c := range cells {
			for _, li := range s.linesOf[c] {
				if !seenLine[li] {
					seenLine[li] = true
					ring = append(ring, li)
				}
			}
		}
		best, bestTotal := -1, -1
		for _, li := range ring {
			best = s.smaller(best, s.smallestShown(s.lines[li].parts))
			bestTotal = s.smaller(bestTotal, s.smallestShown([]int{s.lines[li].total}))
		}
		if best >= 0 {
			return best
		}
		if bestTotal >= 0 {
			return bestTotal
		}
		var next []int
		for _, li := range ring {
			for _, c := range append([]int{s.lines[li].total}, s.lines[li].parts...) {
				if s.hidden[c] && !seenCell[c] {
					seenCell[c] = true
					next = append(next, c)
				}
			}
		}
		cells = next
	}
	return -1
}

// determined returns the hidden cells whose value follows from the shown
// cells and the lines. Write each line as total − Σ parts = 0 and move the
// shown cells to the right-hand side: what is left is a linear system in the
// hidden cells, and a hidden cell is determined exactly when its unit vector
// lies in the row space of that system, that is, when its pivot row in the
// reduced row echelon form has no other non-zero entry.
func (s *suppression) determined() []int {
	col := make([]int, len(s.ids))
	var cells []int
	for c, h := range s.hidden {
		col[c] = -1
		if h && len(s.linesOf[c]) > 0 {
			col[c] = len(cells)
			cells = append(cells, c)
		}
	}
	var rows [][]int64
	for _, l := range s.lines {
		row := make([]int64, len(cells))
		used := false
		if j := col[l.total]; j >= 0 {
			row[j]++
			used = true
		}
		for _, p := range l.parts {
			if j := col[p]; j >= 0 {
				row[j]--
				used = true
			}
		}
		if used {
			rows = append(rows, row)
		}
	}
	var det []int
	for _, j := range determinedColumns(rows, len(cells)) {
		det = append(det, cells[j])
	}
	return det
}

// determinedColumns returns the columns j for which the unit vector e_j lies
// in the row space of m (which it leaves intact). It eliminates in int64 and
// falls back to exact rationals if the entries outgrow int64's safe range.
func determinedColumns(m [][]int64, ncols int) []int {
	work := make([][]int64, len(m))
	for i, row := range m {
		work[i] = slices.Clone(row)
	}
	if det, ok := determinedInt(work, ncols); ok {
		return det
	}
	return determinedRat(m, ncols)
}

// maxEntry bounds the entries determinedInt keeps: products of two stay
// below 2⁶⁰ and their differences below 2⁶¹, far from overflow. The 0/±1
// rows of additive tables keep small entries in practice (for two-way tables
// they stay 0/±1, the matrix being totally unimodular).
const maxEntry = 1 << 30

// determinedInt is Gauss–Jordan elimination with integer row operations,
// each row divided by the gcd of its entries. It reports false when an entry
// would exceed maxEntry.
func determinedInt(m [][]int64, ncols int) ([]int, bool) {
	var pivots []int
	for c := 0; c < ncols && len(pivots) < len(m); c++ {
		r := len(pivots)
		p := -1
		for i := r; i < len(m); i++ {
			if m[i][c] != 0 && (p < 0 || abs64(m[i][c]) < abs64(m[p][c])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		for i := range m {
			f, g := m[i][c], m[r][c]
			if i == r || f == 0 {
				continue
			}
			for j := range m[i] {
				m[i][j] = g*m[i][j] - f*m[r][j]
			}
			if !reduceRow(m[i]) {
				return nil, false
			}
		}
		pivots = append(pivots, c)
	}
	var det []int
	for r, c := range pivots {
		if countNonZero(m[r]) == 1 {
			det = append(det, c)
		}
	}
	slices.Sort(det)
	return det, true
}

func reduceRow(row []int64) bool {
	var g int64
	for _, v := range row {
		g = gcd(g, abs64(v))
	}
	for j := range row {
		if g > 1 {
			row[j] /= g
		}
		if abs64(row[j]) > maxEntry {
			return false
		}
	}
	return true
}

// determinedRat is determinedInt in exact rationals, without a size limit.
func determinedRat(rows [][]int64, ncols int) []int {
	m := make([][]*big.Rat, len(rows))
	for i, row := range rows {
		m[i] = make([]*big.Rat, ncols)
		for j, v := range row {
			m[i][j] = big.NewRat(v, 1)
		}
	}
	var pivots []int
	tmp := new(big.Rat)
	for c := 0; c < ncols && len(pivots) < len(m); c++ {
		r := len(pivots)
		p := slices.IndexFunc(m[r:], func(row []*big.Rat) bool { return row[c].Sign() != 0 })
		if p < 0 {
			continue
		}
		m[r], m[r+p] = m[r+p], m[r]
		inv := new(big.Rat).Inv(m[r][c])
		for _, v := range m[r] {
			v.Mul(v, inv)
		}
		for i := range m {
			if i == r || m[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(m[i][c])
			for j, v := range m[i] {
				v.Sub(v, tmp.Mul(f, m[r][j]))
			}
		}
		pivots = append(pivots, c)
	}
	var det []int
	for r, c := range pivots {
		if slices.IndexFunc(m[r], func(v *big.Rat) bool { return v.Sign() != 0 && v != m[r][c] }) < 0 {
			det = append(det, c)
		}
	}
	slices.Sort(det)
	return det
}

func countNonZero(row []int64) int {
	n := 0
	for _, v := range row {
		if v != 0 {
			n++
		}
	}
	return n
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

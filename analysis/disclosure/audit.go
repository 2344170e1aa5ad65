package disclosure

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Range is what a reader can know of one hidden count: every whole number
// from Lo to Hi is consistent with what is shown (Hi is +Inf when nothing
// bounds it from above).
type Range struct {
	ID, Label string
	Kind      Kind
	Lo, Hi    float64
}

// Width is Hi − Lo.
func (r Range) Width() float64 { return r.Hi - r.Lo }

// Finding is a hidden count a reader can narrow too far.
type Finding struct {
	System string
	Range
	// Reason says what the reader learns.
	Reason string
	// Tables are the published tables that hold the count: combined, they
	// give the narrow interval.
	Tables []string
}

func (f Finding) String() string {
	hi := "∞"
	if !math.IsInf(f.Hi, 1) {
		hi = fmt.Sprint(f.Hi)
	}
	return fmt.Sprintf("%s: %s lies in [%v, %s]: %s (tables: %s)", f.System, f.Label, f.Lo, hi, f.Reason,
		strings.Join(f.Tables, " + "))
}

// intTolerance absorbs the simplex's rounding before bounds are rounded to
// whole numbers (every count is an integer).
const intTolerance = 1e-6

// Audit solves the interval of every hidden count and lists those narrower
// than k, or, for group sizes, those shown to be above zero.
func (s *System) Audit(k int64) ([]Range, []Finding, error) {
	return s.audit(k, false)
}

// Leaks reports the first finding, if any, without solving the rest: for
// telling whether a rule leaks at all.
func (s *System) Leaks(k int64) (*Finding, error) {
	_, findings, err := s.audit(k, true)
	if err != nil || len(findings) == 0 {
		return nil, err
	}
	return &findings[0], nil
}

func (s *System) audit(k int64, first bool) ([]Range, []Finding, error) {
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	p, err := s.program()
	if err != nil {
		return nil, nil, err
	}
	zero := s.zeroByTotal()
	var ranges []Range
	var findings []Finding
	for _, id := range s.ids {
		c := s.cells[id]
		if c.kind != Hidden && c.kind != HiddenGroup && c.kind != HiddenValue {
			continue
		}
		lo, hi, err := p.bounds(p.col[id])
		if err != nil {
			return nil, nil, fmt.Errorf("disclosure: %s, %s: %w", s.Name, s.Label(id), err)
		}
		if first && len(findings) > 0 {
			break
		}
		r := Range{ID: id, Label: s.Label(id), Kind: c.kind, Lo: lo, Hi: hi}
		ranges = append(ranges, r)
		switch {
		case zero[id]:
			// A part of a line whose total is shown as 0 is 0: hiding it
			// neither protects nor reveals anything.
		case c.kind == HiddenValue:
			if r.Lo > 0 {
				findings = append(findings, Finding{System: s.Name, Range: r, Tables: s.tablesOf(id),
					Reason: "someone in the group is shown to have given this answer"})
			}
		case r.Width() < float64(k):
			findings = append(findings, Finding{System: s.Name, Range: r, Tables: s.tablesOf(id),
				Reason: fmt.Sprintf("narrower than %d", k)})
		case c.kind == HiddenGroup && r.Lo > 0:
			findings = append(findings, Finding{System: s.Name, Range: r, Tables: s.tablesOf(id),
				Reason: "the group is shown to have respondents"})
		}
	}
	return ranges, findings, nil
}

// zeroByTotal marks the counts that are parts of a line whose total is
// shown as 0, or bounded by a count shown as 0.
func (s *System) zeroByTotal() map[string]bool {
	out := map[string]bool{}
	for _, p := range s.atMost {
		if c := s.cells[p[1]]; c.kind == Shown && c.value == 0 {
			out[p[0]] = true
		}
	}
	for _, sm := range s.sums {
		if c := s.cells[sm.total]; c.kind == Shown && c.value == 0 {
			for _, p := range sm.parts {
				out[p] = true
			}
		}
	}
	return out
}

// program is the system in the standard form of a linear program: every
// unknown count (and a slack per inequality) is a column ≥ 0, every
// relation a row of Ax = b.
type program struct {
	col  map[string]int
	rows [][]float64
	b    []float64
	n    int
	// solved caches each component's independent rows, by its first column.
	comp    []int // column → component (first column), -1 for none yet
	systems map[int]*component
}

type component struct {
	cols []int
	a    *mat.Dense
	b    []float64
	err  error
}

func (s *System) program() (*program, error) {
	p := &program{col: map[string]int{}}
	for _, id := range s.ids {
		if s.cells[id].kind != Shown {
			p.col[id] = p.n
			p.n++
		}
	}
	type term struct {
		col  int
		coef float64
	}
	var pending [][]term
	var rhs []float64
	add := func(ts []term, b float64, what string) error {
		if len(ts) == 0 {
			if math.Abs(b) > intTolerance {
				return fmt.Errorf("disclosure: %s: the shown figures contradict %s", s.Name, what)
			}
			return nil
		}
		pending = append(pending, ts)
		rhs = append(rhs, b)
		return nil
	}
	// side puts a count on the unknown side (coefficient coef) or moves its
	// value to the right-hand side.
	side := func(ts []term, b float64, id string, coef float64) ([]term, float64) {
		if c := s.cells[id]; c.kind == Shown {
			return ts, b - coef*float64(c.value)
		}
		return append(ts, term{p.col[id], coef}), b
	}
	for _, sm := range s.sums {
		var ts []term
		b := 0.0
		ts, b = side(ts, b, sm.total, -1)
		for _, part := range sm.parts {
			ts, b = side(ts, b, part, 1)
		}
		if err := add(ts, b, sm.table); err != nil {
			return nil, err
		}
	}
	for _, pair := range s.atMost {
		var ts []term
		b := 0.0
		ts, b = side(ts, b, pair[0], 1)
		ts, b = side(ts, b, pair[1], -1)
		if len(ts) == 0 {
			if b < -intTolerance {
				return nil, fmt.Errorf("disclosure: %s: %s exceeds %s", s.Name, s.Label(pair[0]), s.Label(pair[1]))
			}
			continue
		}
		ts = append(ts, term{p.n, 1}) // slack: small − large + slack = 0
		p.n++
		if err := add(ts, b, "a bound"); err != nil {
			return nil, err
		}
	}
	for i, ts := range pending {
		full := make([]float64, p.n)
		for _, t := range ts {
			full[t.col] += t.coef
		}
		if rhs[i] < 0 {
			for j := range full {
				full[j] = -full[j]
			}
			rhs[i] = -rhs[i]
		}
		p.rows = append(p.rows, full)
		p.b = append(p.b, rhs[i])
	}
	return p, nil
}

// bounds solves the least and greatest value of column j, rounded inward
// to whole numbers.
func (p *program) bounds(j int) (lo, hi float64, err error) {
	cp := p.componentOf(j)
	if cp == nil {
		return 0, math.Inf(1), nil
	}
	if cp.err != nil {
		return 0, 0, cp.err
	}
	a, b, cols := cp.a, cp.b, cp.cols
	at := slices.Index(cols, j)
	c := make([]float64, len(cols))
	c[at] = 1
	minF, _, err := lp.Simplex(c, a, b, 1e-10, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("least value: %w", err)
	}
	c[at] = -1
	maxF, _, err := lp.Simplex(c, a, b, 1e-10, nil)
	switch {
	case errors.Is(err, lp.ErrUnbounded):
		hi = math.Inf(1)
	case err != nil:
		return 0, 0, fmt.Errorf("greatest value: %w", err)
	default:
		hi = math.Floor(-maxF + intTolerance)
	}
	lo = math.Max(0, math.Ceil(minF-intTolerance))
	return lo, hi, nil
}

// componentOf returns the linear program of column j's component, nil when
// j is in no relation.
func (p *program) componentOf(j int) *component {
	if p.systems == nil {
		p.systems = map[int]*component{}
		p.comp = make([]int, p.n)
		for i := range p.comp {
			p.comp[i] = -1
		}
	}
	if first := p.comp[j]; first >= 0 {
		return p.systems[first]
	}
	rows, cols := p.component(j)
	if len(rows) == 0 {
		return nil
	}
	cp := &component{cols: cols}
	cp.a, cp.b, cp.err = independent(p.rows, p.b, rows, cols)
	for _, c := range cols {
		p.comp[c] = cols[0]
	}
	p.systems[cols[0]] = cp
	return cp
}

// component returns the rows and columns linked to column j through
// shared rows: the rest of the program cannot affect its bounds.
func (p *program) component(j int) (rows, cols []int) {
	inCol := map[int]bool{j: true}
	inRow := map[int]bool{}
	queue := []int{j}
	for len(queue) > 0 {
		col := queue[0]
		queue = queue[1:]
		for r, row := range p.rows {
			if inRow[r] || row[col] == 0 {
				continue
			}
			inRow[r] = true
			for c, v := range row {
				if v != 0 && !inCol[c] {
					inCol[c] = true
					queue = append(queue, c)
				}
			}
		}
	}
	for r := range p.rows {
		if inRow[r] {
			rows = append(rows, r)
		}
	}
	for c := range inCol {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	return rows, cols
}

// independent returns the chosen rows restricted to the chosen columns,
// without the rows that are combinations of others (the simplex needs full
// row rank), as A and b.
func independent(allRows [][]float64, allB []float64, rows, cols []int) (*mat.Dense, []float64, error) {
	work := make([][]float64, len(rows))
	for i, r := range rows {
		w := make([]float64, len(cols)+1)
		for k, c := range cols {
			w[k] = allRows[r][c]
		}
		w[len(cols)] = allB[r]
		work[i] = w
	}
	// Gaussian elimination with partial pivoting on a copy, to find which
	// rows are independent; the kept rows are the originals.
	echelon := make([][]float64, len(work))
	for i := range work {
		echelon[i] = slices.Clone(work[i])
	}
	var keep []int
	used := make([]bool, len(echelon))
	for c := range cols {
		pivot, best := -1, 1e-9
		for i := range echelon {
			if !used[i] && math.Abs(echelon[i][c]) > best {
				pivot, best = i, math.Abs(echelon[i][c])
			}
		}
		if pivot < 0 {
			continue
		}
		used[pivot] = true
		keep = append(keep, pivot)
		for i := range echelon {
			if i == pivot || echelon[i][c] == 0 {
				continue
			}
			f := echelon[i][c] / echelon[pivot][c]
			for k := c; k <= len(cols); k++ {
				echelon[i][k] -= f * echelon[pivot][k]
			}
		}
	}
	for i := range echelon {
		if !used[i] && math.Abs(echelon[i][len(cols)]) > intTolerance {
			return nil, nil, errors.New("the shown figures contradict each other")
		}
	}
	slices.Sort(keep)
	a := mat.NewDense(len(keep), len(cols), nil)
	b := make([]float64, len(keep))
	for i, r := range keep {
		for k := range cols {
			a.Set(i, k, work[r][k])
		}
		b[i] = work[r][len(cols)]
	}
	return a, b, nil
}

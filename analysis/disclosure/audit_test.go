package disclosure

import (
	"math"
	"testing"
)

// line builds a system of one line: total = Σ parts, with the parts given
// as (value, hidden) and the total shown.
func line(parts []int64, hidden []bool, groups bool) *System {
	s := NewSystem("line")
	var total int64
	var ids []string
	for i, v := range parts {
		id := string(rune('a' + i))
		ids = append(ids, id)
		total += v
		switch {
		case !hidden[i]:
			s.Set(id, Shown, v, id)
		case groups:
			s.Set(id, HiddenGroup, 0, id)
		default:
			s.Set(id, Hidden, 0, id)
		}
	}
	s.Set("t", Shown, total, "t")
	s.Sum("table", "t", ids...)
	return s
}

func TestAuditOneLine(t *testing.T) {
	for _, tc := range []struct {
		name     string
		parts    []int64
		hidden   []bool
		findings int
		lo, hi   float64 // of part a
	}{
		{"one hidden cell is the total minus the rest", []int64{3, 20, 30}, []bool{true, false, false}, 1, 3, 3},
		{"two small hidden cells add up to fewer than k", []int64{3, 1, 30}, []bool{true, true, false}, 2, 0, 4},
		{"two hidden cells adding up to k or more", []int64{3, 9, 30}, []bool{true, true, false}, 0, 0, 12},
		{"a hidden zero widens nothing on its own", []int64{3, 0, 30}, []bool{true, true, false}, 2, 0, 3},
		{"nothing hidden", []int64{3, 9, 30}, []bool{false, false, false}, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ranges, findings, err := line(tc.parts, tc.hidden, false).Audit(5)
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) != tc.findings {
				t.Fatalf("findings %v, want %d", findings, tc.findings)
			}
			for _, r := range ranges {
				if r.ID == "a" && (r.Lo != tc.lo || r.Hi != tc.hi) {
					t.Errorf("a in [%v, %v], want [%v, %v]", r.Lo, r.Hi, tc.lo, tc.hi)
				}
			}
		})
	}
}

// A reader who knows every hidden group has someone in it (because empty
// groups are shown as 0) narrows each: modelled here by the total of two
// hidden groups being the same as their shown sum minus a third.
func TestAuditGroupExistence(t *testing.T) {
	s := NewSystem("existence")
	s.Set("t", Shown, 12, "t")
	s.Set("a", HiddenGroup, 0, "a")
	s.Set("b", HiddenGroup, 0, "b")
	s.Set("b_answered", Shown, 7, "b answered item")
	s.Sum("table", "t", "a", "b")
	s.AtMost("b_answered", "b")
	_, findings, err := s.Audit(5)
	if err != nil {
		t.Fatal(err)
	}
	// b ≥ 7, so a ≤ 5; a in [0,5] has width 5: fine. b in [7,12]: width 5,
	// but b is shown to have respondents.
	if len(findings) != 1 || findings[0].ID != "b" || findings[0].Lo != 7 || findings[0].Hi != 12 {
		t.Fatalf("findings %v", findings)
	}
}

// The classic two-way table: units × answer with both margins. One hidden
// cell per row and column is determined; hiding a 2×2 rectangle protects
// each cell by the smallest of the rectangle's other cells.
func TestAuditTwoWayTable(t *testing.T) {
	build := func(hidden map[string]bool) *System {
		s := NewSystem("two-way")
		cells := map[string]int64{"u1a": 2, "u1b": 10, "u2a": 8, "u2b": 9, "u3a": 6, "u3b": 7}
		for id, v := range cells {
			if hidden[id] {
				s.Set(id, Hidden, 0, id)
			} else {
				s.Set(id, Shown, v, id)
			}
		}
		for _, r := range []string{"u1", "u2", "u3"} {
			s.Set(r, Shown, cells[r+"a"]+cells[r+"b"], r)
			s.Sum("units", r, r+"a", r+"b")
		}
		s.Set("a", Shown, 16, "a")
		s.Set("b", Shown, 26, "b")
		s.Sum("answers", "a", "u1a", "u2a", "u3a")
		s.Sum("answers", "b", "u1b", "u2b", "u3b")
		return s
	}
	_, findings, _ := build(map[string]bool{"u1a": true}).Audit(5)
	if len(findings) != 1 {
		t.Fatalf("one hidden cell: %v", findings)
	}
	ranges, findings, err := build(map[string]bool{"u1a": true, "u1b": true, "u2a": true, "u2b": true}).Audit(5)
	if err != nil {
		t.Fatal(err)
	}
	// u1a can move by up to min(u1b, u2a) = 8 down… but not below 0: [0, 10].
	for _, r := range ranges {
		if r.ID == "u1a" && (r.Lo != 0 || r.Hi != 10) {
			t.Errorf("u1a in [%v, %v], want [0, 10]", r.Lo, r.Hi)
		}
	}
	if len(findings) != 0 {
		t.Errorf("rectangle: %v", findings)
	}
}

func TestAuditUnboundedAndIsolated(t *testing.T) {
	s := NewSystem("free")
	s.Set("x", Hidden, 0, "a hidden unit in no total")
	ranges, findings, err := s.Audit(5)
	if err != nil || len(findings) != 0 || !math.IsInf(ranges[0].Hi, 1) {
		t.Fatalf("ranges %v findings %v err %v", ranges, findings, err)
	}
	s = NewSystem("latent")
	s.Set("t", Shown, 40, "t")
	s.Set("mine", Shown, 30, "my unit")
	s.Set("others", Latent, 0, "units I do not see")
	s.Set("h1", Hidden, 0, "h1")
	s.Set("h2", Hidden, 0, "h2")
	s.Set("s", Shown, 36, "s")
	s.Sum("units", "t", "mine", "others")
	s.Sum("segments", "t", "h1", "h2", "s")
	_, findings, err = s.Audit(5)
	if err != nil || len(findings) != 2 {
		t.Fatalf("h1+h2 = 9 − … both in [0, 4]: %v %v", findings, err)
	}
}

func TestAuditContradiction(t *testing.T) {
	s := NewSystem("bad")
	s.Set("t", Shown, 10, "t")
	s.Set("a", Shown, 4, "a")
	s.Set("b", Shown, 5, "b")
	s.Sum("table", "t", "a", "b")
	if _, _, err := s.Audit(5); err == nil {
		t.Fatal("10 = 4 + 5 accepted")
	}
	s = NewSystem("unknown")
	s.Sum("table", "t", "a")
	if _, _, err := s.Audit(5); err == nil {
		t.Fatal("a sum of unknown counts accepted")
	}
}

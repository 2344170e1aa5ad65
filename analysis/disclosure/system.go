// Package disclosure checks published tables the way a determined reader
// attacks them. Every figure Stemme shows about a group of respondents is a
// count (how many answered, how many answered a question) or is computed
// from counts the same page shows; hidden counts are unknowns that the
// shown ones constrain through the tables' additive structure (a total is
// the sum of its parts) and through the obvious bounds (no count is
// negative, nobody answers a question without answering the survey).
//
// For each hidden count the reader's best knowledge is the interval of
// values consistent with everything shown: its minimum and maximum under
// those linear constraints, a linear program. Integrality narrows it to the
// whole numbers inside. A hidden count is protected when that interval is
// at least k wide and, for the size of a group, when it still includes 0:
// then the reader can neither tell how many are in the group to better than
// k, nor whether anybody is in it at all. Statistical offices call this the
// protection interval of a suppressed cell (τ-ARGUS); the bounds are solved
// here with gonum's simplex.
//
// A System holds one set of related counts: one measure (the respondents,
// or those who answered one question) over every group a reader sees,
// together with the respondent counts it is bounded by. Systems are audited
// one at a time; counts of different questions are not linked by any shown
// figure other than the respondent counts each system includes.
package disclosure

import (
	"fmt"
	"slices"
)

// Kind says what a reader knows of a count.
type Kind int

// Kinds of count.
const (
	// Shown counts are published.
	Shown Kind = iota
	// Hidden counts are suppressed and must be protected.
	Hidden
	// HiddenGroup is a hidden group size: besides the width of its
	// interval, the reader must not learn that it is above zero.
	HiddenGroup
	// HiddenValue is a hidden count of one answer value in a hidden group:
	// the reader must not be able to prove that anyone in the group gave
	// it (its interval must include 0). Its width is not checked: a value
	// that few in a large hidden group gave is as narrow as in a shown one.
	HiddenValue
	// Latent counts are not published at all and need no protection
	// themselves (the units a unit leader does not see, say), but take
	// part in the sums.
	Latent
)

// System is a set of counts and the linear relations a reader knows
// between them.
type System struct {
	Name   string
	ids    []string
	cells  map[string]*cell
	sums   []sum
	atMost [][2]string // small ≤ large
}

type cell struct {
	kind  Kind
	value int64
	label string
}

type sum struct {
	table string
	total string
	parts []string
}

// NewSystem returns an empty system.
func NewSystem(name string) *System {
	return &System{Name: name, cells: map[string]*cell{}}
}

// Set records what a reader knows of the count id: its value when Shown.
// label names it for people ("Solbakken, item info_contact").
func (s *System) Set(id string, kind Kind, value int64, label string) {
	c, ok := s.cells[id]
	if !ok {
		c = &cell{}
		s.cells[id] = c
		s.ids = append(s.ids, id)
	}
	c.kind, c.value, c.label = kind, value, label
	if kind != Shown {
		c.value = 0
	}
}

// Sum records that total is the sum of parts, as a table shows them (table
// names the table for the report).
func (s *System) Sum(table, total string, parts ...string) {
	s.sums = append(s.sums, sum{table: table, total: total, parts: slices.Clone(parts)})
}

// AtMost records small ≤ large (those who answered a question are among
// the group's respondents).
func (s *System) AtMost(small, large string) {
	s.atMost = append(s.atMost, [2]string{small, large})
}

// Label returns the label of a count.
func (s *System) Label(id string) string {
	if c := s.cells[id]; c != nil && c.label != "" {
		return c.label
	}
	return id
}

// Kind returns what a reader knows of a count, and whether it exists.
func (s *System) Kind(id string) (Kind, bool) {
	c, ok := s.cells[id]
	if !ok {
		return 0, false
	}
	return c.kind, true
}

// Value returns a shown count.
func (s *System) Value(id string) int64 {
	if c := s.cells[id]; c != nil {
		return c.value
	}
	return 0
}

// check reports a relation naming a count that was never set.
func (s *System) check() error {
	known := func(id string) error {
		if _, ok := s.cells[id]; !ok {
			return fmt.Errorf("disclosure: %s names the unknown count %q", s.Name, id)
		}
		return nil
	}
	for _, sm := range s.sums {
		if err := known(sm.total); err != nil {
			return err
		}
		for _, p := range sm.parts {
			if err := known(p); err != nil {
				return err
			}
		}
	}
	for _, p := range s.atMost {
		if err := known(p[0]); err != nil {
			return err
		}
		if err := known(p[1]); err != nil {
			return err
		}
	}
	return nil
}

// tablesOf lists the tables a count appears in.
func (s *System) tablesOf(id string) []string {
	var out []string
	for _, sm := range s.sums {
		if sm.total == id || slices.Contains(sm.parts, id) {
			if !slices.Contains(out, sm.table) {
				out = append(out, sm.table)
			}
		}
	}
	return out
}

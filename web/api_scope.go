package web

import (
	"slices"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// readScope is what a user may read of results and reviewed text, in pages
// and through the API alike: admins and advisors everything, the council
// published waves, unit leaders the waves and units of their grants.
type readScope struct {
	all, council bool
	units        map[string]bool
}

func scopeOf(u *staff.User) readScope {
	s := readScope{units: map[string]bool{}}
	if u == nil {
		return s
	}
	s.all = u.HasAny(staff.RoleAdmin, staff.RoleAdvisor)
	s.council = u.Has(staff.RoleCouncil)
	for _, unit := range u.UnitsFor(staff.RoleUnitLeader) {
		s.units[unit] = true
	}
	return s
}

// reads reports whether the user may read any results at all.
func (s readScope) reads() bool { return s.all || s.council || len(s.units) > 0 }

// ownUnits reports whether the wave covers any of the user's units.
func (s readScope) ownUnits(w *surveys.Wave) bool {
	return slices.ContainsFunc(w.Units, func(u string) bool { return s.units[u] })
}

// wave reports whether the user may see the wave at all. Drafts have no
// results; only admins and advisors see them listed.
func (s readScope) wave(w *surveys.Wave) bool {
	switch {
	case s.all:
		return true
	case w.Status == surveys.WaveDraft:
		return false
	case s.council && w.Published != "":
		return true
	}
	return s.ownUnits(w)
}

// unit reports whether the user may see a unit of a visible wave; the
// municipality (analysis.Municipality, "") is seen by all who see the wave,
// since it is suppressed like every other group.
func (s readScope) unit(w *surveys.Wave, unit string) bool {
	if s.all || (s.council && w.Published != "") {
		return true
	}
	if unit == "" {
		return s.ownUnits(w)
	}
	return s.units[unit]
}

package surveys

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stemme/stemme/contact"
)

// The hierarchy: one municipality at the top; sectors under it (and
// sub-sectors under sectors, as larger municipalities have them); service
// units under a sector or directly under the municipality. Service units
// have nothing under them.

// Limits on a unit's text fields, in characters.
const (
	MaxUnitName  = 200
	MaxUnitField = 300
)

// UnitError is one problem with one unit: the field and a locale message id
// with its arguments.
type UnitError struct {
	Unit    string
	Field   string
	Message string
	Args    map[string]any
}

func (e UnitError) Error() string {
	return "surveys: unit " + e.Unit + ": " + e.Field + ": " + e.Message
}

// UnitErrors is every problem found.
type UnitErrors []UnitError

func (es UnitErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Level reports whether a kind is a level of the hierarchy (municipality or
// sector) rather than a service unit.
func Level(kind string) bool { return kind == KindMunicipality || kind == KindSector }

// NormalizeUnit trims a unit's fields as forms and spreadsheets give them.
func NormalizeUnit(u *Unit) {
	u.ID, u.Parent, u.Kind = strings.TrimSpace(u.ID), strings.TrimSpace(u.Parent), strings.TrimSpace(u.Kind)
	u.Name, u.Address, u.Phone = contact.OneLine(u.Name), contact.OneLine(u.Address), contact.OneLine(u.Phone)
	u.Email = contact.NormalizeEmail(u.Email)
	u.PhoneHours, u.VisitingHours = contact.OneLine(u.PhoneHours), contact.OneLine(u.VisitingHours)
}

// CheckUnitChange checks a new or changed unit against every other unit.
func CheckUnitChange(all []Unit, u Unit, isNew bool) error {
	NormalizeUnit(&u)
	set := map[string]Unit{}
	for _, x := range all {
		set[x.ID] = x
	}
	var errs UnitErrors
	if _, exists := set[u.ID]; exists && isNew {
		errs = append(errs, UnitError{u.ID, "id", "units.error.exists", nil})
	}
	set[u.ID] = u
	errs = append(errs, unitProblems(set, u)...)
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// unitProblems lists what is wrong with u within the set of every unit.
func unitProblems(set map[string]Unit, u Unit) UnitErrors {
	var errs UnitErrors
	add := func(field, msg string, args map[string]any) { errs = append(errs, UnitError{u.ID, field, msg, args}) }
	if !ValidKey(u.ID) {
		add("id", "units.error.key", nil)
	}
	switch n := utf8.RuneCountInString(u.Name); {
	case n == 0:
		add("name", "units.error.name", nil)
	case n > MaxUnitName:
		add("name", "units.error.too_long", map[string]any{"Max": MaxUnitName})
	}
	if !slices.Contains(UnitKinds, u.Kind) {
		add("kind", "units.error.kind", map[string]any{"Kind": u.Kind})
	}
	if u.Email != "" && !contact.ValidEmail(u.Email) {
		add("email", "units.error.email", nil)
	}
	if u.Phone != "" && !contact.ValidPhone(u.Phone) {
		add("phone", "units.error.phone", nil)
	}
	for field, v := range map[string]string{"address": u.Address, "phone_hours": u.PhoneHours, "visiting_hours": u.VisitingHours} {
		if utf8.RuneCountInString(v) > MaxUnitField {
			add(field, "units.error.too_long", map[string]any{"Max": MaxUnitField})
		}
	}
	errs = append(errs, parentProblems(set, u)...)
	for _, child := range set {
		if child.Parent != u.ID || child.ID == u.ID {
			continue
		}
		if !Level(u.Kind) {
			add("kind", "units.error.has_children", map[string]any{"Child": child.Name})
			break
		}
		if !u.Active && child.Active {
			add("active", "units.error.active_children", map[string]any{"Child": child.Name})
			break
		}
	}
	return errs
}

// parentProblems checks where u hangs in the hierarchy.
func parentProblems(set map[string]Unit, u Unit) UnitErrors {
	fail := func(msg string, args map[string]any) UnitErrors {
		return UnitErrors{{u.ID, "parent", msg, args}}
	}
	if u.Kind == KindMunicipality {
		if u.Parent != "" {
			return fail("units.error.municipality_parent", nil)
		}
		for _, other := range set {
			if other.ID != u.ID && other.Kind == KindMunicipality && other.Active && u.Active {
				return fail("units.error.second_municipality", map[string]any{"Other": other.Name})
			}
		}
		return nil
	}
	if u.Parent == "" {
		return fail("units.error.parent_required", nil)
	}
	parent, ok := set[u.Parent]
	switch {
	case !ok:
		return fail("units.error.parent_unknown", map[string]any{"Parent": u.Parent})
	case !Level(parent.Kind):
		return fail("units.error.parent_kind", map[string]any{"Parent": parent.Name})
	case u.Kind == KindSector && parent.Kind != KindMunicipality && parent.Kind != KindSector:
		return fail("units.error.parent_kind", map[string]any{"Parent": parent.Name})
	case u.Active && !parent.Active:
		return fail("units.error.parent_inactive", map[string]any{"Parent": parent.Name})
	}
	// Walk up: reaching u again is a cycle; the walk is bounded by the set.
	seen := map[string]bool{u.ID: true}
	for p := u.Parent; p != ""; p = set[p].Parent {
		if seen[p] {
			return fail("units.error.cycle", nil)
		}
		seen[p] = true
		if _, ok := set[p]; !ok {
			break
		}
	}
	return nil
}

// TreeUnit is a unit with its depth in the hierarchy, for listing as a tree.
type TreeUnit struct {
	Unit
	Depth int
}

// UnitTree orders units depth-first under their parents, siblings by name;
// units whose parent is missing (or in a cycle) come last at depth 0.
func UnitTree(units []Unit) []TreeUnit {
	children := map[string][]Unit{}
	ids := map[string]bool{}
	for _, u := range units {
		ids[u.ID] = true
	}
	for _, u := range units {
		parent := u.Parent
		if !ids[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], u)
	}
	for _, cs := range children {
		slices.SortFunc(cs, func(a, b Unit) int { return strings.Compare(a.Name, b.Name) })
	}
	var out []TreeUnit
	placed := map[string]bool{}
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		for _, c := range children[id] {
			if placed[c.ID] {
				continue
			}
			placed[c.ID] = true
			out = append(out, TreeUnit{c, depth})
			walk(c.ID, depth+1)
		}
	}
	walk("", 0)
	for _, u := range units {
		if !placed[u.ID] {
			out = append(out, TreeUnit{u, 0})
		}
	}
	return out
}

package feedback

import (
	"slices"

	"github.com/stemme/stemme/staff"
)

// CanHandle reports whether a user may see a unit's contact requests and
// feedback text: admins for every unit, follow-up staff for the units of
// their follow-up grants. Advisors and unit leaders may not, even though
// they see the unit's survey results: contact data is never shown next to
// results, and unreviewed text only to those who follow up.
func CanHandle(u staff.User, unit string) bool {
	if u.Has(staff.RoleAdmin) {
		return true
	}
	return slices.Contains(u.UnitsFor(staff.RoleFollowUp), unit)
}

// HandledUnits returns the units a user handles, and all=true for admins.
func HandledUnits(u staff.User) (units []string, all bool) {
	if u.Has(staff.RoleAdmin) {
		return nil, true
	}
	return u.UnitsFor(staff.RoleFollowUp), false
}

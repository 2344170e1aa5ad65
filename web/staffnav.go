package web

import (
	"strings"

	"github.com/stemme/stemme/staff"
)

// The staff menu groups the pages by task, each group a <details> that
// opens without JavaScript; a user sees the groups and links their roles
// reach. Page titles serve as link texts where they are clear; the two
// kinds of free text are named apart.

// navGroup is one group of the staff menu.
type navGroup struct {
	Key, Label string
	Links      []navLink
	// Current marks the group of the page shown.
	Current bool
}

type navLink struct {
	Href, Label string
	Current     bool
}

// navEntry is a link of the menu and who sees it.
type navEntry struct {
	href, label string
	roles       []staff.Role
}

var (
	advisors       = []staff.Role{staff.RoleAdmin, staff.RoleAdvisor}
	resultReaders  = []staff.Role{staff.RoleAdmin, staff.RoleAdvisor, staff.RoleUnitLeader}
	councilReaders = []staff.Role{staff.RoleAdmin, staff.RoleAdvisor, staff.RoleCouncil}
	textReaders    = []staff.Role{staff.RoleAdmin, staff.RoleAdvisor, staff.RoleUnitLeader, staff.RoleCouncil}
	followUpStaff  = []staff.Role{staff.RoleAdmin, staff.RoleFollowUp}
	admins         = []staff.Role{staff.RoleAdmin}
)

// staffMenu is the menu, group by group, in the order of the work.
var staffMenu = []struct {
	key     string
	entries []navEntry
}{
	{"surveys", []navEntry{
		{"/admin/waves", "waves.title", advisors},
		{"/admin/plan", "plan.title", advisors},
		{"/admin/instruments", "instruments.title", advisors},
		{"/admin/units", "units.title", advisors},
		{"/admin/invitations", "invitations.title", advisors},
	}},
	{"results", []navEntry{
		{"/admin/results", "results.title", resultReaders},
		{"/admin/review", "staffnav.review", advisors},
		{"/admin/texts", "staffnav.texts", textReaders},
		{"/admin/export", "export.title", textReaders},
	}},
	{"actions", []navEntry{
		{"/admin/actions", "actions.title", resultReaders},
		{"/admin/actions/new", "actions.new_title", advisors},
		{"/admin/actions/import", "actions.import.title", advisors},
	}},
	{"council", []navEntry{
		{"/admin/council", "staffnav.council_home", councilReaders},
		{"/admin/council/results", "results.council.title", councilReaders},
		{"/admin/report", "report.nav", councilReaders},
	}},
	{"followup", []navEntry{
		{"/admin/followup", "staffnav.requests", followUpStaff},
		{"/admin/register", "register.title", followUpStaff},
		{"/admin/feedback", "followup.feedback_title", followUpStaff},
		{"/admin/feedback/stats", "followup.stats_title", advisors},
	}},
	{"admin", []navEntry{
		{"/admin/users", "users.title", admins},
		{"/admin/audit", "audit.title", admins},
		{"/admin/outbox", "outbox.nav", admins},
		{"/admin/arenas", "arenas.title", admins},
		{"/admin/branding", "branding.title", admins},
	}},
}

// Menu is the staff menu for the signed-in user, the group and link of the
// page shown marked.
func (p *page) Menu() []navGroup {
	if p.User == nil {
		return nil
	}
	var out []navGroup
	current := ""
	for _, g := range staffMenu {
		ng := navGroup{Key: g.key, Label: p.T("staffnav.group." + g.key)}
		for _, e := range g.entries {
			if len(e.roles) > 0 && !p.User.HasAny(e.roles...) {
				continue
			}
			ng.Links = append(ng.Links, navLink{Href: e.href, Label: p.T(e.label)})
			// The longest link the path falls under is the current page's.
			if (p.Path == e.href || strings.HasPrefix(p.Path, e.href+"/")) && len(e.href) > len(current) {
				current = e.href
			}
		}
		if len(ng.Links) > 0 {
			out = append(out, ng)
		}
	}
	for i := range out {
		for j := range out[i].Links {
			if out[i].Links[j].Href == current {
				out[i].Links[j].Current, out[i].Current = true, true
			}
		}
	}
	return out
}

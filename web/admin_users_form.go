package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
)

// userForm is the add/edit user form as posted.
type userForm struct {
	Email, Name string
	Roles       []string
	// Units per unit-bound role, from checkboxes named units_<role>.
	Units  map[string][]string
	Active bool
}

func parseUserForm(c *fiber.Ctx) userForm {
	f := userForm{Email: strings.TrimSpace(c.FormValue("email")), Name: strings.TrimSpace(c.FormValue("name")),
		Units: map[string][]string{}, Active: c.FormValue("active") == "on"}
	for k, v := range c.Request().PostArgs().All() {
		key, val := string(k), string(v)
		switch {
		case key == "role":
			f.Roles = append(f.Roles, val)
		case strings.HasPrefix(key, "units_"):
			role := strings.TrimPrefix(key, "units_")
			f.Units[role] = append(f.Units[role], val)
		}
	}
	return f
}

// Validate returns a message id for the first problem, or "".
func (f userForm) Validate(creating bool) string {
	if creating {
		if _, err := staff.NormalizeEmail(f.Email); err != nil {
			return "users.error.email"
		}
	}
	if f.Name == "" || len(f.Name) > 200 {
		return "users.error.name"
	}
	if _, err := f.grants(); err != nil {
		return "users.error.roles"
	}
	return ""
}

func (f userForm) grants() ([]staff.Grant, error) {
	var gs []staff.Grant
	for _, r := range staff.AllRoles {
		if !slices.Contains(f.Roles, string(r)) {
			continue
		}
		g := staff.Grant{Role: r}
		if r.UnitBound() {
			g.Units = f.Units[string(r)]
		}
		gs = append(gs, g)
	}
	return gs, staff.ValidateGrants(gs)
}

func formFromUser(u staff.User) userForm {
	f := userForm{Email: u.Email, Name: u.Name, Units: map[string][]string{}, Active: u.Active}
	for _, g := range u.Grants {
		f.Roles = append(f.Roles, string(g.Role))
		f.Units[string(g.Role)] = g.Units
	}
	return f
}

package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type usersView struct {
	Users     []staff.User
	Form      userForm
	Roles     []staff.Role
	Units     []surveys.Unit
	Error     string
	NewLink   string
	LinkFor   string
	EditingID string
	// HasTOTP offers the edited user's second factor for reset.
	HasTOTP bool
}

// usersList shows every user and the form to add one.
func (h *handler) usersList(c *fiber.Ctx) error {
	return h.renderUsers(c, fiber.StatusOK, usersView{Form: userForm{Active: true}})
}

func (h *handler) renderUsers(c *fiber.Ctx, status int, v usersView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	var err error
	if v.Users, err = h.staff.Users(ctx); err != nil {
		return storeError(err)
	}
	if v.Units, err = h.serviceUnits(c); err != nil {
		return err
	}
	v.Roles = staff.AllRoles
	p := h.staffPage(c, "users.title")
	if v.Error != "" {
		v.Error = p.T(v.Error)
	}
	p.Data = v
	return h.views.render(c, status, "users", p)
}

func (h *handler) serviceUnits(c *fiber.Ctx) ([]surveys.Unit, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	all, err := h.surveys.Units(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	var out []surveys.Unit
	for _, u := range all {
		if u.Kind != surveys.KindMunicipality && u.Kind != surveys.KindSector {
			out = append(out, u)
		}
	}
	return out, nil
}

// userCreate adds a user without a password and shows a one-time link for
// them to set one.
func (h *handler) userCreate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	f := parseUserForm(c)
	f.Active = true
	if msg := f.Validate(true); msg != "" {
		return h.renderUsers(c, fiber.StatusBadRequest, usersView{Form: f, Error: msg})
	}
	grants, _ := f.grants()
	u, link, err := h.ops.Users.Create(ctx, actor(c), staff.User{Email: f.Email, Name: f.Name, Grants: grants})
	if err != nil {
		if strings.Contains(err.Error(), "already exists") {
			return h.renderUsers(c, fiber.StatusConflict, usersView{Form: f, Error: "users.error.exists"})
		}
		return storeError(err)
	}
	return h.showLink(c, u, link)
}

// userLink issues a new password link for an existing user.
func (h *handler) userLink(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, err := h.staff.User(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	link, err := h.ops.Users.IssueLink(ctx, actor(c), u)
	if err != nil {
		return storeError(err)
	}
	return h.showLink(c, u, link)
}

// showLink shows a new password link. It is e-mailed through the outbox
// too; shown here as before, so an admin can hand it over when mail is
// slow or not configured.
func (h *handler) showLink(c *fiber.Ctx, u staff.User, link string) error {
	return h.renderUsers(c, fiber.StatusOK, usersView{Form: userForm{Active: true}, NewLink: link, LinkFor: u.Email})
}

// userEdit shows one user's form.
func (h *handler) userEdit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, err := h.staff.User(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	return h.renderUserEdit(c, fiber.StatusOK, u.ID, formFromUser(u), "")
}

func (h *handler) renderUserEdit(c *fiber.Ctx, status int, id string, f userForm, errMsg string) error {
	units, err := h.serviceUnits(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, err := h.staff.User(ctx, id)
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "users.edit_title")
	if errMsg != "" {
		errMsg = p.T(errMsg)
	}
	if c.Query("done") == "2fa" {
		p.Notice = p.T("twofa.done.reset")
	}
	p.Data = usersView{Form: f, Roles: staff.AllRoles, Units: units, Error: errMsg, EditingID: id, HasTOTP: u.HasTOTP()}
	return h.views.render(c, status, "user_edit", p)
}

// userUpdate changes a user's name, roles, units and active flag.
func (h *handler) userUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	u, err := h.staff.User(ctx, id)
	if err != nil {
		return storeError(err)
	}
	f := parseUserForm(c)
	f.Email = u.Email
	if msg := f.Validate(false); msg != "" {
		return h.renderUserEdit(c, fiber.StatusBadRequest, id, f, msg)
	}
	me := c.Locals(userKey).(*staff.User)
	grants, _ := f.grants()
	if id == me.ID && (!f.Active || !(staff.User{Grants: grants}).Has(staff.RoleAdmin)) {
		// An admin cannot lock themselves out; another admin must do it.
		return h.renderUserEdit(c, fiber.StatusBadRequest, id, f, "users.error.self")
	}
	if err := h.ops.Users.Update(ctx, actor(c), staff.User{ID: id, Email: u.Email, Name: f.Name, Grants: grants, Active: f.Active}); err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}

package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// unitsView is the tree of units with the form to add one, or the form of
// one unit being edited.
type unitsView struct {
	Tree    []surveys.TreeUnit
	Form    surveys.Unit
	Kinds   []choice
	Parents []choice
	Errors  map[string]string
	Error   string
	Editing bool
	// Active is the edited unit's state; the form does not change it.
	Active bool
	// Contact are the contact fields, in the order the form shows them.
	Contact []unitField
}

type unitField struct {
	Name, Type, Value, Error string
}

// unitsList shows every unit as a tree and the form to add one.
func (h *handler) unitsList(c *fiber.Ctx) error {
	p := h.staffPage(c, "units.title")
	switch {
	case c.Query("imported") != "":
		p.Notice = p.T("units.done.imported", "Added", c.Query("imported"), "Changed", c.Query("changed"))
	case c.Query("saved") != "":
		p.Notice = p.T("units.done.saved")
	}
	return h.renderUnits(c, fiber.StatusOK, p, unitsView{}, "units")
}

func (h *handler) renderUnits(c *fiber.Ctx, status int, p *page, v unitsView, tmpl string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	all, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	v.Tree = surveys.UnitTree(all)
	for _, k := range surveys.UnitKinds {
		v.Kinds = append(v.Kinds, choice{Value: k, Label: p.T("delta.units.kind." + k), Selected: k == v.Form.Kind})
	}
	v.Parents = append(v.Parents, choice{Value: "", Label: p.T("units.no_parent"), Selected: v.Form.Parent == ""})
	for _, t := range v.Tree {
		if surveys.Level(t.Kind) && t.ID != v.Form.ID {
			v.Parents = append(v.Parents, choice{Value: t.ID, Label: t.Name, Selected: t.ID == v.Form.Parent})
		}
	}
	f := v.Form
	for _, x := range []unitField{{"address", "text", f.Address, ""}, {"phone", "tel", f.Phone, ""},
		{"email", "email", f.Email, ""}, {"phone_hours", "text", f.PhoneHours, ""}, {"visiting_hours", "text", f.VisitingHours, ""}} {
		x.Error = v.Errors[x.Name]
		v.Contact = append(v.Contact, x)
	}
	p.Data = v
	return h.views.render(c, status, tmpl, p)
}

func parseUnitForm(c *fiber.Ctx) surveys.Unit {
	return surveys.Unit{ID: c.FormValue("id"), Name: c.FormValue("name"), Kind: c.FormValue("kind"),
		Parent: c.FormValue("parent"), Address: c.FormValue("address"), Phone: c.FormValue("phone"),
		Email: c.FormValue("email"), PhoneHours: c.FormValue("phone_hours"), VisitingHours: c.FormValue("visiting_hours")}
}

// unitRefused re-renders the form with each field's problem, keeping what was typed.
func (h *handler) unitRefused(c *fiber.Ctx, p *page, v unitsView, err error, tmpl string) error {
	var es surveys.UnitErrors
	if !errors.As(err, &es) {
		return storeError(err)
	}
	v.Errors = map[string]string{}
	v.Error = p.T("units.error.summary")
	for _, e := range es {
		v.Errors[e.Field] = p.TData(e.Message, e.Args)
		if e.Field == "active" {
			// Not a field of the form: the summary says it.
			v.Error = v.Errors[e.Field]
		}
	}
	return h.renderUnits(c, fiber.StatusBadRequest, p, v, tmpl)
}

// unitCreate adds a unit.
func (h *handler) unitCreate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "units.title")
	u := parseUnitForm(c)
	if err := h.ops.Units.Add(ctx, actor(c), u); err != nil {
		return h.unitRefused(c, p, unitsView{Form: u}, err, "units")
	}
	return c.Redirect("/admin/units?saved=1", fiber.StatusSeeOther)
}

// unitEdit shows one unit's form.
func (h *handler) unitEdit(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, err := h.surveys.Unit(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "units.edit_title")
	return h.renderUnits(c, fiber.StatusOK, p, unitsView{Form: u, Editing: true, Active: u.Active}, "unit_edit")
}

// unitUpdate saves a unit's fields; a new parent moves it in the tree.
func (h *handler) unitUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "units.edit_title")
	old, err := h.surveys.Unit(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	u := parseUnitForm(c)
	u.ID = old.ID
	if err := h.ops.Units.Update(ctx, actor(c), old, u); err != nil {
		return h.unitRefused(c, p, unitsView{Form: u, Editing: true, Active: old.Active}, err, "unit_edit")
	}
	return c.Redirect("/admin/units?saved=1", fiber.StatusSeeOther)
}

// unitActive deactivates a unit (active=no) or makes it active again.
func (h *handler) unitActive(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "units.edit_title")
	u, err := h.surveys.Unit(ctx, c.Params("id"))
	if err != nil {
		return storeError(err)
	}
	active := c.FormValue("active") == "yes"
	if err := h.ops.Units.SetActive(ctx, actor(c), u.ID, active); err != nil {
		return h.unitRefused(c, p, unitsView{Form: u, Editing: true, Active: u.Active}, err, "unit_edit")
	}
	return c.Redirect("/admin/units?saved=1", fiber.StatusSeeOther)
}

package web

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// actionFormView is the form with its choices.
type actionFormView struct {
	Form     *actionForm
	Areas    []choice
	Units    []choice
	Statuses []choice
	// Owners are the staff who may be named as the action's owner.
	Owners []choice
}

type choice struct {
	Value, Label string
	Selected     bool
}

// actionView is an action's page: the form (for advisors), notes, findings
// with their effect, and the council's comments.
type actionView struct {
	actionFormView
	Action    *actions.Action
	AreaName  string
	UnitNames string
	Notes     []actions.Note
	Effects   []effectView
	Comments  []council.Comment
	CanEdit   bool
	// CanWork is the owner's and unit leaders' part: status and notes.
	CanWork   bool
	NoteError string
	NoteText  string
}

func (h *handler) formChoices(c *fiber.Ctx, p *page, f *actionForm) (actionFormView, error) {
	v := actionFormView{Form: f}
	in, err := h.builtinInstrument(c)
	if err != nil {
		return v, err
	}
	v.Areas = append(v.Areas, choice{Value: "", Label: p.T("actions.no_focus_area"), Selected: f.FocusArea == ""})
	if in != nil {
		for _, a := range in.FocusAreas {
			v.Areas = append(v.Areas, choice{Value: a.Key, Label: a.Name.In(p.Lang), Selected: a.Key == f.FocusArea})
		}
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return v, storeError(err)
	}
	for _, u := range units {
		if u.Kind == surveys.KindMunicipality || u.Kind == surveys.KindSector || !u.Active {
			continue
		}
		v.Units = append(v.Units, choice{Value: u.ID, Label: u.Name, Selected: slices.Contains(f.Units, u.ID)})
	}
	users, err := h.staff.Users(ctx)
	if err != nil {
		return v, storeError(err)
	}
	v.Owners = append(v.Owners, choice{Value: "", Label: p.T("actions.owner_user_none"), Selected: f.OwnerUser == ""})
	for _, u := range users {
		// An owner must be able to open the action's page.
		if (u.Active && u.HasAny(staff.RoleAdmin, staff.RoleAdvisor, staff.RoleUnitLeader)) || u.ID == f.OwnerUser {
			v.Owners = append(v.Owners, choice{Value: u.ID, Label: u.Name + " (" + u.Email + ")", Selected: u.ID == f.OwnerUser})
		}
	}
	for _, s := range actions.Statuses {
		v.Statuses = append(v.Statuses, choice{Value: string(s), Label: p.T("actions.status." + string(s)),
			Selected: s == f.Status || (f.Status == "" && s == actions.Planned)})
	}
	return v, nil
}

func (h *handler) renderActionForm(c *fiber.Ctx, status int, p *page, f *actionForm, tmpl string) error {
	if tmpl == "action" {
		return h.renderAction(c, status, p, f.ID, f, "", "")
	}
	v, err := h.formChoices(c, p, f)
	if err != nil {
		return err
	}
	p.Data = v
	return h.views.render(c, status, tmpl, p)
}

// actionShow shows one action.
func (h *handler) actionShow(c *fiber.Ctx) error {
	p := h.staffPage(c, "actions.title")
	if c.Query("saved") != "" {
		p.Notice = p.T("actions.done.saved")
	}
	return h.renderAction(c, fiber.StatusOK, p, c.Params("id"), nil, "", "")
}

func (h *handler) renderAction(c *fiber.Ctx, status int, p *page, id string, form *actionForm, noteErr, noteText string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	a, err := h.actions.Get(ctx, id)
	if errors.Is(err, actions.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	if !canSeeAction(p.User, a) {
		return fiber.ErrForbidden
	}
	if form == nil {
		form = &actionForm{Action: *a}
	}
	fv, err := h.formChoices(c, p, form)
	if err != nil {
		return err
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := actionView{actionFormView: fv, Action: a, UnitNames: unitList(p, names, a.Units),
		CanEdit: p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor), CanWork: canWorkOnAction(p.User, a),
		NoteError: noteErr, NoteText: noteText}
	for _, o := range fv.Areas {
		if o.Value == a.FocusArea {
			v.AreaName = o.Label
		}
	}
	if v.Notes, err = h.actions.Notes(ctx, a.ID); err != nil {
		return storeError(err)
	}
	ev, err := actions.NewEvaluator(ctx, h.results, h.cfg.Store.DB, readerOf(p.User))
	if err != nil {
		return storeError(err)
	}
	if v.Effects, err = h.effects(ctx, p, ev, a, names, p.User); err != nil {
		return storeError(err)
	}
	if v.Comments, err = h.council.Comments(ctx, council.CommentTarget(council.TargetAction, a.ID)); err != nil {
		return storeError(err)
	}
	p.Title = a.Title
	p.Data = v
	return h.views.render(c, status, "action", p)
}

// actionUpdate saves the fields of an action; its owner and the leaders of
// its units change only its status.
func (h *handler) actionUpdate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "actions.title")
	a, err := h.workable(c, p)
	if err != nil {
		return err
	}
	if !p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		err := h.ops.Actions.SetStatus(ctx, actor(c), a.ID, actions.Status(c.FormValue("status")))
		if err != nil {
			return h.actionFormError(c, p, &actionForm{Action: *a}, err, "action")
		}
		return c.Redirect("/admin/actions/"+a.ID+"?saved=1", fiber.StatusSeeOther)
	}
	f := parseActionForm(c)
	f.ID = a.ID
	err = h.ops.Actions.Update(ctx, actor(c), &f.Action)
	switch {
	case errors.Is(err, actions.ErrNotFound):
		return fiber.ErrNotFound
	case err != nil:
		return h.actionFormError(c, p, &f, err, "action")
	}
	return c.Redirect("/admin/actions/"+f.ID+"?saved=1", fiber.StatusSeeOther)
}

// workable loads the :id action for a change by the signed-in user: 404
// when there is none, 403 when it is not theirs to work on.
func (h *handler) workable(c *fiber.Ctx, p *page) (*actions.Action, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	a, err := h.actions.Get(ctx, c.Params("id"))
	switch {
	case errors.Is(err, actions.ErrNotFound):
		return nil, fiber.ErrNotFound
	case err != nil:
		return nil, storeError(err)
	case !canWorkOnAction(p.User, a):
		return nil, fiber.ErrForbidden
	}
	return a, nil
}

// actionNote adds a dated progress note.
func (h *handler) actionNote(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "actions.title")
	if _, err := h.workable(c, p); err != nil {
		return err
	}
	id, text := c.Params("id"), c.FormValue("note")
	err := h.ops.Actions.AddNote(ctx, actor(c), id, text)
	var fe *actions.FieldError
	switch {
	case errors.Is(err, actions.ErrNotFound):
		return fiber.ErrNotFound
	case errors.As(err, &fe):
		return h.renderAction(c, fiber.StatusBadRequest, p, id, nil, p.T(fe.Message), text)
	case err != nil:
		return storeError(err)
	}
	return c.Redirect("/admin/actions/"+id+"?saved=1#notes", fiber.StatusSeeOther)
}

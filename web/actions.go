package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type actionsListView struct {
	Areas   []actionArea
	Overdue []actions.Action
	CanEdit bool
}

type actionArea struct {
	Name    string
	Actions []actionRow
}

type actionRow struct {
	actions.Action
	UnitNames string
	Effects   []effectView
}

// actionsList is the overview of every action by focus area with its effect.
func (h *handler) actionsList(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "actions.title")
	all, err := h.actions.List(ctx)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	in, err := h.builtinInstrument(c)
	if err != nil {
		return err
	}
	ev, err := actions.NewEvaluator(ctx, h.results, h.cfg.Store.DB, readerOf(p.User))
	if err != nil {
		return storeError(err)
	}
	v := actionsListView{CanEdit: p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor)}
	if n, err := strconv.Atoi(c.Query("imported")); err == nil {
		p.Notice = p.T("actions.done.imported", "Count", n)
	}
	byArea := map[string]*actionArea{}
	var order []string
	year := h.cfg.Now().In(surveys.Oslo).Year()
	for i := range all {
		a := &all[i]
		if !canSeeAction(p.User, a) {
			continue
		}
		if a.Overdue(year) {
			v.Overdue = append(v.Overdue, *a)
		}
		effects, err := h.effects(ctx, p, ev, a, names, p.User)
		if err != nil {
			return storeError(err)
		}
		area := byArea[a.FocusArea]
		if area == nil {
			name := p.T("actions.no_focus_area")
			if a.FocusArea != "" && in != nil {
				name = in.FocusAreaName(a.FocusArea, p.Lang)
			}
			area = &actionArea{Name: name}
			byArea[a.FocusArea] = area
			order = append(order, a.FocusArea)
		}
		area.Actions = append(area.Actions, actionRow{Action: *a, UnitNames: unitList(p, names, a.Units), Effects: effects})
	}
	for _, k := range order {
		v.Areas = append(v.Areas, *byArea[k])
	}
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "actions", p)
}

func unitList(p *page, names unitIndex, units []string) string {
	if len(units) == 0 {
		return p.T("actions.municipality")
	}
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = names.of(u)
	}
	return strings.Join(out, ", ")
}

// builtinInstrument is the latest published version of the built-in
// questionnaire, whose focus areas actions are filed under (nil if none).
func (h *handler) builtinInstrument(c *fiber.Ctx) (*surveys.Instrument, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	for v := 20; v >= 1; v-- {
		in, err := h.surveys.Instrument(ctx, surveys.InstrumentID("parorende", v))
		if err == nil && in.Status == surveys.InstrumentPublished {
			return in, nil
		}
	}
	// Any published instrument will do (the test fixture has its own).
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return nil, storeError(err)
	}
	for _, w := range waves {
		if in, err := h.surveys.Instrument(ctx, w.Instrument); err == nil {
			return in, nil
		}
	}
	return nil, nil
}

// actionForm is what the action form posts.
type actionForm struct {
	actions.Action
	// The finding to link, when the form came from a result.
	Wave, Unit, Item, Focus string
	FindingLabel            string
	Errors                  map[string]string
	Error                   string
}

func parseActionForm(c *fiber.Ctx) actionForm {
	f := actionForm{Action: actions.Action{
		Title: c.FormValue("title"), Description: c.FormValue("description"), FocusArea: c.FormValue("focus_area"),
		Owner: c.FormValue("owner"), OwnerUser: c.FormValue("owner_user"), Period: c.FormValue("period"),
		Status: actions.Status(c.FormValue("status")), FromFeedback: c.FormValue("from_feedback"),
	}, Wave: c.FormValue("wave"), Unit: c.FormValue("unit"), Item: c.FormValue("item"), Focus: c.FormValue("focus")}
	args := c.Request().PostArgs()
	for _, u := range args.PeekMulti("units") {
		if s := string(u); surveys.ValidKey(s) {
			f.Units = append(f.Units, s)
		}
	}
	return f
}

// findingOf reads the finding a form links from the wave's suppressed
// results; a hidden measure or unknown wave gives a translated error id.
func (h *handler) findingOf(c *fiber.Ctx, f *actionForm, p *page) (*actions.Finding, string) {
	if f.Wave == "" {
		return nil, ""
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	// Findings are linked by advisors, from results they may read.
	view, err := h.view(ctx, readerOf(p.User), f.Wave)
	if err != nil || view.Results == nil {
		return nil, "actions.error.finding"
	}
	r := view.Results
	fd, err := actions.NewFinding(r, f.Unit, f.Item, f.Focus)
	switch {
	case errors.Is(err, actions.ErrHidden):
		return nil, "actions.error.finding_hidden"
	case err != nil:
		return nil, "actions.error.finding"
	}
	names, _ := h.unitNames(c)
	f.FindingLabel = findingLabel(p, r, names, f.Unit, f.Item, f.Focus) + ": " +
		formatIndex(analysis.Interval{N: fd.N, Mean: fd.Index, Lo: fd.Lo, Hi: fd.Hi})
	return &fd, ""
}

// actionNew shows an empty action form, or one prefilled from a finding
// (/admin/actions/new?wave=W&unit=U&item=K or &focus=F).
func (h *handler) actionNew(c *fiber.Ctx) error {
	p := h.staffPage(c, "actions.new_title")
	f := actionForm{Wave: c.Query("wave"), Unit: c.Query("unit"), Item: c.Query("item"), Focus: c.Query("focus")}
	f.Period = surveys.LocalDate(h.cfg.Now())[:4]
	status := fiber.StatusOK
	if _, errKey := h.findingOf(c, &f, p); errKey != "" {
		f.Error, status = p.T(errKey), fiber.StatusBadRequest
		f.Wave, f.Unit, f.Item, f.Focus = "", "", "", ""
	}
	if f.Focus != "" {
		f.FocusArea = f.Focus
	}
	if f.Unit != "" {
		f.Units = []string{f.Unit}
	}
	if id := c.Query("feedback"); id != "" {
		h.fromFeedback(c, p, &f, id)
	}
	return h.renderActionForm(c, status, p, &f, "action_new")
}

// fromFeedback prefills an action from a standing feedback: its unit and
// focus area, and its text once the free-text review has passed it (the
// reviewed version), so no unreviewed text is copied anywhere.
func (h *handler) fromFeedback(c *fiber.Ctx, p *page, f *actionForm, id string) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	fb, err := h.feedback.Feedback(ctx, id)
	if err != nil {
		return
	}
	f.FromFeedback, f.FocusArea = fb.ID, fb.Focus
	if u, err := h.surveys.Unit(ctx, fb.Unit); err == nil && u.Active && u.ServiceUnit() {
		f.Units = []string{u.ID}
	}
	switch fb.Review {
	case feedback.ReviewApproved:
		f.Description = p.T("actions.feedback_quote", "Date", fb.Date) + "\n«" + fb.Text + "»"
	case feedback.ReviewRedacted:
		f.Description = p.T("actions.feedback_quote", "Date", fb.Date) + "\n«" + fb.Redacted + "»"
	}
}

// actionCreate stores a new action and the finding it was made from.
func (h *handler) actionCreate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "actions.new_title")
	f := parseActionForm(c)
	finding, errKey := h.findingOf(c, &f, p)
	if errKey != "" {
		f.Error = p.T(errKey)
		return h.renderActionForm(c, fiber.StatusBadRequest, p, &f, "action_new")
	}
	if f.FromFeedback != "" {
		if _, err := h.feedback.Feedback(ctx, f.FromFeedback); err != nil {
			f.FromFeedback = ""
		}
	}
	if err := h.ops.Actions.Create(ctx, actor(c), &f.Action, finding); err != nil {
		return h.actionFormError(c, p, &f, err, "action_new")
	}
	return c.Redirect("/admin/actions/"+f.ID+"?saved=1", fiber.StatusSeeOther)
}

// actionFormError re-renders the form with every field problem, keeping
// what was typed.
func (h *handler) actionFormError(c *fiber.Ctx, p *page, f *actionForm, err error, tmpl string) error {
	var fe actions.FieldErrors
	if !errors.As(err, &fe) {
		return storeError(err)
	}
	f.Errors = map[string]string{}
	for _, e := range fe {
		f.Errors[e.Field] = p.T(e.Message, "Max", actions.MaxTitle)
	}
	f.Error = p.T("actions.error.summary")
	return h.renderActionForm(c, fiber.StatusBadRequest, p, f, tmpl)
}

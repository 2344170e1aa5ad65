package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// meetingView is one meeting: agenda, minutes and decisions.
type meetingView struct {
	Meeting    *council.Meeting
	Agenda     []agendaRow
	Decisions  []council.Decision
	CanPrepare bool
	Today      string
	// Choices for a new agenda item: actions, and findings of published waves.
	Actions  []actions.Action
	Findings []choice
	Error    string
	Decision council.Decision
	Topic    string
}

type agendaRow struct {
	council.AgendaItem
	Label, Link string
}

func (h *handler) meetingShow(c *fiber.Ctx) error {
	return h.renderMeeting(c, fiber.StatusOK, meetingView{})
}

func (h *handler) renderMeeting(c *fiber.Ctx, status int, v meetingView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "council.meeting_title")
	if c.Query("saved") != "" {
		p.Notice = p.T("council.done.saved")
	}
	if n := c.Query("noticed"); n != "" {
		p.Notice = p.T("outbox.council_noticed", "Count", n)
	}
	m, err := h.council.Meeting(ctx, c.Params("id"))
	if errors.Is(err, council.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	v.Meeting, v.Today = m, surveys.LocalDate(h.cfg.Now())
	v.CanPrepare = p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor)
	all, err := h.actions.List(ctx)
	if err != nil {
		return storeError(err)
	}
	titles := map[string]string{}
	for _, a := range all {
		titles[a.ID] = a.Title
	}
	v.Actions = all
	ev, err := actions.NewEvaluator(ctx, h.results, h.cfg.Store.DB, analysis.Public)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	for i := range all {
		effects, err := h.effects(ctx, p, ev, &all[i], names, nil)
		if err != nil {
			return storeError(err)
		}
		for _, e := range effects {
			if _, seen := labels[e.Key]; !seen {
				labels[e.Key] = e.Label
				v.Findings = append(v.Findings, choice{Value: e.Key, Label: e.Label})
			}
		}
	}
	items, err := h.council.Agenda(ctx, m.ID)
	if err != nil {
		return storeError(err)
	}
	for _, it := range items {
		row := agendaRow{AgendaItem: it, Label: it.Topic}
		switch it.Kind {
		case council.AgendaAction:
			row.Label, row.Link = titles[it.Action], "/admin/council/actions/"+it.Action
		case council.AgendaFinding:
			row.Label, row.Link = labels[it.Finding], findingLink(it.Finding)
			if row.Label == "" {
				row.Label = p.T("council.finding_unpublished")
				row.Link = ""
			}
		}
		v.Agenda = append(v.Agenda, row)
	}
	if v.Decisions, err = h.council.Decisions(ctx, m.ID); err != nil {
		return storeError(err)
	}
	p.Title = p.T("council.meeting_heading", "Date", m.Date)
	p.Data = v
	return h.views.render(c, status, "council_meeting", p)
}

// findingLink is the council's page of a finding.
func findingLink(key string) string {
	wave, unit, item, focus, ok := actions.ParseFindingKey(key)
	if !ok {
		return ""
	}
	q := "?unit=" + unit + "&item=" + item
	if focus != "" {
		q = "?unit=" + unit + "&focus=" + focus
	}
	return "/admin/council/findings/" + wave + q
}

func (h *handler) meetingRefused(c *fiber.Ctx, err error, v meetingView) error {
	var fe *council.FieldError
	switch {
	case errors.Is(err, council.ErrNotFound):
		return fiber.ErrNotFound
	case !errors.As(err, &fe):
		return storeError(err)
	}
	p := h.page(c)
	v.Error = p.T("council.field."+fe.Field) + ": " + p.T(fe.Message)
	return h.renderMeeting(c, fiber.StatusBadRequest, v)
}

func (h *handler) agendaAdd(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	a := council.AgendaItem{Meeting: id, Kind: c.FormValue("kind"), Topic: c.FormValue("topic")}
	switch a.Kind {
	case council.AgendaAction:
		a.Action, a.Topic = c.FormValue("action"), ""
	case council.AgendaFinding:
		a.Finding, a.Topic = c.FormValue("finding"), ""
	}
	if err := h.ops.Council.AddAgendaItem(ctx, actor(c), a); err != nil {
		return h.meetingRefused(c, err, meetingView{Topic: a.Topic})
	}
	return c.Redirect("/admin/council/meetings/"+id+"?saved=1", fiber.StatusSeeOther)
}

func (h *handler) minutesSave(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	if err := h.ops.Council.SaveMinutes(ctx, actor(c), id, c.FormValue("minutes")); err != nil {
		return h.meetingRefused(c, err, meetingView{})
	}
	return c.Redirect("/admin/council/meetings/"+id+"?saved=1", fiber.StatusSeeOther)
}

func (h *handler) decisionAdd(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	d := council.Decision{Meeting: id, Text: c.FormValue("text"), Responsible: c.FormValue("responsible"), FollowUp: c.FormValue("follow_up")}
	if err := h.ops.Council.AddDecision(ctx, actor(c), d); err != nil {
		return h.meetingRefused(c, err, meetingView{Decision: d})
	}
	return c.Redirect("/admin/council/meetings/"+id+"?saved=1#decisions", fiber.StatusSeeOther)
}

func (h *handler) decisionDone(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	if err := h.ops.Council.SetDecisionDone(ctx, actor(c), id, c.FormValue("done") != "false"); errors.Is(err, council.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return storeError(err)
	}
	back := "/admin/council?saved=1"
	if m := c.FormValue("meeting"); m != "" && surveys.ValidKey("m"+m) {
		back = "/admin/council/meetings/" + m + "?saved=1#decisions"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

// meetingNotice e-mails the council's members the meeting's time, place
// and agenda through the outbox.
func (h *handler) meetingNotice(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	n, err := h.ops.Council.SendNotice(ctx, actor(c), id)
	switch {
	case errors.Is(err, council.ErrNotFound):
		return fiber.ErrNotFound
	case err != nil:
		return storeError(err)
	}
	return c.Redirect("/admin/council/meetings/"+id+"?noticed="+strconv.Itoa(n), fiber.StatusSeeOther)
}

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

// councilHomeView is the council workspace: what needs attention, the
// meetings, the actions, the members and (for admins) how relatives reach
// the council.
type councilHomeView struct {
	OverdueDecisions []decisionRow
	OverdueActions   []actions.Action
	Upcoming, Past   []council.Meeting
	Actions          []actions.Action
	Published        []surveys.Wave
	Members          []council.Member
	Settings         council.Settings
	CanPrepare       bool // advisors and admins prepare meetings
	IsAdmin          bool
	// Error and the form values to show again after a refused post.
	Error   string
	Meeting council.Meeting
	Member  council.Member
}

type decisionRow struct {
	council.Decision
	MeetingDate string
}

func (h *handler) councilHome(c *fiber.Ctx) error {
	return h.renderCouncil(c, fiber.StatusOK, councilHomeView{Meeting: council.Meeting{Kind: council.KindCouncil}})
}

func (h *handler) renderCouncil(c *fiber.Ctx, status int, v councilHomeView) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "council.title")
	if n := c.Query("saved"); n != "" {
		p.Notice = p.T("council.done.saved")
	}
	v.CanPrepare = p.User.HasAny(staff.RoleAdmin, staff.RoleAdvisor)
	v.IsAdmin = p.User.Has(staff.RoleAdmin)
	today := surveys.LocalDate(h.cfg.Now())
	meetings, err := h.council.Meetings(ctx, "")
	if err != nil {
		return storeError(err)
	}
	dates := map[string]string{}
	for _, m := range meetings {
		dates[m.ID] = m.Date
		if m.Date >= today {
			v.Upcoming = append(v.Upcoming, m)
		} else {
			v.Past = append(v.Past, m)
		}
	}
	slices.Reverse(v.Upcoming) // soonest first
	over, err := h.council.OverdueDecisions(ctx, today)
	if err != nil {
		return storeError(err)
	}
	for _, d := range over {
		v.OverdueDecisions = append(v.OverdueDecisions, decisionRow{Decision: d, MeetingDate: dates[d.Meeting]})
	}
	if v.Actions, err = h.actions.List(ctx); err != nil {
		return storeError(err)
	}
	year := h.cfg.Now().In(surveys.Oslo).Year()
	for _, a := range v.Actions {
		if a.Overdue(year) {
			v.OverdueActions = append(v.OverdueActions, a)
		}
	}
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	for _, w := range waves {
		if w.Published != "" {
			v.Published = append(v.Published, w)
		}
	}
	if v.Members, err = h.council.Members(ctx); err != nil {
		return storeError(err)
	}
	if v.Settings.ID == "" {
		if v.Settings, err = h.council.Settings(ctx); err != nil {
			return storeError(err)
		}
	}
	p.Data = v
	return h.views.render(c, status, "council", p)
}

// councilRefused re-renders the workspace with a field problem, or gives
// the store's error.
func (h *handler) councilRefused(c *fiber.Ctx, err error, v councilHomeView) error {
	var fe *council.FieldError
	if !errors.As(err, &fe) {
		return storeError(err)
	}
	p := h.page(c)
	v.Error = p.T("council.field."+fe.Field) + ": " + p.T(fe.Message)
	return h.renderCouncil(c, fiber.StatusBadRequest, v)
}

func (h *handler) councilSettings(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	st := council.Settings{Contact: c.FormValue("contact"), Email: c.FormValue("email"), Phone: c.FormValue("phone")}
	if err := h.ops.Council.SaveSettings(ctx, actor(c), st); err != nil {
		st.ID = "council"
		return h.councilRefused(c, err, councilHomeView{Settings: st, Meeting: council.Meeting{Kind: council.KindCouncil}})
	}
	return c.Redirect("/admin/council?saved=1", fiber.StatusSeeOther)
}

func (h *handler) memberAdd(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	m := council.Member{Name: c.FormValue("name"), Role: c.FormValue("role")}
	if _, err := h.ops.Council.AddMember(ctx, actor(c), m); err != nil {
		return h.councilRefused(c, err, councilHomeView{Member: m, Meeting: council.Meeting{Kind: council.KindCouncil}})
	}
	return c.Redirect("/admin/council?saved=1#members", fiber.StatusSeeOther)
}

func (h *handler) memberRemove(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	if err := h.ops.Council.RemoveMember(ctx, actor(c), id); errors.Is(err, council.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/council?saved=1#members", fiber.StatusSeeOther)
}

func (h *handler) meetingCreate(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	m := council.Meeting{Kind: c.FormValue("kind"), Date: c.FormValue("date"), Time: c.FormValue("time"),
		Place: c.FormValue("place"), Title: c.FormValue("title")}
	added, err := h.ops.Council.AddMeeting(ctx, actor(c), m)
	if err != nil {
		return h.councilRefused(c, err, councilHomeView{Meeting: m})
	}
	return c.Redirect("/admin/council/meetings/"+added.ID, fiber.StatusSeeOther)
}

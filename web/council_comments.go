package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/surveys"
)

// councilActionView is an action as the council sees it: findings of
// published waves only, suppressed, and the comments.
type councilActionView struct {
	Action    *actions.Action
	AreaName  string
	UnitNames string
	Effects   []effectView
	Comments  []council.Comment
	Error     string
	Text      string
}

func (h *handler) councilAction(c *fiber.Ctx) error {
	return h.renderCouncilAction(c, fiber.StatusOK, "", "")
}

func (h *handler) renderCouncilAction(c *fiber.Ctx, status int, errKey, text string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "council.title")
	a, err := h.actions.Get(ctx, c.Params("id"))
	if errors.Is(err, actions.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := councilActionView{Action: a, UnitNames: unitList(p, names, a.Units), Text: text}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	if in, err := h.builtinInstrument(c); err == nil && in != nil && a.FocusArea != "" {
		v.AreaName = in.FocusAreaName(a.FocusArea, p.Lang)
	}
	ev, err := actions.NewEvaluator(ctx, h.results, h.cfg.Store.DB, analysis.Public)
	if err != nil {
		return storeError(err)
	}
	if v.Effects, err = h.effects(ctx, p, ev, a, names, nil); err != nil {
		return storeError(err)
	}
	if v.Comments, err = h.council.Comments(ctx, council.CommentTarget(council.TargetAction, a.ID)); err != nil {
		return storeError(err)
	}
	p.Title = a.Title
	p.Data = v
	return h.views.render(c, status, "council_action", p)
}

func (h *handler) councilActionComment(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	if _, err := h.actions.Get(ctx, id); errors.Is(err, actions.ErrNotFound) {
		return fiber.ErrNotFound
	} else if err != nil {
		return storeError(err)
	}
	if err := h.addComment(c, council.CommentTarget(council.TargetAction, id)); err != nil {
		var fe *council.FieldError
		if errors.As(err, &fe) {
			return h.renderCouncilAction(c, fiber.StatusBadRequest, "council.error.comment", c.FormValue("text"))
		}
		return storeError(err)
	}
	return c.Redirect("/admin/council/actions/"+id+"#comments", fiber.StatusSeeOther)
}

func (h *handler) addComment(c *fiber.Ctx, target string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "council.title")
	_, err := h.council.AddComment(ctx, council.Comment{Target: target, Author: p.User.Email, Name: p.User.Name,
		Text: c.FormValue("text")}, h.cfg.Now())
	return err
}

// councilFindingView is one finding of a published wave, suppressed.
type councilFindingView struct {
	Label    string
	Wave     *surveys.Wave
	Hidden   bool
	Value    string
	N        int64
	Comments []council.Comment
	Action   string // the comment form's target
	Error    string
	Text     string
}

// publishedFinding reads the finding named by the path and query; only
// published waves exist here, for every role.
func (h *handler) publishedFinding(c *fiber.Ctx, p *page) (*councilFindingView, string, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	wave := c.Params("wave")
	unit, item, focus := c.Query("unit"), c.Query("item"), c.Query("focus")
	if (item == "") == (focus == "") {
		return nil, "", fiber.ErrNotFound
	}
	view, err := h.view(ctx, analysis.Public, wave)
	if err != nil {
		return nil, "", resultsError(err)
	}
	w, r := view.Wave, view.Results
	if unit != analysis.Municipality && !containsUnit(r.Units, unit) {
		return nil, "", fiber.ErrNotFound
	}
	names, err := h.unitNames(c)
	if err != nil {
		return nil, "", err
	}
	key := actions.FindingKey(wave, unit, item, focus)
	v := &councilFindingView{Label: findingLabel(p, r, names, unit, item, focus), Wave: w, Hidden: true,
		Action: strings.Replace(findingLink(key), "?", "/comments?", 1)}
	if it := actions.ShownItem(r, unit, item, focus); it != nil {
		v.Hidden, v.Value, v.N = false, formatIndex(it.Index), it.Index.N
	}
	return v, key, nil
}

func containsUnit(units []string, u string) bool {
	for _, x := range units {
		if x == u {
			return true
		}
	}
	return false
}

func (h *handler) councilFinding(c *fiber.Ctx) error {
	return h.renderCouncilFinding(c, fiber.StatusOK, "", "")
}

func (h *handler) renderCouncilFinding(c *fiber.Ctx, status int, errKey, text string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "council.finding_title")
	v, key, err := h.publishedFinding(c, p)
	if err != nil {
		return err
	}
	if v.Comments, err = h.council.Comments(ctx, council.CommentTarget(council.TargetFinding, key)); err != nil {
		return storeError(err)
	}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	v.Text = text
	p.Data = v
	return h.views.render(c, status, "council_finding", p)
}

func (h *handler) councilFindingComment(c *fiber.Ctx) error {
	p := h.staffPage(c, "council.finding_title")
	_, key, err := h.publishedFinding(c, p)
	if err != nil {
		return err
	}
	if err := h.addComment(c, council.CommentTarget(council.TargetFinding, key)); err != nil {
		var fe *council.FieldError
		if errors.As(err, &fe) {
			return h.renderCouncilFinding(c, fiber.StatusBadRequest, "council.error.comment", c.FormValue("text"))
		}
		return storeError(err)
	}
	return c.Redirect(findingLink(key)+"#comments", fiber.StatusSeeOther)
}

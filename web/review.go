package web

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type reviewQueueView struct {
	Filter             reviewFilter
	Waves, Units       []option
	Statuses, Sources  []option
	Items              []reviewItemView
	Total, Page, Pages int
	Prev, Next         string
	Error              string
}

// reviewQueue shows the free text waiting for review, oldest first, with
// a decision form on each. Reading unreviewed text is audited.
func (h *handler) reviewQueue(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "review.title")
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	waveSet, unitSet := map[string]bool{}, map[string]bool{}
	var v reviewQueueView
	for _, w := range waves {
		waveSet[w.ID] = true
		v.Waves = append(v.Waves, option{Value: w.ID, Label: w.Name})
	}
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	for _, u := range units {
		unitSet[u.ID] = true
		v.Units = append(v.Units, option{Value: u.ID, Label: u.Name})
	}
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	f, bad := parseReviewFilter(q, waveSet, unitSet)
	status := fiber.StatusOK
	if bad {
		status, v.Error = fiber.StatusBadRequest, p.T("review.error.filter")
	}
	v.Filter = f
	for _, s := range append([]string{"all"}, analysis.TextStatuses...) {
		v.Statuses = append(v.Statuses, option{Value: s, Label: p.T("review.status." + s)})
	}
	v.Sources = []option{{Value: "", Label: p.T("review.any")}}
	for _, s := range []string{analysis.SourceSurvey, analysis.SourceFeedback} {
		v.Sources = append(v.Sources, option{Value: s, Label: p.T("review.source." + s)})
	}
	if err := h.staff.Audit(ctx, h.cfg.Now(), actor(c), staff.AuditTextView, "queue", f.query(f.Page)); err != nil {
		return storeError(err) // unreviewed text is shown only when the view is on record
	}
	page, err := h.review.Queue(ctx, f.domain())
	if err != nil {
		return storeError(err)
	}
	rc := h.newReviewContext(ctx, p, names, waves)
	back := f.query(page.Page)
	for _, it := range page.Items {
		v.Items = append(v.Items, rc.view(it, back))
	}
	v.Total, v.Page, v.Pages = page.Total, page.Page, page.Pages
	if page.Page > 1 {
		v.Prev = "/admin/review?" + f.query(page.Page-1)
	}
	if page.Page < page.Pages {
		v.Next = "/admin/review?" + f.query(page.Page+1)
	}
	p.Notice = reviewNotice(p, c.Query("done"))
	p.Data = v
	return h.views.render(c, status, "review", p)
}

func reviewNotice(p *page, done string) string {
	switch done {
	case analysis.TextApproved, analysis.TextRedacted, analysis.TextHidden:
		return p.T("review.done." + done)
	}
	return ""
}

// reviewItem shows one text with its decision form.
func (h *handler) reviewItem(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	it, err := h.review.Item(ctx, c.Params("source"), c.Params("id"))
	if errors.Is(err, analysis.ErrNoText) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return storeError(err)
	}
	if err := h.staff.Audit(ctx, h.cfg.Now(), actor(c), staff.AuditTextView, it.Source+":"+it.ID, ""); err != nil {
		return storeError(err)
	}
	return h.renderReviewItem(c, fiber.StatusOK, it, "", "")
}

// reviewDecide records approve, redact or hide. A refused decision shows
// the text again with the reviewer's redaction kept.
func (h *handler) reviewDecide(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	rev, err := strconv.Atoi(c.FormValue("rev"))
	if err != nil {
		rev = -1 // a form without its revision cannot be current
	}
	d := analysis.Decision{Source: c.Params("source"), ID: c.Params("id"), Status: c.FormValue("decision"),
		Redacted: c.FormValue("redacted"), Rev: rev}
	it, err := h.ops.Review.Decide(ctx, actor(c), d)
	var status int
	var msg string
	switch {
	case errors.Is(err, analysis.ErrNoText):
		return fiber.ErrNotFound
	case errors.Is(err, analysis.ErrStale):
		status, msg = fiber.StatusConflict, "review.error.stale"
	case errors.Is(err, analysis.ErrRedaction):
		status, msg = fiber.StatusBadRequest, "review.error.redaction"
	case errors.Is(err, analysis.ErrDecision):
		status, msg = fiber.StatusBadRequest, "review.error.decision"
	case err != nil:
		return storeError(err)
	}
	if msg != "" {
		if it.ID == "" {
			if it, err = h.review.Item(ctx, d.Source, d.ID); err != nil {
				return storeError(err)
			}
		}
		return h.renderReviewItem(c, status, it, msg, c.FormValue("redacted"))
	}
	back, _ := h.backFilter(c, c.FormValue("back"))
	return c.Redirect("/admin/review?"+back+"&done="+d.Status, fiber.StatusSeeOther)
}

// backFilter cleans the queue query a form carried, so the redirect after
// a decision can only lead back to the queue.
func (h *handler) backFilter(c *fiber.Ctx, raw string) (string, error) {
	ctx, cancel := h.ctx(c)
	defer cancel()
	q, _ := url.ParseQuery(raw)
	waves, err := h.surveys.Waves(ctx)
	if err != nil {
		return "", err
	}
	units, err := h.surveys.Units(ctx)
	if err != nil {
		return "", err
	}
	ws, us := map[string]bool{}, map[string]bool{}
	for _, w := range waves {
		ws[w.ID] = true
	}
	for _, u := range units {
		us[u.ID] = true
	}
	f, _ := parseReviewFilter(q, ws, us)
	return f.query(f.Page), nil
}

type reviewItemPage struct {
	Item reviewItemView
}

func (h *handler) renderReviewItem(c *fiber.Ctx, status int, it analysis.QueueItem, errKey, typed string) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "review.item_title")
	var waves []surveys.Wave
	if it.Wave != "" {
		if w, err := h.surveys.Wave(ctx, it.Wave); err == nil {
			waves = []surveys.Wave{*w}
		}
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	back, err := h.backFilter(c, c.Query("back", c.FormValue("back")))
	if err != nil {
		return storeError(err)
	}
	v := h.newReviewContext(ctx, p, names, waves).view(it, back)
	if errKey != "" {
		v.Error = p.T(errKey)
		if typed != "" {
			v.Prefill = typed
		}
	}
	p.Data = reviewItemPage{Item: v}
	return h.views.render(c, status, "review_item", p)
}

package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// resultsPublish gives a closed wave's results to the relatives' council
// and the public, after the disclosure audit has attacked them as the
// public will see them: publishing is refused if it finds any hidden count
// a reader could narrow below the threshold.
func (h *handler) resultsPublish(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	view, err := h.view(ctx, analysis.Reader{All: true}, id)
	if err != nil {
		return resultsError(err)
	}
	if view.State != analysis.StateFinal {
		return h.renderResults(c, fiber.StatusConflict, "results.error.not_closed", id)
	}
	rep, err := view.Results.Audit(true)
	if err != nil {
		return storeError(err)
	}
	if len(rep.Findings) > 0 {
		for _, f := range rep.Findings {
			h.cfg.Logger.Error("disclosure audit refused publishing", "wave", id, "finding", f.String())
		}
		return h.renderResults(c, fiber.StatusConflict, "results.error.audit", id)
	}
	err = h.ops.Results.Publish(ctx, actor(c), id)
	if errors.Is(err, surveys.ErrNotClosed) {
		return h.renderResults(c, fiber.StatusConflict, "results.error.not_closed", id)
	}
	if err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/results?done=published&wave="+url.QueryEscape(id), fiber.StatusSeeOther)
}

// resultsWithdraw takes published results back from the council.
func (h *handler) resultsWithdraw(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	id := c.Params("id")
	if _, err := h.surveys.Wave(ctx, id); err != nil {
		return storeError(err)
	}
	if err := h.ops.Results.Withdraw(ctx, actor(c), id); err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/results?done=withdrawn&wave="+url.QueryEscape(id), fiber.StatusSeeOther)
}

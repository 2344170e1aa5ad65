package web

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/actions"
)

// importView is the upload form, or the preview of an uploaded plan.
type importView struct {
	Error    string
	Preview  bool
	Problems []string
	Headings []importHeading
	Rows     []importRow
	// Plan is the read plan, carried to the confirmation in a hidden field
	// so that nothing is stored before the advisor confirms.
	Plan string
}

type importHeading struct {
	Index   int
	Text    string
	Row     int
	Choices []choice
}

type importRow struct {
	actions.ImportRow
	Area string
}

// choose marks a heading whose focus area the advisor has not chosen yet.
const choose = "_choose"

func (h *handler) importShow(c *fiber.Ctx) error {
	p := h.staffPage(c, "actions.import.title")
	p.Data = importView{}
	return h.views.render(c, fiber.StatusOK, "actions_import", p)
}

// importPreview reads an uploaded plan and shows what would be imported
// and every problem, storing nothing.
func (h *handler) importPreview(c *fiber.Ctx) error {
	p := h.staffPage(c, "actions.import.title")
	fail := func(key string) error {
		p.Data = importView{Error: p.T(key)}
		return h.views.render(c, fiber.StatusBadRequest, "actions_import", p)
	}
	fh, err := c.FormFile("plan")
	if err != nil {
		return fail("actions.import.error.no_file")
	}
	file, err := fh.Open()
	if err != nil {
		return fail("actions.import.error.not_xlsx")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, actions.MaxImportBytes+1))
	if err != nil {
		return fail("actions.import.error.not_xlsx")
	}
	in, err := h.builtinInstrument(c)
	if err != nil {
		return err
	}
	plan, err := actions.ReadPlan(data, in)
	var me *actions.MalformedError
	if errors.As(err, &me) {
		return fail(me.Message)
	}
	if err != nil {
		return storeError(err)
	}
	mapping := map[int]string{}
	for i, hd := range plan.Headings {
		if hd.Suggested != "" {
			mapping[i] = hd.Suggested
		}
	}
	status := fiber.StatusOK
	if len(plan.Problems) > 0 {
		status = fiber.StatusBadRequest
	}
	return h.renderPreview(c, status, p, plan, mapping, "")
}

func (h *handler) renderPreview(c *fiber.Ctx, status int, p *page, plan *actions.ImportPlan, mapping map[int]string, errKey string) error {
	in, err := h.builtinInstrument(c)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	v := importView{Preview: true, Plan: string(raw)}
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	for _, pr := range plan.Problems {
		v.Problems = append(v.Problems, p.T("actions.import.position", "Sheet", pr.Sheet, "Row", pr.Row, "Column", pr.Column)+
			": "+p.TData(pr.Message, pr.Args))
	}
	for i, hd := range plan.Headings {
		ih := importHeading{Index: i, Text: hd.Text, Row: hd.Row}
		chosen, ok := mapping[i]
		ih.Choices = append(ih.Choices, choice{Value: choose, Label: p.T("actions.import.choose"), Selected: !ok})
		ih.Choices = append(ih.Choices, choice{Value: "", Label: p.T("actions.no_focus_area"), Selected: ok && chosen == ""})
		if in != nil {
			for _, a := range in.FocusAreas {
				ih.Choices = append(ih.Choices, choice{Value: a.Key, Label: a.Name.In(p.Lang), Selected: ok && chosen == a.Key})
			}
		}
		v.Headings = append(v.Headings, ih)
	}
	for _, r := range plan.Rows {
		row := importRow{ImportRow: r, Area: p.T("actions.import.no_heading")}
		if r.Heading >= 0 {
			row.Area = plan.Headings[r.Heading].Text
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	return h.views.render(c, status, "actions_import", p)
}

// importConfirm stores the previewed plan's actions with the focus areas
// the advisor chose. A plan with problems or an unchosen heading is shown
// again and nothing is stored.
func (h *handler) importConfirm(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "actions.import.title")
	var plan actions.ImportPlan
	if err := json.Unmarshal([]byte(c.FormValue("plan")), &plan); err != nil || len(plan.Rows) == 0 {
		p.Data = importView{Error: p.T("actions.import.error.lost")}
		return h.views.render(c, fiber.StatusBadRequest, "actions_import", p)
	}
	mapping := map[int]string{}
	for i := range plan.Headings {
		if v := c.FormValue("area_" + strconv.Itoa(i)); v != choose {
			mapping[i] = v
		}
	}
	list, err := plan.Actions(mapping)
	if err != nil {
		key := "actions.import.error.problems"
		if errors.Is(err, actions.ErrUnmapped) {
			key = "actions.import.error.unmapped"
		}
		return h.renderPreview(c, fiber.StatusBadRequest, p, &plan, mapping, key)
	}
	if err := h.ops.Actions.Import(ctx, actor(c), list); err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/actions?imported="+strconv.Itoa(len(list)), fiber.StatusSeeOther)
}

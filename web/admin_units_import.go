package web

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// unitImportView is the upload form, or the preview of an uploaded list.
type unitImportView struct {
	Error    string
	Preview  bool
	Problems []string
	Rows     []surveys.UnitRow
	// List is the read list, carried to the confirmation in a hidden field
	// so that nothing is stored before it is confirmed; the confirmation
	// checks it again against the units as they are then.
	List string
}

func (h *handler) unitImportShow(c *fiber.Ctx) error {
	p := h.staffPage(c, "units.import.title")
	p.Data = unitImportView{}
	return h.views.render(c, fiber.StatusOK, "units_import", p)
}

// unitImportPreview reads an uploaded list and shows what would change and
// every problem by row, storing nothing.
func (h *handler) unitImportPreview(c *fiber.Ctx) error {
	p := h.staffPage(c, "units.import.title")
	fail := func(key string, args map[string]any) error {
		p.Data = unitImportView{Error: p.TData(key, args)}
		return h.views.render(c, fiber.StatusBadRequest, "units_import", p)
	}
	fh, err := c.FormFile("list")
	if err != nil {
		return fail("units.import.error.no_file", nil)
	}
	file, err := fh.Open()
	if err != nil {
		return fail("units.import.error.not_xlsx", nil)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, surveys.MaxUnitImportBytes+1))
	if err != nil {
		return fail("units.import.error.not_xlsx", nil)
	}
	imp, err := surveys.ReadUnitSheet(data)
	var ie *surveys.UnitImportError
	if errors.As(err, &ie) {
		return fail(ie.Message, ie.Args)
	}
	if err != nil {
		return storeError(err)
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	all, err := h.surveys.Units(ctx)
	if err != nil {
		return storeError(err)
	}
	imp.Plan(all)
	return h.renderUnitPreview(c, p, imp, "")
}

func (h *handler) renderUnitPreview(c *fiber.Ctx, p *page, imp *surveys.UnitImport, errKey string) error {
	raw, err := json.Marshal(imp)
	if err != nil {
		return err
	}
	v := unitImportView{Preview: true, Rows: imp.Rows, List: string(raw)}
	for _, pr := range imp.Problems {
		v.Problems = append(v.Problems, p.T("units.import.position", "Row", pr.Row, "Column", pr.Column)+": "+p.TData(pr.Message, pr.Args))
	}
	status := fiber.StatusOK
	if errKey != "" {
		v.Error = p.T(errKey)
	}
	if len(v.Problems) > 0 || errKey != "" {
		status = fiber.StatusBadRequest
	}
	p.Data = v
	return h.views.render(c, status, "units_import", p)
}

// unitImportConfirm stores a previewed list. It is checked again first; a
// list with problems is shown again and nothing is stored.
func (h *handler) unitImportConfirm(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "units.import.title")
	var imp surveys.UnitImport
	if err := json.Unmarshal([]byte(c.FormValue("list")), &imp); err != nil || len(imp.Rows) == 0 {
		p.Data = unitImportView{Error: p.T("units.import.error.lost")}
		return h.views.render(c, fiber.StatusBadRequest, "units_import", p)
	}
	added, changed, err := h.ops.Units.Import(ctx, actor(c), &imp)
	if errors.As(err, new(surveys.UnitImportProblems)) {
		return h.renderUnitPreview(c, p, &imp, "units.import.error.problems")
	}
	if err != nil {
		return storeError(err)
	}
	return c.Redirect("/admin/units?imported="+strconv.Itoa(added)+"&changed="+strconv.Itoa(changed), fiber.StatusSeeOther)
}

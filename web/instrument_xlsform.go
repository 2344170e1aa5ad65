package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// XLSForm in the browser: an advisor uploads a workbook, sees every problem
// at its cell (or, when there is none, what the questionnaire will hold and
// what was ignored), and confirms to make it a draft; any version downloads
// as XLSForm. The server and the command line share surveys.ImportXLSForm.

// xlsformUploadLimit is the largest file the upload accepts. The request as
// a whole is bounded by bodyLimit, and a larger one is answered by
// renderError with the same message (see uploadTooLarge).
const xlsformUploadLimit = bodyLimit - 8<<10

type xlsformImportView struct {
	FileName string
	Error    string
	Problems []xlsformProblem
	Warnings []xlsformProblem
	Preview  *xlsformPreview
	Token    string
	MaxSize  string
}

// xlsformProblem is a problem or warning for the page: where, in the
// reader's words, and what.
type xlsformProblem struct {
	Place, Message string
}

type xlsformPreview struct {
	Key, Title, BecomesID string
	Languages             []editorLang
	Pages                 []xlsformPreviewPage
}

type xlsformPreviewPage struct {
	Key, Title string
	Questions  []xlsformPreviewQuestion
}

type xlsformPreviewQuestion struct {
	Key, Type, Text, Conditions string
}

func (h *handler) xlsformImportShow(c *fiber.Ctx) error {
	p := h.staffPage(c, "xlsform.import.title")
	p.Data = xlsformImportView{MaxSize: sizeText(xlsformUploadLimit)}
	return h.views.render(c, fiber.StatusOK, "xlsform_import", p)
}

// uploaded reads the file of an upload field within the limit; the message
// id says what went wrong for the advisor.
func uploaded(c *fiber.Ctx, field string) (*multipart.FileHeader, []byte, string) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, nil, "xlsform.error.no_file"
	}
	if fh.Size > xlsformUploadLimit {
		return fh, nil, "xlsform.error.file_too_large"
	}
	file, err := fh.Open()
	if err != nil {
		return fh, nil, "xlsform.error.not_xlsx"
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, xlsformUploadLimit+1))
	if err != nil || len(data) > xlsformUploadLimit {
		return fh, nil, "xlsform.error.file_too_large"
	}
	return fh, data, ""
}

// xlsformImportPreview reads the upload and shows its problems, or what it
// holds with a button to make it a draft; nothing is stored but the
// checked instrument, waiting for that button (surveys.SaveImport).
func (h *handler) xlsformImportPreview(c *fiber.Ctx) error {
	p := h.staffPage(c, "xlsform.import.title")
	v := xlsformImportView{MaxSize: sizeText(xlsformUploadLimit)}
	fail := func(status int, key string) error {
		v.Error = p.T(key, "Max", v.MaxSize)
		p.Data = v
		return h.views.render(c, status, "xlsform_import", p)
	}
	fh, data, errKey := uploaded(c, "file")
	if fh != nil {
		v.FileName = fh.Filename
	}
	switch errKey {
	case "":
	case "xlsform.error.file_too_large":
		return fail(fiber.StatusRequestEntityTooLarge, errKey)
	default:
		return fail(fiber.StatusBadRequest, errKey)
	}
	imp, err := surveys.ImportXLSForm(bytes.NewReader(data), fh.Filename)
	var problems surveys.XLSFormErrors
	switch {
	case errors.As(err, &problems):
		v.Error = p.T("xlsform.import.has_problems", "Count", len(problems))
		v.Problems = xlsformProblems(p, problems)
		p.Data = v
		return h.views.render(c, fiber.StatusBadRequest, "xlsform_import", p)
	case err != nil:
		return fail(fiber.StatusBadRequest, "xlsform.error.not_xlsx")
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	in := imp.Instrument
	next := surveys.InstrumentID(in.Key, 1)
	switch latest, err := h.surveys.LatestInstrument(ctx, in.Key); {
	case err == nil:
		next = surveys.InstrumentID(in.Key, latest.Version+1)
	case !store.IsNotFound(err):
		return storeError(err)
	}
	if v.Token, err = h.surveys.SaveImport(ctx, actor(c), in, h.cfg.Now()); err != nil {
		return storeError(err)
	}
	v.Warnings = xlsformProblems(p, imp.Warnings)
	v.Preview = xlsformPreviewOf(p, in, next)
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "xlsform_import", p)
}

// xlsformImportConfirm makes the checked upload a new draft version.
func (h *handler) xlsformImportConfirm(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	in, err := h.surveys.TakeImport(ctx, c.Params("token"), actor(c), h.cfg.Now())
	if errors.Is(err, surveys.ErrNoSuchImport) {
		p := h.staffPage(c, "xlsform.import.title")
		p.Data = xlsformImportView{Error: p.T("xlsform.error.expired"), MaxSize: sizeText(xlsformUploadLimit)}
		return h.views.render(c, fiber.StatusGone, "xlsform_import", p)
	}
	if err != nil {
		return storeError(err)
	}
	if err := h.ops.Instruments.Import(ctx, actor(c), in); err != nil {
		return storeError(err)
	}
	return c.Redirect(editorURL(in.ID, "")+"&done=imported", fiber.StatusSeeOther)
}

// xlsformDownload sends any version as an XLSForm workbook.
func (h *handler) xlsformDownload(c *fiber.Ctx) error {
	in, err := h.loadInstrument(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := surveys.WriteXLSForm(&b, in); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-v%d.xlsx"`, in.Key, in.Version))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b.Bytes())
}

// xlsformProblems translates located problems for the page.
func xlsformProblems(p *page, es surveys.XLSFormErrors) []xlsformProblem {
	out := make([]xlsformProblem, 0, len(es))
	for _, e := range es {
		out = append(out, xlsformProblem{Place: xlsformPlace(p, e), Message: xlsformMessage(p, e)})
	}
	return out
}

// xlsformPlace says where a problem is: a cell, a row, a column or a sheet.
func xlsformPlace(p *page, e surveys.XLSFormError) string {
	switch {
	case e.Row > 0 && e.Column != "":
		return p.T("xlsform.place.cell", "Sheet", e.Sheet, "Cell", fmt.Sprintf("%s%d", e.Column, e.Row))
	case e.Row > 0:
		return p.T("xlsform.place.row", "Sheet", e.Sheet, "Row", e.Row)
	case e.Column != "":
		return p.T("xlsform.place.column", "Sheet", e.Sheet, "Column", e.Column)
	}
	return p.T("xlsform.place.sheet", "Sheet", e.Sheet)
}

// xlsformMessage translates a problem, its expression's own message
// included; one without a translation shows in English.
func xlsformMessage(p *page, e surveys.XLSFormError) string {
	args := map[string]any{}
	for k, v := range e.Args {
		args[k] = v
	}
	if d := e.Detail; d != nil {
		args["Detail"] = d.Error()
		if s := p.TData("expr."+d.ID, d.Args); s != "expr."+d.ID {
			args["Detail"] = s
		}
	}
	if e.ID != "" {
		if s := p.TData(e.ID, args); s != e.ID {
			return s
		}
	}
	return e.Message
}

func xlsformPreviewOf(p *page, in *surveys.Instrument, next string) *xlsformPreview {
	src := in.SourceLanguage()
	pv := &xlsformPreview{Key: in.Key, Title: in.Title[src], BecomesID: next}
	for i, l := range in.Languages {
		info := in.LanguageInfo(l.Code)
		pv.Languages = append(pv.Languages, editorLang{Code: l.Code, Name: info.Name, Dir: info.Dir(),
			Missing: len(in.MissingTexts(l.Code)), Source: i == 0})
	}
	for _, pg := range in.Pages {
		page := xlsformPreviewPage{Key: pg.Key, Title: pg.Title[src]}
		for _, q := range pg.Questions {
			var conds []string
			for _, c := range []struct{ key, expr string }{{"instruments.show_if", q.ShowIf},
				{"xlsform.preview.required_if", q.RequiredIf}, {"xlsform.preview.constraint", q.Constraint},
				{"xlsform.preview.choice_filter", q.ChoiceFilter}} {
				if c.expr != "" {
					conds = append(conds, p.T(c.key)+" "+c.expr)
				}
			}
			text := q.Text[src]
			if q.Required {
				text += " (" + p.T("editor.question.required_short") + ")"
			}
			page.Questions = append(page.Questions, xlsformPreviewQuestion{Key: q.Key, Type: p.T("instruments.type." + string(q.Type)),
				Text: text, Conditions: strings.Join(conds, "; ")})
		}
		pv.Pages = append(pv.Pages, page)
	}
	return pv
}

// sizeText writes a byte count as people read it: 248 KB.
func sizeText(n int) string { return fmt.Sprintf("%d KB", n>>10) }

// uploadTooLarge is the message key for a request refused as too large on
// one of the upload routes, so the advisor reads what the limit is.
func uploadTooLarge(path string) (string, bool) {
	if path == "/admin/instruments/import" || strings.HasPrefix(path, "/admin/instruments/") && strings.HasSuffix(path, "/translations") {
		return "xlsform.error.too_large", true
	}
	return "", false
}

package web

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// A translator's file: one row per text (key, source, target, status) as
// CSV, or the questionnaire as XLSForm. Either comes back into the draft
// in one upload; rows translated from a source text that has changed since
// are applied and marked for checking.

// translationsDownload sends the CSV for one language (?to=, ?sep=comma).
func (h *handler) translationsDownload(c *fiber.Ctx) error {
	in, err := h.loadInstrument(c)
	if err != nil {
		return err
	}
	to := c.Query("to")
	if !in.HasLanguage(to) {
		return fiber.ErrNotFound
	}
	var b bytes.Buffer
	if err := surveys.WriteTranslationsCSV(&b, in, to, c.Query("sep") != "comma"); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-v%d-%s.csv"`, in.Key, in.Version, to))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b.Bytes())
}

// translationsUpload applies a translator's CSV or XLSForm to the draft,
// for the language in the form's "to", and shows what it did.
func (h *handler) translationsUpload(c *fiber.Ctx) error {
	id, err := instrumentParam(c)
	if err != nil {
		return err
	}
	to := c.FormValue("to")
	fh, data, errKey := uploaded(c, "file")
	var rows []surveys.TranslationRow
	var lines []problemLink
	if errKey == "" {
		rows, lines, errKey = h.translationRows(c, data, to)
	}
	if errKey != "" {
		in, lerr := h.loadInstrument(c)
		if lerr != nil {
			return lerr
		}
		status := fiber.StatusBadRequest
		if errKey == "xlsform.error.file_too_large" {
			status = fiber.StatusRequestEntityTooLarge
		}
		return h.renderEditor(c, editorState{in: in, status: status, errKey: errKey, lines: lines,
			errArgs: []any{"Max", sizeText(xlsformUploadLimit)}})
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	rev, _ := strconv.Atoi(c.FormValue("rev"))
	var rep surveys.TranslationReport
	if err := h.ops.Instruments.Edit(ctx, actor(c), id, rev, func(in *surveys.Instrument) error {
		rep, err = in.ApplyTranslations(to, rows)
		return err
	}, func() string {
		return fmt.Sprintf("translations %s from %s: %d updated, %d stale", to, fh.Filename, rep.Updated, rep.Stale)
	}); err != nil {
		st, ferr := h.editFailed(c, err)
		if ferr != nil {
			return ferr
		}
		return h.renderEditor(c, st)
	}
	in, err := h.loadInstrument(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	st := editorState{in: in, notice: p.T("translate.done", "Updated", rep.Updated, "Stale", rep.Stale, "Unchanged", rep.Unchanged)}
	for _, pr := range rep.Problems {
		st.lines = append(st.lines, problemLink{Place: p.T("translate.line", "Line", pr.Line),
			Message: p.T("translate.problem."+pr.ID, "Key", pr.Key)})
	}
	if len(st.lines) > 0 {
		st.errKey = "translate.some_not_applied"
	}
	return h.renderEditor(c, st)
}

// translationRows reads an uploaded translator's file: an XLSForm (a
// workbook is a zip file) or CSV. Problems of an XLSForm come back as lines.
func (h *handler) translationRows(c *fiber.Ctx, data []byte, to string) ([]surveys.TranslationRow, []problemLink, string) {
	in, err := h.loadInstrument(c)
	if err != nil {
		return nil, nil, "translate.error.unknown"
	}
	if !in.HasLanguage(to) || to == in.SourceLanguage() {
		return nil, nil, "translate.error.language"
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		imp, err := surveys.ImportXLSForm(bytes.NewReader(data), "")
		var problems surveys.XLSFormErrors
		if errors.As(err, &problems) {
			p := h.page(c)
			var lines []problemLink
			for _, pr := range xlsformProblems(p, problems) {
				lines = append(lines, problemLink{Place: pr.Place, Message: pr.Message})
			}
			return nil, lines, "translate.error.xlsform"
		}
		if err != nil {
			return nil, nil, "xlsform.error.not_xlsx"
		}
		if !imp.Instrument.HasLanguage(to) {
			return nil, nil, "translate.error.not_in_file"
		}
		return in.TranslationsFrom(imp.Instrument, to), nil, ""
	}
	rows, err := surveys.ReadTranslationsCSV(bytes.NewReader(data))
	var fe *surveys.TranslationFileError
	if errors.As(err, &fe) {
		p := h.page(c)
		return nil, []problemLink{{Place: p.T("translate.line", "Line", fe.Line), Message: p.T("translate.error." + fe.ID)}}, "translate.error.csv"
	}
	if err != nil {
		return nil, nil, "translate.error.csv"
	}
	return rows, nil, ""
}

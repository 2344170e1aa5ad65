package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// exportTimeout bounds one export, streaming included: 100,000 answers
// take well under a minute; a stalled client must not hold a cursor open.
const exportTimeout = 15 * time.Minute

type exportView struct {
	Form  exportForm
	Waves []surveys.Wave
	Units []exportUnit
	Langs []exportLang
	// All is whether the user may export every unit at once.
	All    bool
	Error  string
	Errors map[string]string
}

type exportUnit struct{ ID, Name string }
type exportLang struct{ Code, Name string }

// exportShow shows the export form, or makes the export when a wave is
// chosen: GET /admin/export?wave=W&unit=U&format=F&lang=L&sep=S.
func (h *handler) exportShow(c *fiber.Ctx) error {
	if c.Query("wave") == "" && c.Query("format") == "" {
		return h.renderExport(c, fiber.StatusOK, parseExportForm(c), nil)
	}
	return h.exportDownload(c)
}

func (h *handler) exportDownload(c *fiber.Ctx) error {
	u, _ := c.Locals(userKey).(*staff.User)
	f := parseExportForm(c)
	rd := readerOf(u)
	// The export is written after this handler returns (streamed), so its
	// context is its own, ended by the stream writer.
	ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
	view, err := h.view(ctx, rd, f.Wave)
	if errors.Is(err, analysis.ErrNoResults) {
		view, err = nil, nil
	}
	if err != nil {
		cancel()
		return storeError(err)
	}
	if no := checkExport(rd, f, view); no != nil {
		cancel()
		return h.renderExport(c, no.status, f, no)
	}
	opt := exports.Options{Unit: f.Unit, Lang: f.Lang, Actor: u.Email, Now: h.cfg.Now()}
	e, err := exports.Prepare(ctx, h.cfg.Store.DB, h.tr.bundle, view.Results, opt)
	switch {
	case errors.Is(err, exports.ErrUnknownUnit):
		cancel()
		return h.renderExport(c, fiber.StatusBadRequest, f, &exportRefusal{"f-unit", "export.error.unit", fiber.StatusBadRequest})
	case errors.Is(err, exports.ErrLanguage):
		cancel()
		return h.renderExport(c, fiber.StatusBadRequest, f, &exportRefusal{"f-lang", "export.error.lang", fiber.StatusBadRequest})
	case err != nil:
		cancel()
		return storeError(err)
	}
	// Who exported what, never the content.
	if err := h.staff.Audit(ctx, h.cfg.Now(), u.Email, staff.AuditExport, view.Wave.ID,
		fmt.Sprintf("unit=%s format=%s lang=%s", unitOrAll(f.Unit), f.Format, f.Lang)); err != nil {
		cancel()
		return storeError(err)
	}
	return h.streamExport(c, ctx, cancel, e, f)
}

func unitOrAll(u string) string {
	if u == "" {
		return "all"
	}
	return u
}

// streamExport writes the file into the response as it is made: the
// answers are read with a cursor while the body is sent, so the file is
// never held in memory. The status is sent first, so a failure half-way
// can only cut the file short: a cut xlsx does not open, and a cut CSV
// ends with a line saying so.
func (h *handler) streamExport(c *fiber.Ctx, ctx context.Context, cancel context.CancelFunc, e *exports.Export, f exportForm) error {
	name, mime := e.FileName("", "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	switch f.Format {
	case formatStats:
		name, mime = e.FileName("stats", "zip"), "application/zip"
	case formatSummary, formatCodebook:
		kind := map[string]string{formatSummary: "summary", formatCodebook: "codebook"}[f.Format]
		name, mime = e.FileName(kind, "csv"), "text/csv; charset=utf-8"
	}
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	conn, logger := c.Context().Conn(), h.cfg.Logger
	incomplete := h.page(c).T("export.error.incomplete")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		// The server's write timeout suits pages; a large export takes
		// longer, so this connection gets the export's own deadline.
		_ = conn.SetWriteDeadline(time.Now().Add(exportTimeout))
		defer cancel()
		var err error
		switch f.Format {
		case formatXLSX:
			err = e.WriteXLSX(ctx, w, nil)
		case formatSummary:
			err = e.WriteSummaryCSV(w, f.separator())
		case formatCodebook:
			err = e.WriteCodebookCSV(w, f.separator())
		case formatStats:
			err = e.WriteStats(ctx, w, f.separator(), nil)
		}
		if err != nil {
			logger.Error("export failed", "wave", e.Results().Wave.ID, "format", f.Format, "err", err)
			if f.Format == formatSummary || f.Format == formatCodebook {
				_, _ = w.WriteString("\r\n" + incomplete + "\r\n")
			}
		}
		_ = w.Flush()
	})
	return nil
}

func (h *handler) renderExport(c *fiber.Ctx, status int, f exportForm, no *exportRefusal) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	u, _ := c.Locals(userKey).(*staff.User)
	rd := readerOf(u)
	p := h.staffPage(c, "export.title")
	waves, err := h.results.Waves(ctx, rd)
	if err != nil {
		return storeError(err)
	}
	names, err := h.unitNames(c)
	if err != nil {
		return err
	}
	v := exportView{Form: f, Errors: map[string]string{}, All: rd.All || rd.Published}
	for _, w := range waves {
		if w.ResultsReady() {
			v.Waves = append(v.Waves, w)
		}
	}
	units := rd.Units
	if v.All {
		units = nil
		for id := range names {
			units = append(units, id)
		}
	}
	for _, id := range units {
		v.Units = append(v.Units, exportUnit{ID: id, Name: names.of(id)})
	}
	sortUnits(v.Units)
	if v.Langs, err = h.exportLangs(ctx, v.Waves); err != nil {
		return storeError(err)
	}
	if no != nil {
		v.Error = p.T("export.error.summary")
		v.Errors[no.field] = p.T(no.message)
	}
	p.Data = v
	return h.views.render(c, status, "export", p)
}

// exportLangs are the languages the form offers: nb, nn and en, then every
// language of the questionnaires of the waves listed, each in its own name.
func (h *handler) exportLangs(ctx context.Context, waves []surveys.Wave) ([]exportLang, error) {
	names := map[string]string{}
	for _, l := range h.tr.langs {
		names[l.Code] = l.Name
	}
	var out []exportLang
	seen := map[string]bool{}
	add := func(code, name string) {
		if !seen[code] {
			seen[code] = true
			out = append(out, exportLang{Code: code, Name: name})
		}
	}
	for _, w := range waves {
		in, err := h.surveys.Instrument(ctx, w.Instrument)
		if err != nil {
			return nil, err
		}
		for _, code := range exports.Languages(in) {
			name := names[code]
			if name == "" {
				name = in.LanguageInfo(code).Name
			}
			add(code, name)
		}
	}
	if len(out) == 0 {
		for _, code := range []string{"nb", "nn", "en"} {
			add(code, names[code])
		}
	}
	return out, nil
}

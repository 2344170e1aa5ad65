package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/report"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web/charts"
)

// reportView is the yearly report as a page: the report itself (the same
// one the PDF is written from) with its charts drawn as SVG.
type reportView struct {
	Years []option
	Year  int
	Error string
	R     *report.Report
	// Surveys pair each survey with its chart and shaded heat-map cells.
	Surveys    []reportSurvey
	ThemeChart template.HTML
	PDF        string
	// K is the smallest count of feedback shown for one unit.
	K int
}

type reportSurvey struct {
	report.Survey
	Chart template.HTML
	Heat  [][]heatCell
	// Bins name the heat map's shades in the legend under it.
	Bins []heatBin
	// Lists are the questions relatives are most and least satisfied with.
	Lists []reportList
}

type reportList struct {
	ID, Caption string
	Items       []report.Measure
}

// firstReportYear is the earliest year a report can be asked for.
const firstReportYear = 2000

// reportYear reads ?year= (this year by default); ok is false for a year
// that is not a number between firstReportYear and next year.
func (h *handler) reportYear(c *fiber.Ctx) (year int, ok bool) {
	this := h.cfg.Now().In(surveys.Oslo).Year()
	q := c.Query("year")
	if q == "" {
		return this, true
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < firstReportYear || y > this+1 {
		return this, false
	}
	return y, true
}

// buildReport reads the year's report in the language of the page.
func (h *handler) buildReport(ctx context.Context, year int, lang string) (*report.Report, error) {
	src := report.Sources{DB: h.cfg.Store.DB, Results: h.results, Surveys: h.surveys, Feedback: h.feedback,
		Actions: h.actions, Council: h.council}
	h.results.SetLimit(resultsCacheEntries)
	return report.Build(ctx, src, h.tr.bundle, report.Options{Year: year, Lang: lang, Now: h.cfg.Now()})
}

// reportShow shows the yearly report, printable on A4, to advisors, admins
// and the council: GET /admin/report?year=Y.
func (h *handler) reportShow(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	p := h.staffPage(c, "report.page_title")
	year, ok := h.reportYear(c)
	v := reportView{Year: year, K: report.Threshold}
	if err := h.reportYears(ctx, &v); err != nil {
		return storeError(err)
	}
	if !ok {
		v.Error = p.T("report.error.year")
		p.Data = v
		return h.views.render(c, fiber.StatusBadRequest, "report", p)
	}
	r, err := h.buildReport(ctx, year, p.Lang)
	if err != nil {
		return storeError(err)
	}
	v.R, v.PDF = r, "/admin/report/pdf?year="+strconv.Itoa(year)+"&lang="+r.Lang
	for i, s := range r.Surveys {
		n := strconv.Itoa(i)
		rs := reportSurvey{Survey: s, Chart: reportFocusChart(r, "report-focus-"+n, s), Lists: []reportList{
			{ID: "best-" + n, Caption: r.T("report.survey.best"), Items: s.Best},
			{ID: "worst-" + n, Caption: r.T("report.survey.worst"), Items: s.Worst}}, Bins: heatLegend(r.T)}
		for _, u := range s.Units {
			var cells []heatCell
			for _, cell := range u.Cells {
				if cell.Hidden {
					cells = append(cells, heatCell{Hidden: true, Class: charts.HeatHidden})
					continue
				}
				cells = append(cells, heatCell{Text: cell.Text, Class: charts.HeatClass(cell.Value)})
			}
			rs.Heat = append(rs.Heat, cells)
		}
		v.Surveys = append(v.Surveys, rs)
	}
	if !r.Feedback.Empty {
		v.ThemeChart = reportThemeChart(r)
	}
	p.Title = r.Title()
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "report", p)
}

// reportYears offers this year, next back to the first year with a published wave.
func (h *handler) reportYears(ctx context.Context, v *reportView) error {
	this := h.cfg.Now().In(surveys.Oslo).Year()
	first := this - 1
	waves, err := h.results.Waves(ctx, analysis.Public)
	if err != nil {
		return err
	}
	for _, w := range waves {
		if w.Year != 0 && w.Year < first {
			first = max(w.Year, firstReportYear)
		}
	}
	for y := this; y >= first; y-- {
		v.Years = append(v.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == v.Year})
	}
	return nil
}

// reportPDF sends the yearly report as a PDF to attach to a political
// case, and writes who downloaded which year to the audit log.
func (h *handler) reportPDF(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	year, ok := h.reportYear(c)
	if !ok {
		p := h.staffPage(c, "report.page_title")
		v := reportView{Year: year, Error: p.T("report.error.year")}
		if err := h.reportYears(ctx, &v); err != nil {
			return storeError(err)
		}
		p.Data = v
		return h.views.render(c, fiber.StatusBadRequest, "report", p)
	}
	lang := h.page(c).Lang
	if q := c.Query("lang"); q != "" {
		lang = report.Language(q)
	}
	r, err := h.buildReport(ctx, year, lang)
	if err != nil {
		return storeError(err)
	}
	var buf bytes.Buffer
	if err := report.WritePDF(&buf, r, h.cfg.Now()); err != nil {
		return err
	}
	u, _ := c.Locals(userKey).(*staff.User)
	if err := h.staff.Audit(ctx, h.cfg.Now(), u.Email, staff.AuditReport, strconv.Itoa(year),
		fmt.Sprintf("format=pdf lang=%s bytes=%d", r.Lang, buf.Len())); err != nil {
		return storeError(err)
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="arsrapport-%d-%s.pdf"`, year, r.Lang))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// reportFocusChart draws a survey's focus areas as on the results pages.
func reportFocusChart(r *report.Report, id string, s report.Survey) template.HTML {
	bc := charts.BarChart{ID: id, Title: r.T("report.survey.focus_chart"), IndexLabel: r.T("report.chart.bar"),
		IntervalLabel: r.T("report.chart.interval"), PreviousLabel: r.T("report.chart.previous", "Wave", s.Previous),
		HiddenLabel: r.T("report.hidden")}
	var hi, lo *report.Measure
	for i, m := range s.Focus {
		bc.Bars = append(bc.Bars, charts.Bar{Label: m.Name, Hidden: m.Hidden, Value: m.Value, Lo: m.Lo, Hi: m.Hi, Previous: m.Previous})
		if m.Hidden || math.IsNaN(m.Value) {
			continue
		}
		if hi == nil || m.Value > hi.Value {
			hi = &s.Focus[i]
		}
		if lo == nil || m.Value < lo.Value {
			lo = &s.Focus[i]
		}
	}
	bc.Desc = r.T("report.chart.focus_none")
	if hi != nil {
		bc.Desc = r.T("report.chart.focus_desc", "High", hi.Name, "HighIndex", hi.Index, "Low", lo.Name, "LowIndex", lo.Index)
	}
	return charts.Bars(bc)
}

// reportThemeChart draws the feedback by theme; the table beside it has the same counts.
func reportThemeChart(r *report.Report) template.HTML {
	cc := charts.CountChart{ID: "report-themes", Title: r.T("report.feedback.themes")}
	top := -1
	for i, t := range r.Feedback.Themes {
		cc.Counts = append(cc.Counts, charts.Count{Label: t.Name, N: t.Value})
		if top < 0 || t.Value > r.Feedback.Themes[top].Value {
			top = i
		}
	}
	cc.Desc = r.T("report.chart.themes_none")
	if top >= 0 && r.Feedback.Themes[top].Value > 0 {
		cc.Desc = r.T("report.chart.themes_desc", "Theme", r.Feedback.Themes[top].Name, "N", r.Feedback.Themes[top].N)
	}
	return charts.Counts(cc)
}

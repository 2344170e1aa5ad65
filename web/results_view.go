package web

import (
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web/charts"
)

// The views of results below only copy what analysis.Results shows: a
// hidden group or item gives a row marked Hidden with no figure in it, and
// nothing is ever added up across groups (that would escape suppression).

// figures writes numbers as the page's language does.
type figures struct {
	p   *page
	sep string
	// plain words for the council (docs/GLOSSARY.md): "feilmargin" for the
	// interval, "tydelig" for a significant change.
	plain bool
}

func newFigures(p *page) figures { return figures{p: p, sep: p.T("results.decimal_sep")} }

// term is the message of a results term: its plain form when asked for.
func (f figures) term(dashboard, plain string) string {
	if f.plain {
		return f.p.T(plain)
	}
	return f.p.T(dashboard)
}

// rtl says whether charts are drawn right to left, as the page reads.
func (f figures) rtl() bool { return f.p.Dir == "rtl" }

// dash stands for an unknown figure.
const dash = "–"

func (f figures) dec(x float64, digits int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return dash
	}
	return strings.Replace(strconv.FormatFloat(x, 'f', digits, 64), ".", f.sep, 1)
}

func (f figures) whole(x float64) string {
	if s := charts.Whole(x); s != "" {
		return s
	}
	return dash
}

func (f figures) pct(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return dash
	}
	return f.p.T("results.percent", "N", charts.Whole(100*share))
}

// span writes an interval, clamped to the scale [lo, hi] it is on.
func (f figures) span(iv analysis.Interval, digits int, min, max float64) string {
	if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
		return dash
	}
	return f.dec(math.Max(min, iv.Lo), digits) + "–" + f.dec(math.Min(max, iv.Hi), digits)
}

// measureRow is one focus area or item of one group.
type measureRow struct {
	Key, Name string
	Hidden    bool
	// Index and its interval on 0–100; Mean and its interval on 1–6.
	N, Index, Interval, Mean, MeanInterval string
	Positive, DontKnow                     string
	// Dist holds the share of each step 1–6 and "vet ikke".
	Dist   []string
	Change changeView
	Rest   changeView
	// Action links to a new action about this finding.
	Action string
	item   *analysis.Item
}

// changeView is a comparison in words, with its mark for the change since
// the previous wave.
type changeView struct {
	Has   bool
	Other string
	// Clear is set when the difference is marked: significant and at least
	// analysis.MeaningfulChange index points (analysis.Clear).
	Clear bool
	// Direction is "up", "down" or "same".
	Direction string
	Text      string
	Mark      template.HTML
}

// differenceKey picks the words for a difference: clear ones are marked;
// a significant one below the meaningful size is "small"; any other may
// be chance. base is the message prefix of the last case ("results.change"
// or "results.rest"), kind the difference's ("change" or "rest").
func differenceKey(base, kind, direction string, significant, clear bool) string {
	switch {
	case direction == "same":
		return base + ".same"
	case clear:
		return "difference." + kind + "." + direction + "_clear"
	case significant:
		return "difference." + kind + "." + direction + "_small"
	}
	return base + "." + direction
}

func (f figures) change(id, name string, it *analysis.Item) changeView {
	c := it.VsPrevious
	if it.NotComparable != "" {
		return changeView{Has: true, Direction: "same", Text: f.p.T("results.not_comparable." + it.NotComparable)}
	}
	if c == nil || math.IsNaN(c.Other.Mean) || math.IsNaN(it.Index.Mean) {
		return changeView{}
	}
	// The change between the two whole numbers shown, so that a reader who
	// subtracts them gets the same (70.78 vs 68.45 shows "71, up 3 from 68").
	diff := math.Round(it.Index.Mean) - math.Round(c.Other.Mean)
	v := changeView{Has: true, Other: f.whole(c.Other.Mean), Clear: analysis.Clear(diff, c.Test.Significant), Direction: analysis.Direction(diff)}
	var key string
	if f.plain {
		key = "report.change." + v.Direction
		if v.Clear {
			key += "_sig"
		}
	} else {
		key = differenceKey("results.change", "change", v.Direction, c.Test.Significant, v.Clear)
	}
	v.Text = f.p.T(key, "Diff", f.whole(math.Abs(diff)), "Other", v.Other)
	v.Mark = charts.Compare(charts.Change{ID: id, Title: f.p.T("results.change.title", "Name", name),
		Desc: v.Text, Now: it.Index.Mean, Previous: c.Other.Mean, Significant: v.Clear, RTL: f.rtl()})
	return v
}

func (f figures) rest(it *analysis.Item) changeView {
	c := it.VsRest
	if c == nil || math.IsNaN(c.Other.Mean) || math.IsNaN(it.Index.Mean) {
		return changeView{}
	}
	diff := math.Round(it.Index.Mean) - math.Round(c.Other.Mean)
	v := changeView{Has: true, Other: f.whole(c.Other.Mean), Clear: analysis.Clear(diff, c.Test.Significant),
		Direction: analysis.Direction(diff)}
	v.Text = f.p.T(differenceKey("results.rest", "rest", v.Direction, c.Test.Significant, v.Clear), "Other", v.Other)
	return v
}

// measure describes one item or focus area; action is the base of its
// "create an action" link ("" for none).
func (f figures) measure(key, name, idPrefix string, it *analysis.Item, action string) measureRow {
	row := measureRow{Key: key, Name: name, Hidden: it == nil || it.Hidden, item: it}
	if action != "" {
		row.Action = action
	}
	if row.Hidden {
		return row
	}
	row.N = f.whole(float64(it.N))
	row.Index, row.Interval = f.whole(it.Index.Mean), f.span(it.Index, 0, 0, 100)
	row.Mean, row.MeanInterval = f.dec(it.Mean.Mean, 1), f.span(it.Mean, 1, analysis.ScaleMin, analysis.ScaleMax)
	row.Positive, row.DontKnow = f.pct(it.Positive), f.pct(it.DontKnowShare)
	for _, d := range it.Dist {
		row.Dist = append(row.Dist, f.pct(d.Share))
	}
	row.Change = f.change(idPrefix+"-chg-"+key, name, it)
	row.Rest = f.rest(it)
	return row
}

// actionURL links a finding to the form for a new action.
func actionURL(wave, unit, kind, key string) string {
	v := url.Values{"wave": {wave}}
	if unit != analysis.Municipality {
		v.Set("unit", unit)
	}
	v.Set(kind, key)
	return "/admin/actions/new?" + v.Encode()
}

// focusRows lists a group's focus areas in the instrument's order.
func focusRows(f figures, r *analysis.Results, g *analysis.Group, idPrefix string, actions bool) []measureRow {
	var rows []measureRow
	for _, fa := range r.Instrument.FocusAreas {
		action := ""
		if actions {
			action = actionURL(r.Wave.ID, g.Key.Unit, "focus", fa.Key)
		}
		var it *analysis.Item
		if !g.Hidden {
			it = g.Focus[fa.Key]
		}
		rows = append(rows, f.measure(fa.Key, fa.Name.In(f.p.Lang), idPrefix, it, action))
	}
	return rows
}

// itemGroup is the scale items of one focus area with their distributions.
type itemGroup struct {
	ID, Name string
	Items    []measureRow
	Chart    template.HTML
}

// itemGroups lists a group's scale items by focus area, in page order;
// items outside every focus area come last.
func itemGroups(f figures, r *analysis.Results, g *analysis.Group, actions bool) []itemGroup {
	byArea := map[string][]measureRow{}
	for _, q := range r.Instrument.Questions() {
		if q.Type != surveys.TypeScale {
			continue
		}
		action := ""
		if actions {
			action = actionURL(r.Wave.ID, g.Key.Unit, "item", q.Key)
		}
		var it *analysis.Item
		if !g.Hidden {
			it = g.Items[q.Key]
		}
		byArea[q.FocusArea] = append(byArea[q.FocusArea], f.measure(q.Key, q.Text.In(f.p.Lang), "item", it, action))
	}
	var out []itemGroup
	areas := append([]surveys.FocusArea{}, r.Instrument.FocusAreas...)
	areas = append(areas, surveys.FocusArea{Key: ""})
	for _, fa := range areas {
		items := byArea[fa.Key]
		if len(items) == 0 {
			continue
		}
		name := fa.Name.In(f.p.Lang)
		if fa.Key == "" {
			name = f.p.T("results.no_focus")
		}
		id := "dist-" + fa.Key
		if fa.Key == "" {
			id = "dist-other"
		}
		out = append(out, itemGroup{ID: id, Name: name, Items: items, Chart: distributionChart(f, id, name, items)})
	}
	return out
}

// categories names the steps of the scale for the distribution charts.
func categories(p *page) []string {
	return []string{"1", "2", "3", "4", "5", "6", p.T("results.dk")}
}

func distributionChart(f figures, id, name string, items []measureRow) template.HTML {
	sc := charts.StackedChart{ID: id, Title: f.p.T("results.chart.dist_title", "Name", name),
		Desc: f.p.T("results.chart.dist_desc"), Categories: categories(f.p), HiddenLabel: f.p.T("results.too_few"),
		Percent: f.pct, RTL: f.rtl()}
	for _, it := range items {
		row := charts.StackRow{Label: it.Name, Hidden: it.Hidden}
		if !it.Hidden {
			for _, d := range it.item.Dist {
				row.Shares = append(row.Shares, d.Share)
			}
		}
		sc.Rows = append(sc.Rows, row)
	}
	return charts.Stacked(sc)
}

// focusChart draws the focus areas' indices with their intervals and the
// previous wave, and says in words which is highest and lowest.
func focusChart(f figures, id string, rows []measureRow) template.HTML {
	bc := charts.BarChart{ID: id, Title: f.term("results.chart.focus_title", "plain.chart.focus_title"), IndexLabel: f.p.T("results.index"),
		IntervalLabel: f.term("results.interval", "plain.interval"), PreviousLabel: f.p.T("results.previous"),
		HiddenLabel: f.p.T("results.too_few"), RTL: f.rtl()}
	var hi, lo *measureRow
	for i := range rows {
		row := &rows[i]
		b := charts.Bar{Label: row.Name, Hidden: row.Hidden, Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Previous: math.NaN()}
		if !row.Hidden && !math.IsNaN(row.item.Index.Mean) {
			b.Value, b.Lo, b.Hi = row.item.Index.Mean, row.item.Index.Lo, row.item.Index.Hi
			if c := row.item.VsPrevious; c != nil {
				b.Previous = c.Other.Mean
			}
			if hi == nil || b.Value > hi.item.Index.Mean {
				hi = row
			}
			if lo == nil || b.Value < lo.item.Index.Mean {
				lo = row
			}
		}
		bc.Bars = append(bc.Bars, b)
	}
	if hi == nil {
		bc.Desc = f.p.T("results.chart.focus_none")
	} else {
		bc.Desc = f.p.T("results.chart.focus_desc", "High", hi.Name, "HighIndex", hi.Index, "Low", lo.Name, "LowIndex", lo.Index)
	}
	return charts.Bars(bc)
}

// heatMap is a table of groups × focus areas, each cell shaded by the bin
// of its index (charts.HeatBins: darkest for the weakest), with a legend
// naming every bin in words.
type heatMap struct {
	// P translates the partial's words; ID names its caption.
	P       *page
	ID      string
	Caption string
	// Head names the first column (unit, or the background question's answer).
	Head    string
	Columns []string
	Rows    []heatRow
	Bins    []heatBin
	// None is set when a cell has no index (only "don't know" answers),
	// so the legend explains its dash.
	None bool
}

type heatRow struct {
	Name, Respondents string
	Hidden            bool
	Cells             []heatCell
}

type heatCell struct {
	Text, Class string
	Hidden      bool
}

// heatBin is one legend entry: the class, the indices it covers and its word.
type heatBin struct{ Class, Range, Word string }

func newHeatMap(f figures, r *analysis.Results, id, caption, head string) heatMap {
	h := heatMap{P: f.p, ID: id, Caption: caption, Head: head}
	for _, fa := range r.Instrument.FocusAreas {
		h.Columns = append(h.Columns, fa.Name.In(f.p.Lang))
	}
	h.Bins = heatLegend(f.p.T)
	return h
}

// heatLegend names every bin of charts.HeatBins in the words of t, for the
// legend under a heat map.
func heatLegend(t func(id string, args ...any) string) []heatBin {
	var bins []heatBin
	for _, b := range charts.HeatBins {
		bins = append(bins, heatBin{Class: b.Class, Range: t("heatmap.range", "From", b.From, "To", b.To),
			Word: t("heatmap.bin." + b.Word)})
	}
	return bins
}

// addRow adds a group: hidden groups and items say "too few answers".
func (h *heatMap) addRow(f figures, r *analysis.Results, name string, g *analysis.Group) {
	row := heatRow{Name: name, Hidden: g.Hidden}
	if !g.Hidden {
		row.Respondents = f.whole(float64(g.Respondents))
	}
	for _, fa := range r.Instrument.FocusAreas {
		it := g.Focus[fa.Key]
		if g.Hidden || it == nil || it.Hidden {
			row.Cells = append(row.Cells, heatCell{Hidden: true, Class: charts.HeatHidden})
			continue
		}
		c := heatCell{Text: f.whole(it.Index.Mean), Class: charts.HeatClass(it.Index.Mean)}
		h.None = h.None || c.Class == charts.HeatNone
		row.Cells = append(row.Cells, c)
	}
	h.Rows = append(h.Rows, row)
}

// segmentLabel names one answer to a background question.
func segmentLabel(p *page, in *surveys.Instrument, segment, value string) string {
	if value == analysis.NoAnswer {
		return p.T("results.segment.no_answer")
	}
	for _, q := range in.Questions() {
		if q.Segment != segment {
			continue
		}
		if l, ok := in.List(q.List); ok {
			for _, c := range l.Choices {
				if c.Value == value {
					return c.Label.In(p.Lang)
				}
			}
		}
	}
	return value
}

// segmentQuestion is the background question behind a segment key.
func segmentQuestion(in *surveys.Instrument, segment string) (surveys.Question, bool) {
	for _, q := range in.Questions() {
		if q.Segment == segment {
			return q, true
		}
	}
	return surveys.Question{}, false
}

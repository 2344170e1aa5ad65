package exports

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// statGroup is one group of the aggregated data: the total of the units
// shown, one of its background groups, or a unit.
type statGroup struct {
	code  int
	key   analysis.GroupKey
	label string
}

// statGroups numbers the export's groups: the total first, then its
// background groups, then the units, each with a label (a background
// group's is its question and answer: only the total is broken down, and
// SPSS keeps 120 bytes of a label). Hidden groups are numbered too (their
// rows are left out), so a group keeps its code whoever exports.
func (e *Export) statGroups() []statGroup {
	var out []statGroup
	for _, key := range e.groupKeys(analysis.Municipality) {
		label := e.unitName(analysis.Municipality)
		if key.Segment != analysis.AllSegment {
			label = oneLine(e.segmentName(key.Segment)) + ": " + oneLine(e.valueName(key.Segment, key.Value))
		}
		out = append(out, statGroup{key: key, label: label})
	}
	for _, u := range e.groups[1:] {
		out = append(out, statGroup{key: analysis.GroupKey{Unit: u}, label: oneLine(e.unitName(u))})
	}
	for i := range out {
		out[i].code = i + 1
	}
	return out
}

// freqRow is one row of the aggregated data: how many in a group gave
// one answer (code) to one variable.
type freqRow struct {
	group *statGroup
	v     *statVar
	code  int
	count int64
}

// frequencies lists the rows of the aggregated data, from the suppressed
// results: every answer value of every variable shown in every group
// shown, zeros included (every value is listed, as in the results). What
// is hidden is left out and said in the notes returned.
func (e *Export) frequencies(groups []statGroup, vars []statVar) (rows []freqRow, left []string) {
	hidden := e.l.t("export.stats.left_out_group", "Threshold", e.r.Threshold)
	for gi := range groups {
		sg := &groups[gi]
		g := e.r.Group(sg.key.Unit, sg.key.Segment, sg.key.Value)
		if g.Hidden {
			left = append(left, sg.label+": "+hidden)
			continue
		}
		var hiddenVars []string
		for vi := range vars {
			v := &vars[vi]
			if v.number() {
				continue // not counted per answer; the notes say so
			}
			counts, ok := answerCounts(g, v)
			if !ok {
				hiddenVars = appendOnce(hiddenVars, v.q.Key)
				continue
			}
			for _, c := range counts {
				code, known := v.code(c.Value)
				if !known {
					continue
				}
				rows = append(rows, freqRow{group: sg, v: v, code: code, count: c.Count})
			}
		}
		for _, key := range hiddenVars {
			left = append(left, sg.label+": "+e.l.t("export.stats.left_out_question", "Key", key, "Threshold", e.r.Threshold))
		}
	}
	return rows, left
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// answerCounts are a group's counts per answer value for one variable, or
// false when the group's results do not show them (hidden, or a number).
func answerCounts(g *analysis.Group, v *statVar) ([]analysis.ValueCount, bool) {
	switch v.q.Type {
	case surveys.TypeScale:
		it := g.Items[v.q.Key]
		if it == nil || it.Hidden {
			return nil, false
		}
		return it.Dist, true
	case surveys.TypeSingle, surveys.TypeYesNo:
		ch := g.Choices[v.q.Key]
		if ch == nil || ch.Hidden {
			return nil, false
		}
		return ch.Counts, true
	case surveys.TypeMulti:
		ch := g.Choices[v.q.Key]
		if ch == nil || ch.Hidden {
			return nil, false
		}
		var chosen int64
		for _, c := range ch.Counts {
			if c.Value == v.choice {
				chosen = c.Count
			}
		}
		return []analysis.ValueCount{{Value: "1", Count: chosen}, {Value: "0", Count: ch.N - chosen}}, true
	}
	return nil, false
}

// statCSV writes a data file for statistics software: RFC 4180 with
// commas and decimal points, UTF-8 without a byte order mark (which some
// readers take for part of the first name). Every text in it is a key or
// a language code, so nothing can be read as a formula.
type statCSV struct {
	bw *bufio.Writer
	w  *csv.Writer
}

func newStatCSV(w io.Writer) *statCSV {
	bw := bufio.NewWriterSize(w, 64<<10)
	return &statCSV{bw: bw, w: csv.NewWriter(bw)}
}

func (s *statCSV) write(fields ...string) error { return s.w.Write(fields) }

func (s *statCSV) finish() error {
	s.w.Flush()
	if err := s.w.Error(); err != nil {
		return err
	}
	return s.bw.Flush()
}

// aggColumns are the columns of the aggregated data file.
func (e *Export) aggColumns(groups []statGroup, vars []statVar) []statColumn {
	l := e.l
	var units, segs, vals, names []string
	for _, g := range groups {
		units = append(units, g.key.Unit)
		segs = append(segs, g.key.Segment)
		vals = append(vals, g.key.Value)
	}
	codes := []int{0}
	for _, v := range vars {
		if v.number() {
			continue
		}
		names = append(names, v.name)
		for _, c := range v.allCodes(l) {
			codes = append(codes, c.code)
		}
	}
	var groupLabels []statCode
	for _, g := range groups {
		groupLabels = append(groupLabels, statCode{code: g.code, label: g.label})
	}
	return []statColumn{
		{name: "wave", label: l.t("export.about.wave_id"), str: true, width: len(e.r.Wave.ID)},
		{name: "version", label: l.t("export.stats.version"), width: digits(e.r.Instrument.Version)},
		{name: "group", label: l.t("export.stats.group"), width: digits(len(groups)), labels: groupLabels},
		{name: "unit", label: l.t("export.stats.unit_id"), str: true, width: longest(units)},
		{name: "segment", label: l.t("export.stats.segment"), str: true, width: longest(segs)},
		{name: "segvalue", label: l.t("export.stats.segvalue"), str: true, width: longest(vals)},
		{name: "variable", label: l.t("export.stats.variable"), str: true, width: longest(names)},
		{name: "value", label: l.t("export.stats.value"), width: digits(maxOf(codes))},
		{name: "count", label: l.t("export.stats.count"), width: digits(int(e.r.Group(analysis.Municipality, analysis.AllSegment, "").Respondents)) + 1},
	}
}

// writeAggData writes the aggregated data: one row per group, variable
// and answer code, with its count (a frequency weight).
func (e *Export) writeAggData(w io.Writer, rows []freqRow) error {
	s := newStatCSV(w)
	if err := s.write("wave", "version", "group", "unit", "segment", "segvalue", "variable", "value", "count"); err != nil {
		return err
	}
	version := strconv.Itoa(e.r.Instrument.Version)
	for _, r := range rows {
		k := r.group.key
		if err := s.write(e.r.Wave.ID, version, strconv.Itoa(r.group.code), k.Unit, k.Segment, k.Value,
			r.v.name, strconv.Itoa(r.code), strconv.FormatInt(r.count, 10)); err != nil {
			return err
		}
	}
	return s.finish()
}

// rawColumns are the columns of the record-level data file before the
// variables: row number, wave, instrument version, unit and language.
func (e *Export) rawColumns(vars []statVar) []statColumn {
	l := e.l
	var unitLabels []statCode
	for i, u := range e.r.Units {
		unitLabels = append(unitLabels, statCode{code: i + 1, label: oneLine(e.unitName(u))})
	}
	cols := []statColumn{
		{name: "row", label: l.t("export.col.row"), width: digits(int(e.RawRows())) + 1},
		{name: "wave", label: l.t("export.about.wave_id"), str: true, width: len(e.r.Wave.ID)},
		{name: "version", label: l.t("export.stats.version"), width: digits(e.r.Instrument.Version)},
		{name: "unit", label: l.t("export.col.unit"), width: digits(len(e.r.Units)), labels: unitLabels},
		{name: "lang", label: l.t("export.col.language"), str: true, width: 35},
	}
	for i := range vars {
		v := &vars[i]
		c := statColumn{name: v.name, label: v.label, v: v}
		if v.number() {
			c.width, c.decimals = 12, 2
		} else {
			top := 0
			for _, sc := range v.allCodes(l) {
				top = max(top, sc.code)
			}
			c.width = digits(top)
		}
		cols = append(cols, c)
	}
	return cols
}

// writeRawData writes the answers row by row with numeric codes: one row
// per answer of a shown unit in the export, in the store's order (random
// once a wave is closed). A question not shown to the relative (its
// condition did not hold) gets the "not asked" code, one shown and left
// unanswered the "not answered" code; a number question leaves both empty.
func (e *Export) writeRawData(ctx context.Context, w io.Writer, vars []statVar, progress func(done, total int64)) error {
	s := newStatCSV(w)
	head := []string{"row", "wave", "version", "unit", "lang"}
	for _, v := range vars {
		head = append(head, v.name)
	}
	if err := s.write(head...); err != nil {
		return err
	}
	unitCode := map[string]string{}
	for i, u := range e.r.Units {
		unitCode[u] = strconv.Itoa(i + 1)
	}
	rec := make([]string, len(head))
	err := e.eachRawAnswer(ctx, progress, func(n int64, r *surveys.Response) error {
		rec[0], rec[1], rec[2] = strconv.FormatInt(n, 10), r.Wave, strconv.Itoa(versionOf(r.Instrument, e.r.Instrument.Version))
		rec[3], rec[4] = unitCode[r.Unit], r.Lang
		for i := range vars {
			rec[5+i] = rawCode(&vars[i], r.Answers)
		}
		return s.write(rec...)
	})
	if err != nil {
		return err
	}
	return s.finish()
}

// rawCode is one answer as its code in the record-level data.
func rawCode(v *statVar, a surveys.Answers) string {
	answer := a[v.q.Key]
	if answer.IsZero() {
		switch {
		case v.number():
			return ""
		case v.notAsked != 0 && !surveys.Visible(v.q, a):
			return strconv.Itoa(v.notAsked)
		}
		return strconv.Itoa(v.notAnswered)
	}
	switch v.q.Type {
	case surveys.TypeNumber:
		if f, ok := answer.Number(); ok {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return ""
	case surveys.TypeMulti:
		picked, ok := answer.Choices()
		switch {
		case !ok:
			return strconv.Itoa(v.notAnswered)
		case slices.Contains(picked, v.choice):
			return "1"
		}
		return "0"
	}
	if s, ok := answer.Choice(); ok {
		if code, ok := v.code(s); ok {
			return strconv.Itoa(code)
		}
	}
	return strconv.Itoa(v.notAnswered)
}

func digits(n int) int { return max(1, len(strconv.Itoa(n))) }

func longest(ss []string) int {
	n := 1
	for _, s := range ss {
		n = max(n, len(s))
	}
	return n
}

func maxOf(ns []int) int {
	m := 0
	for _, n := range ns {
		m = max(m, n)
	}
	return m
}

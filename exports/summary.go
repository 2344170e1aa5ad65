package exports

import (
	"math"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// groupKeys lists the groups of one unit in the order the summary shows
// them: everyone, then each background question's values.
func (e *Export) groupKeys(unit string) []analysis.GroupKey {
	keys := []analysis.GroupKey{{Unit: unit}}
	for _, seg := range surveys.SegmentKeys {
		for _, v := range e.r.Values(unit, seg) {
			keys = append(keys, analysis.GroupKey{Unit: unit, Segment: seg, Value: v})
		}
	}
	return keys
}

// writeSummary writes the Sammendrag: one row per group and scale or
// number question. Everything comes from the suppressed results; a hidden
// group or item leaves its cells empty and says why in the last column.
func (e *Export) writeSummary(t table) error {
	l, in := e.l, e.r.Instrument
	if err := t.head(l.t("export.col.unit"), l.t("export.col.segment"), l.t("export.col.value"),
		l.t("export.col.respondents"), l.t("export.col.rate"), l.t("export.col.key"), l.t("export.col.question"),
		l.t("export.col.focus_area"), l.t("export.col.n"), l.t("export.col.valid"), l.t("export.col.dont_know"),
		l.t("export.col.mean"), l.t("export.col.mean_lo"), l.t("export.col.mean_hi"),
		l.t("export.col.index"), l.t("export.col.index_lo"), l.t("export.col.index_hi"), l.t("export.col.positive"),
		l.t("export.col.previous"), l.t("export.col.change"), l.t("export.col.p"), l.t("export.col.significant"),
		l.t("export.col.note")); err != nil {
		return err
	}
	var items []surveys.Question
	for _, q := range in.Questions() {
		if q.Type == surveys.TypeScale || q.Type == surveys.TypeNumber {
			items = append(items, q)
		}
	}
	hidden := l.t("export.note.hidden", "Threshold", e.r.Threshold)
	for _, unit := range e.groups {
		for _, key := range e.groupKeys(unit) {
			g := e.r.Group(key.Unit, key.Segment, key.Value)
			var segment, val any
			if key.Segment != analysis.AllSegment {
				segment, val = e.segmentName(key.Segment), e.valueName(key.Segment, key.Value)
			}
			lead := []any{e.unitName(unit), segment, val, nil, nil}
			if !g.Hidden {
				lead[3], lead[4] = integer(g.Respondents), value(g.Rate, fmtShare)
			}
			for _, q := range items {
				var focus any
				if q.FocusArea != "" {
					focus = in.FocusAreaName(q.FocusArea, e.opt.Lang)
				}
				row := append(append([]any{}, lead...), q.Key, q.Text.In(e.opt.Lang), focus)
				it := g.Items[q.Key]
				if g.Hidden || it == nil || it.Hidden {
					row = append(row, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, hidden)
				} else {
					row = append(row, itemCells(it, q.Type == surveys.TypeScale, l)...)
				}
				if err := t.row(row...); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// itemCells are the measures of one shown item, from n to the note.
func itemCells(it *analysis.Item, scale bool, l labels) []any {
	meanFmt := fmtMean
	if !scale {
		meanFmt = fmtNumber
	}
	cells := []any{integer(it.N), integer(it.Valid), nil,
		value(it.Mean.Mean, meanFmt), value(it.Mean.Lo, meanFmt), value(it.Mean.Hi, meanFmt),
		nil, nil, nil, nil}
	if scale {
		cells[2] = integer(it.DontKnow)
		cells[6], cells[7], cells[8] = value(it.Index.Mean, fmtIndex), value(it.Index.Lo, fmtIndex), value(it.Index.Hi, fmtIndex)
		cells[9] = value(it.Positive, fmtShare)
	}
	return append(cells, changeCells(it, l)...)
}

// changeCells are the comparison with the previous wave: its index, the
// change in index points, the p-value of Welch's test and whether it is
// significant, and an empty note.
func changeCells(it *analysis.Item, l labels) []any {
	c := it.VsPrevious
	if c == nil {
		return []any{nil, nil, nil, nil, nil}
	}
	var sig any
	if !math.IsNaN(c.Test.P) {
		sig = l.t("export.value.no")
		if c.Test.Significant {
			sig = l.t("export.value.yes")
		}
	}
	return []any{value(c.Other.Mean, fmtIndex), value(it.Index.Mean-c.Other.Mean, fmtIndex),
		value(c.Test.P, fmtP), sig, nil}
}

// focusBlock locates the index matrix on the Innsatsområder sheet, which
// the chart draws: focus areas down from firstRow, one column per group
// from column 2.
type focusBlock struct {
	firstRow, areas, groups int
	// drawn says which group columns have an index to draw: a hidden
	// unit's column is empty and gets no series in the chart.
	drawn []bool
}

// writeFocus writes the Innsatsområder sheet: first a matrix of indices
// (focus areas × municipality and units) for reading and for the chart,
// then one row per group and focus area with interval and change.
func (e *Export) writeFocus(t table) (focusBlock, error) {
	l, in := e.l, e.r.Instrument
	block := focusBlock{firstRow: 3, areas: len(in.FocusAreas), groups: len(e.groups), drawn: make([]bool, len(e.groups))}
	if err := t.head(l.t("export.focus.matrix")); err != nil {
		return block, err
	}
	head := []string{l.t("export.col.focus_area")}
	for _, u := range e.groups {
		head = append(head, e.unitName(u))
	}
	if err := t.head(head...); err != nil {
		return block, err
	}
	for _, f := range in.FocusAreas {
		row := []any{f.Name.In(e.opt.Lang)}
		for i, u := range e.groups {
			g := e.r.Group(u, analysis.AllSegment, "")
			if it := g.Focus[f.Key]; !g.Hidden && it != nil && !it.Hidden {
				row = append(row, value(it.Index.Mean, fmtIndex))
				block.drawn[i] = block.drawn[i] || value(it.Index.Mean, fmtIndex).known()
			} else {
				row = append(row, nil)
			}
		}
		if err := t.row(row...); err != nil {
			return block, err
		}
	}
	if err := t.row(); err != nil {
		return block, err
	}
	if err := t.head(l.t("export.col.unit"), l.t("export.col.focus_area"), l.t("export.col.key"),
		l.t("export.col.n"), l.t("export.col.index"), l.t("export.col.index_lo"), l.t("export.col.index_hi"),
		l.t("export.col.previous"), l.t("export.col.change"), l.t("export.col.p"), l.t("export.col.significant"),
		l.t("export.col.note")); err != nil {
		return block, err
	}
	hidden := l.t("export.note.hidden", "Threshold", e.r.Threshold)
	for _, u := range e.groups {
		g := e.r.Group(u, analysis.AllSegment, "")
		for _, f := range in.FocusAreas {
			row := []any{e.unitName(u), f.Name.In(e.opt.Lang), f.Key}
			if it := g.Focus[f.Key]; !g.Hidden && it != nil && !it.Hidden {
				row = append(row, integer(it.N), value(it.Index.Mean, fmtIndex), value(it.Index.Lo, fmtIndex),
					value(it.Index.Hi, fmtIndex))
				row = append(row, changeCells(it, l)...)
			} else {
				row = append(row, nil, nil, nil, nil, nil, nil, nil, nil, hidden)
			}
			if err := t.row(row...); err != nil {
				return block, err
			}
		}
	}
	return block, nil
}

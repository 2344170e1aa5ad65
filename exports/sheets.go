package exports

import (
	"strconv"
	"strings"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// writeAbout writes the Om eksporten sheet: what was exported, when, by
// whom, and how suppression shaped it.
func (e *Export) writeAbout(t table) error {
	w, in, l := e.r.Wave, e.r.Instrument, e.l
	scope := l.t("export.value.all_units")
	if e.opt.Unit != "" {
		scope = e.unitName(e.opt.Unit)
	}
	prev := l.t("export.value.none")
	if e.r.Previous != nil {
		prev = e.r.Previous.Name + " (" + e.r.Previous.ID + ")"
	}
	raw := l.t("export.value.no")
	if e.opt.Raw {
		raw = l.t("export.value.yes")
	}
	published := w.Published
	if published == "" {
		published = l.t("export.value.not_published")
	}
	rows := [][2]any{
		{l.t("export.about.wave"), w.Name},
		{l.t("export.about.wave_id"), w.ID},
		{l.t("export.about.period"), w.Opens + " – " + w.Closes},
		{l.t("export.about.instrument"), in.Title.In(e.opt.Lang) + " (" + surveys.InstrumentID(in.Key, in.Version) + ")"},
		{l.t("export.about.published"), published},
		{l.t("export.about.scope"), scope},
		{l.t("export.about.language"), e.opt.Lang},
		{l.t("export.about.threshold"), integer(int64(e.r.Threshold))},
		{l.t("export.about.previous"), prev},
		{l.t("export.about.raw"), raw},
		{l.t("export.about.exported"), e.opt.Now.In(surveys.Oslo).Format("2006-01-02 15:04")},
		{l.t("export.about.exported_by"), e.opt.Actor},
	}
	if err := t.head(l.t("export.about.heading"), ""); err != nil {
		return err
	}
	for _, r := range rows {
		if err := t.row(r[0], r[1]); err != nil {
			return err
		}
	}
	if err := t.row(); err != nil {
		return err
	}
	if err := t.head(l.t("export.about.notes"), ""); err != nil {
		return err
	}
	notes := []string{
		l.t("export.note.suppression", "Threshold", e.r.Threshold),
		l.t("export.note.complementary"),
		l.t("export.note.index"),
		l.t("export.note.change"),
		l.t("export.note.texts"),
	}
	if e.opt.Raw {
		notes = append(notes, l.t("export.note.raw"))
	}
	for i, n := range notes {
		if err := t.row(strconv.Itoa(i+1), n); err != nil {
			return err
		}
	}
	return nil
}

// answerColumn is one column of the raw data: a question, or one choice
// of a multiple-choice question.
type answerColumn struct {
	q      surveys.Question
	choice string // set for a multiple-choice column
}

func (c answerColumn) name() string {
	if c.choice != "" {
		return c.q.Key + "." + c.choice
	}
	return c.q.Key
}

// answerColumns lists the raw data's answer columns in page order. Free
// text is left out (reviewed text is in its own sheet), and so is info.
func answerColumns(in *surveys.Instrument) []answerColumn {
	var cols []answerColumn
	for _, q := range in.Questions() {
		switch q.Type {
		case surveys.TypeText, surveys.TypeLongText, surveys.TypeInfo:
			continue
		case surveys.TypeMulti:
			if l, ok := in.List(q.List); ok {
				for _, c := range l.Choices {
					cols = append(cols, answerColumn{q: q, choice: c.Value})
				}
			}
		default:
			cols = append(cols, answerColumn{q: q})
		}
	}
	return cols
}

// writeCodebook writes the Kodebok: every question with its text, type,
// focus area and background role, then its values with their labels, then
// the focus areas, then the raw data's columns.
func (e *Export) writeCodebook(t table) error {
	in, l, lang := e.r.Instrument, e.l, e.opt.Lang
	if err := t.head(l.t("export.col.key"), l.t("export.col.type"), l.t("export.col.text"),
		l.t("export.col.focus_area"), l.t("export.col.segment"), l.t("export.col.value"), l.t("export.col.label")); err != nil {
		return err
	}
	for _, q := range in.Questions() {
		var focus any
		if q.FocusArea != "" {
			focus = in.FocusAreaName(q.FocusArea, lang)
		}
		var segment any
		if q.Segment != "" {
			segment = l.t("export.value.yes")
		}
		if err := t.row(q.Key, l.t("export.type."+string(q.Type)), q.Text.In(lang), focus, segment); err != nil {
			return err
		}
		for _, v := range valueLabels(in, q, lang, l) {
			if err := t.row(q.Key, nil, nil, nil, nil, v[0], v[1]); err != nil {
				return err
			}
		}
	}
	for _, f := range in.FocusAreas {
		if err := t.row(f.Key, l.t("export.type.focus_area"), f.Name.In(lang)); err != nil {
			return err
		}
	}
	return nil
}

// valueLabels lists a question's stored values with their labels.
func valueLabels(in *surveys.Instrument, q surveys.Question, lang string, l labels) [][2]string {
	switch q.Type {
	case surveys.TypeYesNo:
		return [][2]string{{"yes", l.t("export.value.yes")}, {"no", l.t("export.value.no")}}
	case surveys.TypeScale, surveys.TypeSingle, surveys.TypeMulti:
		list, ok := in.List(q.List)
		if !ok {
			return nil
		}
		var out [][2]string
		for _, c := range list.Choices {
			label := c.Label.In(lang)
			if q.Type == surveys.TypeMulti {
				label += " (" + l.t("export.codebook.multi", "Column", q.Key+"."+c.Value) + ")"
			}
			out = append(out, [2]string{c.Value, label})
		}
		return out
	}
	return nil
}

// segmentName is the text of a background question, by segment key.
func (e *Export) segmentName(segment string) string {
	for _, q := range e.r.Instrument.Questions() {
		if q.Segment == segment {
			return q.Text.In(e.opt.Lang)
		}
	}
	return segment
}

// valueName is the label of one value of a background question.
func (e *Export) valueName(segment, value string) string {
	if value == analysis.NoAnswer {
		return e.l.t("export.value.no_answer")
	}
	in := e.r.Instrument
	for _, q := range in.Questions() {
		if q.Segment != segment {
			continue
		}
		if list, ok := in.List(q.List); ok {
			for _, c := range list.Choices {
				if c.Value == value {
					return c.Label.In(e.opt.Lang)
				}
			}
		}
	}
	return strings.TrimSpace(value)
}

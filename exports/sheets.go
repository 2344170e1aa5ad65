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

// writeCodebook writes the Kodebok: every question with its variable
// name in the raw data and the files for statistics software, its type,
// text, focus area, background role and when it is shown (routing); then
// each variable's answer values with their codes and labels and the codes
// that mean no valid answer; then the focus areas.
func (e *Export) writeCodebook(t table) error {
	in, l, lang := e.r.Instrument, e.l, e.opt.Lang
	if err := t.head(l.t("export.col.key"), l.t("export.col.variable"), l.t("export.col.type"), l.t("export.col.text"),
		l.t("export.col.focus_area"), l.t("export.col.segment"), l.t("export.col.routing"), l.t("export.col.value"),
		l.t("export.col.code"), l.t("export.col.label"), l.t("export.col.missing")); err != nil {
		return err
	}
	vars := statVars(in, lang, l)
	yes := l.t("export.value.yes")
	for _, q := range in.Questions() {
		var focus, segment, routing, name any
		if q.FocusArea != "" {
			focus = in.FocusAreaName(q.FocusArea, lang)
		}
		if q.Segment != "" {
			segment = yes
		}
		if c, err := q.Condition(); err == nil && q.ShowIf != "" {
			routing = c.String()
		}
		var qvars []statVar
		for _, v := range vars {
			if v.q.Key == q.Key {
				qvars = append(qvars, v)
			}
		}
		if len(qvars) > 0 && q.Type != surveys.TypeMulti {
			name = qvars[0].name
		}
		if err := t.row(q.Key, name, l.t("export.type."+string(q.Type)), q.Text.In(lang), focus, segment, routing); err != nil {
			return err
		}
		for _, v := range qvars {
			for _, c := range v.codes {
				var missing any
				label := c.label
				if c.value == surveys.DontKnow {
					missing = yes
				}
				if q.Type == surveys.TypeMulti {
					if c.code != 1 {
						continue
					}
					label = oneLine(choiceLabel(in, q, v.choice, lang)) + " (" + l.t("export.codebook.multi", "Column", v.name) + ")"
					c.value = v.choice
				}
				if err := t.row(q.Key, v.name, nil, nil, nil, nil, nil, c.value, integer(int64(c.code)), label, missing); err != nil {
					return err
				}
			}
			for _, m := range v.missing(l) {
				if m.value == surveys.DontKnow {
					continue // listed with the answer values
				}
				if err := t.row(q.Key, v.name, nil, nil, nil, nil, nil, nil, integer(int64(m.code)), m.label, yes); err != nil {
					return err
				}
			}
		}
	}
	for _, f := range in.FocusAreas {
		if err := t.row(f.Key, nil, l.t("export.type.focus_area"), f.Name.In(lang)); err != nil {
			return err
		}
	}
	return nil
}

// choiceLabel is the label of one value of a question's list.
func choiceLabel(in *surveys.Instrument, q surveys.Question, value, lang string) string {
	if list, ok := in.List(q.List); ok {
		for _, c := range list.Choices {
			if c.Value == value {
				return c.Label.In(lang)
			}
		}
	}
	return value
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

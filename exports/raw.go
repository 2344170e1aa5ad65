package exports

import (
	"context"
	"slices"
	"strconv"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// progressEvery is how many rows pass between progress reports.
const progressEvery = 1000

// writeRaw writes the Rådata: one row per answer of a shown unit in the
// export, numbered (the stored id derives from the relative's receipt
// code, so it is never written), without free text, date or anything
// else that is not an answer. It reads the answers in one pass.
func (e *Export) writeRaw(ctx context.Context, t table, progress func(done, total int64)) error {
	vars := statVars(e.r.Instrument, e.opt.Lang, e.l)
	head := e.rawHead(vars)
	const lead = 5
	if err := t.head(head...); err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range e.groups[1:] {
		names[u] = e.unitName(u)
	}
	row := make([]any, len(head))
	return e.eachRawAnswer(ctx, progress, func(n int64, r *surveys.Response) error {
		row[0], row[1], row[2] = integer(n), r.Wave, integer(int64(versionOf(r.Instrument, e.r.Instrument.Version)))
		row[3], row[4] = names[r.Unit], r.Lang
		for i := range vars {
			row[lead+i] = answerCell(&vars[i], r.Answers[vars[i].q.Key])
		}
		return t.row(row...)
	})
}

// eachRawAnswer reads the wave's answers in one pass and calls fn with
// each answer of a shown unit in the export, numbered from 1, telling
// progress every progressEvery rows and at the end.
func (e *Export) eachRawAnswer(ctx context.Context, progress func(done, total int64), fn func(n int64, r *surveys.Response) error) error {
	total := e.RawRows()
	var n int64
	err := analysis.EachAnswer(ctx, e.db, e.r.Wave.ID, func(r *surveys.Response) error {
		if !e.inScope(r.Unit) {
			return nil
		}
		n++
		if err := fn(n, r); err != nil {
			return err
		}
		if progress != nil && n%progressEvery == 0 {
			progress(n, max(n, total))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if progress != nil {
		progress(n, max(n, total))
	}
	return nil
}

// rawHead is the header of the raw data: row, wave, instrument version,
// unit and language, then the variables as the codebook names them.
func (e *Export) rawHead(vars []statVar) []string {
	l := e.l
	head := []string{l.t("export.col.row"), l.t("export.about.wave_id"), l.t("export.stats.version"),
		l.t("export.col.unit"), l.t("export.col.language")}
	for _, v := range vars {
		head = append(head, v.name)
	}
	return head
}

// answerCell is one answer as a cell for a spreadsheet: scale steps and
// numbers as numbers, "vet ikke" as the text "dk" (so spreadsheet means
// leave it out, as the results do; the files for statistics software code
// it as a declared missing value instead), choices as their stored value,
// multiple choice as 1 or 0 per choice, and nothing for a question not
// answered.
func answerCell(c *statVar, v surveys.Answer) any {
	switch c.q.Type {
	case surveys.TypeMulti:
		picked, ok := v.Choices()
		if !ok {
			return nil
		}
		if slices.Contains(picked, c.choice) {
			return integer(1)
		}
		return integer(0)
	case surveys.TypeNumber:
		if f, ok := v.Number(); ok {
			return value(f, fmtNumber)
		}
	case surveys.TypeScale:
		if s, ok := v.Choice(); ok {
			if i, err := strconv.Atoi(s); err == nil {
				return integer(int64(i))
			}
		}
	}
	if s, ok := v.Choice(); ok {
		return s
	}
	return nil
}

// writeTexts writes the Fritekst sheet: reviewed free text of shown units
// only, as it may be shown (redacted where an advisor redacted it).
func (e *Export) writeTexts(t table) error {
	if err := e.reviewedTexts(); err != nil {
		return err
	}
	l, in := e.l, e.r.Instrument
	if err := t.head(l.t("export.col.unit"), l.t("export.col.focus_area"), l.t("export.col.key"),
		l.t("export.col.question"), l.t("export.col.language"), l.t("export.col.text")); err != nil {
		return err
	}
	for _, x := range e.texts {
		if !e.inScope(x.Unit) {
			continue // ReviewedTexts already leaves hidden units out; this keeps the unit filter too
		}
		var focus any
		if x.Focus != "" {
			focus = in.FocusAreaName(x.Focus, e.opt.Lang)
		}
		var question string
		if q, ok := in.Question(x.Question); ok {
			question = q.Text.In(e.opt.Lang)
		}
		if err := t.row(e.unitName(x.Unit), focus, x.Question, question, x.Lang, x.Text); err != nil {
			return err
		}
	}
	return nil
}

// versionOf reads the version from an instrument id ("key@3").
func versionOf(id string, fallback int) int {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '@' {
			if n, err := strconv.Atoi(id[i+1:]); err == nil {
				return n
			}
			break
		}
	}
	return fallback
}

package exports

import (
	"archive/zip"
	"context"
	"io"
	"strings"
	"time"

	"github.com/stemme/stemme/surveys"
)

// WriteStats writes the package for statistics software as a zip file:
// the aggregated data (one row per group, variable and answer code, with
// its count as a frequency weight), syntax that reads it in SPSS/PSPP, R
// and Stata, the codebook (CSV with sep) and a README. The data are the
// suppressed results: hidden groups and questions are left out, and the
// README names them. With Options.Raw (the command line only) the answers
// row by row are added with their own syntax files; progress is told
// about those rows.
func (e *Export) WriteStats(ctx context.Context, w io.Writer, sep Separator, progress func(done, total int64)) error {
	if err := ctx.Err(); err != nil {
		return wrap("the statistics package", err)
	}
	zw := zip.NewWriter(w)
	l := e.l
	vars := statVars(e.r.Instrument, e.opt.Lang, l)
	groups := e.statGroups()
	rows, left := e.frequencies(groups, vars)
	header := e.statHeader()
	agg := &statScript{data: e.FileName("stats", "csv"), header: header, cols: e.aggColumns(groups, vars),
		vars: vars, long: true, l: l}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"README.txt", func(w io.Writer) error { return e.writeReadme(w, agg, left) }},
		{agg.data, func(w io.Writer) error { return e.writeAggData(w, rows) }},
		{e.FileName("stats", "sps"), func(w io.Writer) error { return writeSPSS(w, agg) }},
		{e.FileName("stats", "R"), func(w io.Writer) error { return writeR(w, agg) }},
		{e.FileName("stats", "do"), func(w io.Writer) error { return writeStata(w, agg) }},
		{e.FileName("codebook", "csv"), func(w io.Writer) error { return e.WriteCodebookCSV(w, sep) }},
	}
	if e.opt.Raw {
		raw := &statScript{data: e.FileName("raw", "csv"), header: append(header, l.t("export.note.raw_stats")),
			cols: e.rawColumns(vars), vars: vars, l: l}
		files = append(files, []struct {
			name  string
			write func(io.Writer) error
		}{
			{raw.data, func(w io.Writer) error { return e.writeRawData(ctx, w, vars, progress) }},
			{e.FileName("raw", "sps"), func(w io.Writer) error { return writeSPSS(w, raw) }},
			{e.FileName("raw", "R"), func(w io.Writer) error { return writeR(w, raw) }},
			{e.FileName("raw", "do"), func(w io.Writer) error { return writeStata(w, raw) }},
		}...)
	}
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: e.opt.Now.In(time.UTC)})
		if err != nil {
			return wrap("the statistics package", err)
		}
		if err := f.write(fw); err != nil {
			return wrap(f.name, err)
		}
	}
	return wrap("the statistics package", zw.Close())
}

// statHeader is the first lines of every syntax file and the README: what
// was exported, from which questionnaire, in which language.
func (e *Export) statHeader() []string {
	w, in, l := e.r.Wave, e.r.Instrument, e.l
	scope := l.t("export.value.all_units")
	if e.opt.Unit != "" {
		scope = e.unitName(e.opt.Unit)
	}
	return []string{
		l.t("export.stats.title", "Wave", w.Name, "ID", w.ID, "Period", w.Opens+" – "+w.Closes),
		l.t("export.stats.instrument", "Title", in.Title.In(e.opt.Lang), "ID", surveys.InstrumentID(in.Key, in.Version),
			"Lang", e.opt.Lang, "Units", scope),
		l.t("export.stats.exported", "Time", e.opt.Now.In(surveys.Oslo).Format("2006-01-02 15:04"), "Threshold", e.r.Threshold),
	}
}

// writeReadme writes README.txt: what each file is, how to read the data
// and what was left out to protect small groups.
func (e *Export) writeReadme(w io.Writer, agg *statScript, left []string) error {
	l := e.l
	out := newScript(w)
	for _, h := range agg.header {
		out.line(h)
	}
	out.line()
	out.line(l.t("export.stats.files"))
	for _, f := range [][2]string{
		{agg.data, "export.stats.file.data"},
		{e.FileName("stats", "sps"), "export.stats.file.spss"},
		{e.FileName("stats", "R"), "export.stats.file.r"},
		{e.FileName("stats", "do"), "export.stats.file.stata"},
		{e.FileName("codebook", "csv"), "export.stats.file.codebook"},
	} {
		out.line("- ", f[0], ": ", l.t(f[1]))
	}
	if e.opt.Raw {
		out.line("- ", e.FileName("raw", "csv"), ": ", l.t("export.stats.file.raw_data"))
		out.line("- ", strings.Join([]string{e.FileName("raw", "sps"), e.FileName("raw", "R"), e.FileName("raw", "do")}, ", "),
			": ", l.t("export.stats.file.raw_syntax"))
	}
	out.line()
	out.line(l.t("export.about.notes") + ":")
	for _, n := range []string{
		l.t("export.stats.note.weight"),
		l.t("export.stats.note.codes"),
		l.t("export.stats.note.routing"),
		l.t("export.stats.note.numbers"),
		l.t("export.note.suppression", "Threshold", e.r.Threshold),
		l.t("export.note.complementary"),
	} {
		out.line("- ", n)
	}
	if e.opt.Raw {
		out.line("- ", l.t("export.note.raw_stats"))
	}
	out.line()
	out.line(l.t("export.stats.left_out"))
	if len(left) == 0 {
		out.line("- ", l.t("export.value.none"))
	}
	for _, x := range left {
		out.line("- ", x)
	}
	return out.finish()
}

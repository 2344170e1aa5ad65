package surveys

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Translators work on a file with one row per text: key (the text's stable
// id), source (the text in the source language), target (the translation)
// and status (missing, stale or done, for the translator's eye). The same
// rows come from an XLSForm a translator filled in. Applying them to a
// draft sets each translation; one made from a source text that has since
// changed is set but marked stale, so a person checks it.

// TranslationRow is one text for a translator; Line is its line in a file
// read (1 is the header).
type TranslationRow struct {
	Key, Source, Target, Status string
	Line                        int
}

// Translation statuses in the translator's file.
const (
	TranslationMissing = "missing"
	TranslationStale   = "stale"
	TranslationDone    = "done"
)

// TranslationRows lists every text of the instrument with its translation
// into lang; optional texts the source language lacks are left out.
func (in *Instrument) TranslationRows(lang string) []TranslationRow {
	src := in.SourceLanguage()
	var rows []TranslationRow
	for _, r := range in.TextRefs() {
		if r.Text[src] == "" {
			continue
		}
		row := TranslationRow{Key: r.ID, Source: r.Text[src], Target: r.Text[lang], Status: TranslationDone}
		switch {
		case row.Target == "":
			row.Status = TranslationMissing
		case in.IsStale(lang, r.ID):
			row.Status = TranslationStale
		}
		rows = append(rows, row)
	}
	return rows
}

// translationsHeader is the header of a translator's CSV file.
var translationsHeader = []string{"key", "source", "target", "status"}

// WriteTranslationsCSV writes the translator's file for lang: UTF-8 with a
// byte order mark (so Excel reads it as UTF-8), CRLF line ends, separated
// by semicolons (what Excel with Norwegian settings opens) or commas.
// A text that would start a formula is prefixed with an apostrophe, which
// ReadTranslationsCSV removes again.
func WriteTranslationsCSV(w io.Writer, in *Instrument, lang string, semicolon bool) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\uFEFF")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if semicolon {
		cw.Comma = ';'
	}
	if err := cw.Write(translationsHeader); err != nil {
		return fmt.Errorf("surveys: unable to write translations: %w", err)
	}
	for _, r := range in.TranslationRows(lang) {
		if err := cw.Write([]string{r.Key, defuse(r.Source), defuse(r.Target), r.Status}); err != nil {
			return fmt.Errorf("surveys: unable to write translations: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("surveys: unable to write translations: %w", err)
	}
	return bw.Flush()
}

// defuse keeps a spreadsheet from running a text as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func undefuse(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// TranslationFileError is a translator's file that cannot be read, with
// the line where reading stopped (0 for the whole file) and a message id.
type TranslationFileError struct {
	Line int
	ID   string
	What string
}

func (e *TranslationFileError) Error() string {
	return fmt.Sprintf("surveys: translations, line %d: %s", e.Line, e.What)
}

// ReadTranslationsCSV reads a translator's CSV file, separated by commas
// or semicolons (as the header shows), with or without a byte order mark.
func ReadTranslationsCSV(r io.Reader) ([]TranslationRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxXLSFormBytes+1))
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to read translations: %w", err)
	}
	if len(data) > maxXLSFormBytes {
		return nil, ErrXLSFormTooLarge
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, &TranslationFileError{ID: "encoding", What: "the file is not UTF-8 text"}
	}
	first, _, _ := strings.Cut(string(data), "\n")
	cr := csv.NewReader(bytes.NewReader(data))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &TranslationFileError{Line: 1, ID: "header", What: "the first line must be key, source, target, status"}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"key", "target"} {
		if _, ok := col[need]; !ok {
			return nil, &TranslationFileError{Line: 1, ID: "header", What: "the first line must be key, source, target, status"}
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return undefuse(strings.TrimSpace(rec[i]))
		}
		return ""
	}
	var rows []TranslationRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &TranslationFileError{Line: line, ID: "syntax", What: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, TranslationRow{Key: get(rec, "key"), Source: get(rec, "source"), Target: get(rec, "target"),
			Status: get(rec, "status"), Line: line})
	}
}

// TranslationsFrom lists the translations into lang that another instrument
// holds (an XLSForm a translator filled in), each with the source text it
// had in this instrument's source language.
func (in *Instrument) TranslationsFrom(from *Instrument, lang string) []TranslationRow {
	src := in.SourceLanguage()
	var rows []TranslationRow
	for _, r := range from.TextRefs() {
		if r.Text[lang] != "" {
			rows = append(rows, TranslationRow{Key: r.ID, Source: r.Text[src], Target: r.Text[lang]})
		}
	}
	return rows
}

// TranslationReport says what applying a translator's rows did.
type TranslationReport struct {
	Updated, Unchanged int
	// Stale rows were translated from a source text that has changed since.
	Stale    int
	Problems []TranslationProblem
}

// TranslationProblem is a row that was not applied.
type TranslationProblem struct {
	Line int
	Key  string
	ID   string // unknown_key or source_language
}

// ApplyTranslations sets the translations into lang of the rows that have
// one. Rows for texts the instrument does not have are reported; a row
// whose source differs from the current source text is applied and marked
// stale. Nothing is changed in the source language.
func (in *Instrument) ApplyTranslations(lang string, rows []TranslationRow) (TranslationReport, error) {
	var rep TranslationReport
	if !in.HasLanguage(lang) {
		return rep, ErrNoSuchPart
	}
	src := in.SourceLanguage()
	for _, row := range rows {
		if row.Target == "" {
			continue
		}
		t := in.textOf(row.Key)
		switch {
		case lang == src:
			rep.Problems = append(rep.Problems, TranslationProblem{Line: row.Line, Key: row.Key, ID: "source_language"})
			continue
		case t == nil:
			rep.Problems = append(rep.Problems, TranslationProblem{Line: row.Line, Key: row.Key, ID: "unknown_key"})
			continue
		case (*t)[lang] == row.Target && (row.Source == "" || row.Source == (*t)[src]):
			rep.Unchanged++
			continue
		}
		old := *t
		*t = MergeText(old, Text{lang: row.Target})
		in.textChanged(row.Key, old, *t)
		rep.Updated++
		if row.Source != "" && row.Source != (*t)[src] {
			in.Stale = append(in.Stale, StaleText{Lang: lang, ID: row.Key})
			rep.Stale++
		}
	}
	return rep, nil
}

// textOf finds the text with the id, for changing it in place.
func (in *Instrument) textOf(id string) *Text {
	parts := strings.Split(id, ".")
	switch {
	case id == "title":
		return &in.Title
	case id == "intro":
		return &in.Intro
	case len(parts) == 2 && parts[0] == "focus_area":
		for i := range in.FocusAreas {
			if in.FocusAreas[i].Key == parts[1] {
				return &in.FocusAreas[i].Name
			}
		}
	case len(parts) == 3 && parts[0] == "choice":
		for i := range in.Lists {
			for j := range in.Lists[i].Choices {
				if in.Lists[i].Name == parts[1] && in.Lists[i].Choices[j].Value == parts[2] {
					return &in.Lists[i].Choices[j].Label
				}
			}
		}
	case len(parts) == 3 && parts[0] == "page" && parts[2] == "title":
		for i := range in.Pages {
			if in.Pages[i].Key == parts[1] {
				return &in.Pages[i].Title
			}
		}
	case len(parts) == 3 && parts[0] == "question":
		pi, qi, ok := in.QuestionAt(parts[1])
		if !ok {
			return nil
		}
		q := &in.Pages[pi].Questions[qi]
		switch parts[2] {
		case "text":
			return &q.Text
		case "help":
			return &q.Help
		case "constraint_msg":
			return &q.ConstraintMsg
		}
	}
	return nil
}

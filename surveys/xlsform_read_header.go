package surveys

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// columnSpec is what a sheet reads: single-column fields, fields with one
// column per language (label::English (en)), and pyxform's other names for
// them.
type columnSpec struct {
	plain, languaged []string
	aliases          map[string]string
}

// The columns each sheet understands. Settings' style (the web-form theme
// of ODK and KoboToolbox) is accepted and ignored: Stemme has its own layout.
var xlsColumns = map[string]columnSpec{
	sheetSurvey: {
		plain: []string{"type", "name", "required", "relevant", "appearance", "constraint", "choice_filter", "read_only",
			"focus_area", "segment", "min", "max"},
		languaged: []string{"label", "hint", "constraint_message"},
		aliases: map[string]string{"caption": "label", "relevance": "relevant", "constraining_message": "constraint_message",
			"readonly": "read_only", "command": "type", "tag": "name", "value": "name"},
	},
	sheetChoices: {plain: []string{"list_name", "name"}, languaged: []string{"label"},
		aliases: map[string]string{"caption": "label", "value": "name"}},
	sheetSettings: {plain: []string{"form_id", "form_title", "version", "default_language", "audience", "style"},
		languaged: []string{"title", "intro"},
		aliases:   map[string]string{"set_form_title": "form_title", "set_form_id": "form_id", "id_string": "form_id"}},
	sheetFocusAreas: {plain: []string{"key"}, languaged: []string{"label"}},
	sheetLanguages:  {plain: []string{"code", "status", "name", "direction", "title", "intro"}},
}

// Why common ODK columns are refused, for the ones an author is likely to
// use: each changes what is asked or stored.
var unsupportedColumns = map[string][2]string{
	"calculation":  {"calculation", "calculations are not supported"},
	"calculate":    {"calculation", "calculations are not supported"},
	"default":      {"default", "default answers are not supported: a relative starts from an empty form"},
	"repeat_count": {"repeat", "repeats are not supported"},
	"count":        {"repeat", "repeats are not supported"},
	"jr:count":     {"repeat", "repeats are not supported"},
	"trigger":      {"trigger", "triggers are not supported"},
}

// mediaColumns carry images, sound or video, which Stemme does not show.
var mediaColumns = []string{"image", "big-image", "big_image", "audio", "video", "media"}

// ignoredColumns change only how ODK shows or words something Stemme
// words by itself: their values are ignored with a warning.
var ignoredColumns = map[string]string{
	"required_message": "Stemme says in its own words that an answer is needed",
	"guidance_hint":    "Stemme shows the hint only",
	"parameters":       "Stemme lays out the choices by itself",
	"autoplay":         "Stemme plays no media",
}

// splitHeader reads a header into its field and language: "label::English
// (en)", and pyxform's older single colon, "label:English (en)".
func splitHeader(h string) (base, lang string, languaged bool) {
	base, lang, languaged = strings.Cut(h, "::")
	if !languaged && !strings.HasPrefix(strings.ToLower(h), "jr:") {
		base, lang, languaged = strings.Cut(h, ":")
	}
	return strings.Join(strings.Fields(strings.ToLower(base)), "_"), strings.TrimSpace(lang), languaged
}

// header reads a sheet's first row. A languaged column without a language
// (plain "label", or label::default) is filed under "" until the default
// language is known.
func (r *xlsReader) header(key string) {
	sh := r.sheets[key]
	if sh == nil {
		return
	}
	spec := xlsColumns[key]
	sh.cols, sh.langs, sh.extra, sh.ignored = map[string]int{}, map[string]map[string]int{}, map[string]int{}, map[int]bool{}
	var head []string
	if len(sh.rows) > 0 {
		head = sh.rows[0]
	}
	width := 0
	for _, row := range sh.rows {
		width = max(width, len(row))
	}
	for c := range width {
		h := cellAt(head, c)
		hasValues := slices.ContainsFunc(sh.rows[min(1, len(sh.rows)):], func(row []string) bool { return cellAt(row, c) != "" })
		base, lang, languaged := splitHeader(h)
		if a, ok := spec.aliases[base]; ok {
			base = a
		}
		switch {
		case strings.HasPrefix(h, "$"):
			sh.ignored[c] = true // KoboToolbox bookkeeping ($kuid, $autoname, …)
		case h == "":
			sh.ignored[c] = true
			if hasValues {
				r.fail(sh, 1, c, "no_header", "this column has values but no header")
			}
		case slices.Contains(spec.languaged, base):
			code, err := parseLanguage(lang)
			if !languaged {
				code, err = "", nil
			}
			if err != nil {
				sh.ignored[c] = true
				r.failLanguage(sh, 1, c, h, lang, err)
				continue
			}
			if sh.langs[base] == nil {
				sh.langs[base] = map[string]int{}
			}
			r.addColumn(sh, sh.langs[base], code, c, h)
		case !languaged && slices.Contains(spec.plain, base):
			r.addColumn(sh, sh.cols, base, c, h)
		default:
			sh.ignored[c] = true
			r.otherColumn(sh, key, c, h, base, hasValues)
		}
	}
}

// otherColumn handles a column the sheet does not read: refused when it
// holds what Stemme cannot honour, a candidate for choice filters on the
// choices sheet, and otherwise ignored with a warning.
func (r *xlsReader) otherColumn(sh *xlsSheet, key string, c int, h, base string, hasValues bool) {
	switch why, refused := unsupportedColumns[base]; {
	case !hasValues:
	case slices.Contains(mediaColumns, base):
		r.fail(sh, 1, c, "column_media", "Stemme does not show images, sound or video (column %q): clear or delete it", "Column", h)
	case refused:
		r.fail(sh, 1, c, "column_"+why[0], "Stemme does not read the column %q ("+why[1]+"): clear or delete it", "Column", h)
	case key == sheetChoices && filterColumnPattern.MatchString(h):
		sh.extra[h] = c // kept if a choice filter reads it; see keepFilterColumns
	case ignoredColumns[base] != "":
		r.warn(sh, 1, c, "column_"+base, "the column %q is ignored: "+ignoredColumns[base], "Column", h)
	case key == sheetSettings:
		r.warn(sh, 1, c, "column_setting", "the setting %q is ignored: Stemme publishes, stores and names answers by itself", "Column", h)
	default:
		r.warn(sh, 1, c, "column_ignored", "Stemme does not read the column %q: its values are ignored", "Column", h)
	}
}

// failLanguage explains why the language of a column (or setting) could
// not be read, asking for the code when the name is unknown.
func (r *xlsReader) failLanguage(sh *xlsSheet, row, col int, h, lang string, err error) {
	if errors.Is(err, errLanguageName) {
		r.fail(sh, row, col, "language_name", "%s: Stemme does not know the language %q: write it with its code, as in %s (xx), with the code from BCP 47",
			"Header", h, "Language", lang, "Example", lang)
		return
	}
	r.fail(sh, row, col, "language_code", "%s: %q is not a language code: write the language as Name (code), for example English (en)", "Header", h, "Language", lang)
}

func (r *xlsReader) addColumn(sh *xlsSheet, m map[string]int, key string, c int, h string) {
	if prev, dup := m[key]; dup {
		letter, _ := excelize.ColumnNumberToName(prev + 1)
		sh.ignored[c] = true
		r.fail(sh, 1, c, "column_twice", "the column %q is there twice (also column %s)", "Column", h, "Other", letter)
		return
	}
	m[key] = c
}

// text reads a languaged field of a row. A required text needs every
// language; an optional one none or every one, as Validate's checkText.
// Missing text in the source language stops the import; in another
// language it is a warning, since a language may be translated later.
func (r *xlsReader) text(sh *xlsSheet, row []string, excelRow int, field string, required bool) Text {
	cols := sh.langs[field]
	t := Text{}
	for _, l := range r.langs {
		if v := cellAt(row, colOr(cols, l)); v != "" {
			t[l] = v
		}
	}
	if len(t) == 0 && !required {
		return nil
	}
	for _, l := range r.langs {
		report := r.warn
		if l == r.def {
			report = r.fail
		}
		switch c := colOr(cols, l); {
		case t[l] != "":
		case c >= 0:
			report(sh, excelRow, c, "text_missing", "the %s in %s is missing", "Field", field, "Language", l)
		case !r.missing[sh.name+"/"+field+"/"+l]:
			r.missing[sh.name+"/"+field+"/"+l] = true
			add := field + "::" + languageHeader(l)
			if field == "title" && l == r.def {
				add = "form_title" // the title column every XLSForm tool knows
			}
			report(sh, 1, -1, "column_missing", "there is no %s column for %s: add %s", "Field", field, "Language", l, "Add", add)
		}
	}
	return t
}

// requiredSpellings are the yes and no of XLSForm tools, Excel's booleans
// and XPath's true() and false() included.
var requiredSpellings = map[string]bool{"yes": true, "true": true, "1": true, "true()": true,
	"": false, "no": false, "false": false, "0": false, "false()": false}

// parseRequired reads the required column: yes or no, or else a condition
// on earlier answers (required-if), returned in canonical form.
func parseRequired(s string) (required bool, cond string, err error) {
	if v, ok := requiredSpellings[strings.ToLower(s)]; ok {
		return v, "", nil
	}
	c, err := ParseCondition(s)
	if err != nil {
		return false, "", err
	}
	return false, c.String(), nil
}

// parseLimit reads a min or max: a plain finite number.
func parseLimit(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	f, ok := parseNumber(s)
	if !ok {
		return nil, fmt.Errorf("%q is not a number (write 10 or 2.5)", s)
	}
	return &f, nil
}

// parseVersion reads settings' version: a whole number from 1; empty (and,
// with ok false, anything else, such as KoboToolbox's generated version
// strings) means 1, since an import is numbered by the store anyway.
func parseVersion(s string) (v int, ok bool) {
	if s == "" {
		return 1, true
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 1, false
	}
	return v, true
}

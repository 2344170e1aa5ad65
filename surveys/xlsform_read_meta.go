package surveys

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// read turns the loaded sheets into an instrument, recording every problem.
// The settings come first because the default language decides what a plain
// label column means.
func (r *xlsReader) read() *Instrument {
	in := &Instrument{}
	r.missing, r.areas, r.lists, r.filterCols = map[string]bool{}, map[string]bool{}, map[string]*xlsList{}, map[string]bool{}
	for _, key := range xlsSheets {
		r.header(key)
	}
	settings := r.sheets[sheetSettings]
	var values []string
	if settings == nil {
		// pyxform makes do without settings; so does Stemme (see readSettings).
		settings = &xlsSheet{name: sheetSettings, cols: map[string]int{}, langs: map[string]map[string]int{}, extra: map[string]int{}}
	} else if len(settings.rows) > 1 {
		values = settings.rows[1]
		for i := 2; i < len(settings.rows); i++ {
			if !settings.blank(settings.rows[i]) {
				r.fail(settings, i+1, -1, "settings_rows", "settings take one row of values, under the headers")
			}
		}
	}
	r.readLanguages(settings, values)
	in.Languages = make([]LanguageStatus, len(r.langs))
	for i, l := range r.langs {
		in.Languages[i] = r.langInfo[l]
		in.Languages[i].Code, in.Languages[i].Status = l, r.status[l]
	}
	r.readSettings(in, settings, values)
	r.readFocusAreas(in)
	r.readChoices()
	r.readSurvey(in)
	r.keepFilterColumns()
	// Lists come out in the order the choices sheet gives them; one that
	// only yes/no questions use is the stand-in WriteXLSForm made for them.
	for _, name := range r.listOrder {
		if l := r.lists[name]; !l.yesno || l.used {
			in.Lists = append(in.Lists, l.list)
		}
	}
	return in
}

// readLanguages decides the instrument's languages: the languages sheet when
// there is one, otherwise every language a column names, the default first.
func (r *xlsReader) readLanguages(settings *xlsSheet, values []string) {
	r.status, r.langInfo = map[string]string{}, map[string]LanguageStatus{}
	if v := settings.get(values, "default_language"); v != "" {
		code, err := parseLanguage(v)
		switch {
		case err != nil:
			r.failLanguage(settings, 2, settings.col("default_language"), "default_language", v, err)
		case code != "":
			r.def = code
		}
	}
	listed := r.readLanguagesSheet()
	if listed && r.def != "" && !slices.Contains(r.langs, r.def) {
		r.fail(settings, 2, settings.col("default_language"), "default_not_listed", "the default language %s is not in the languages sheet", "Language", r.def)
	}
	if r.def == "" {
		switch code := r.firstNamedLanguage(); {
		case len(r.langs) > 0:
			r.def = r.langs[0]
		case code != "":
			r.def = code
		default:
			r.def = "nb" // what a plain label column means in a Norwegian municipality
			r.warn(r.sheets[sheetSurvey], 1, -1, "language_assumed",
				"the form names no language, so its texts are taken as %s: if they are in another language, set default_language in the settings, as in English (en)",
				"Language", languageHeader("nb"))
		}
	}
	for _, key := range xlsSheets {
		sh := r.sheets[key]
		if sh == nil {
			continue
		}
		for _, cols := range sh.langs {
			if c, ok := cols[""]; ok {
				delete(cols, "")
				r.addColumn(sh, cols, r.def, c, cellAt(sh.rows[0], c))
			}
		}
		for _, c := range sortedColumns(sh) {
			switch {
			case listed && !slices.Contains(r.langs, c.code):
				r.fail(sh, 1, c.col, "language_not_listed", "%s is not in the languages sheet", "Language", c.code)
			case !listed && !slices.Contains(r.langs, c.code):
				r.langs = append(r.langs, c.code)
			}
		}
	}
	if i := slices.Index(r.langs, r.def); i > 0 {
		r.langs = slices.Insert(slices.Delete(r.langs, i, i+1), 0, r.def)
		if listed {
			row := r.langRows[i]
			r.langRows = slices.Insert(slices.Delete(r.langRows, i, i+1), 0, row)
		}
	} else if i < 0 && !listed {
		r.langs = slices.Insert(r.langs, 0, r.def)
	}
	for _, l := range r.langs {
		if r.status[l] == "" {
			r.status[l] = StatusDraft
		}
	}
}

// readLanguagesSheet reads Stemme's languages sheet: code, status, and the
// name and direction when they differ from what Language knows. It reports
// whether the sheet lists any language.
func (r *xlsReader) readLanguagesSheet() bool {
	sh := r.sheets[sheetLanguages]
	if sh == nil {
		return false
	}
	listed := false
	sh.dataRows(func(row []string, n int) {
		listed = true
		v := sh.get(row, "code")
		code, err := parseLanguage(v)
		switch {
		case err != nil || code == "":
			r.failLanguage(sh, n, sh.col("code"), "code", v, err)
			return
		case slices.Contains(r.langs, code):
			r.fail(sh, n, sh.col("code"), "language_twice", "%s is listed twice", "Language", code)
			return
		}
		status := sh.get(row, "status")
		if status == "" {
			status = StatusDraft
		} else if status != StatusDraft && status != StatusReviewed {
			r.fail(sh, n, sh.col("status"), "language_status", "status must be %s or %s, found %q", "Draft", StatusDraft, "Reviewed", StatusReviewed, "Found", status)
		}
		info := LanguageStatus{Name: sh.get(row, "name")}
		switch dir := strings.ToLower(sh.get(row, "direction")); dir {
		case "", "ltr", "rtl":
			info.Dir = dir
		default:
			r.fail(sh, n, sh.col("direction"), "language_direction", "direction must be ltr or rtl, found %q", "Found", dir)
		}
		known := Language(code)
		if info.Name == known.Name {
			info.Name = ""
		}
		if info.Dir == known.Dir() {
			info.Dir = ""
		}
		r.langs, r.langRows = append(r.langs, code), append(r.langRows, n)
		r.status[code], r.langInfo[code] = status, info
	})
	return listed
}

type langColumn struct {
	code string
	col  int
}

// sortedColumns lists a sheet's language columns left to right, so languages
// found in headers keep the order the author gave them.
func sortedColumns(sh *xlsSheet) []langColumn {
	var cs []langColumn
	for _, cols := range sh.langs {
		for code, c := range cols {
			cs = append(cs, langColumn{code, c})
		}
	}
	slices.SortFunc(cs, func(a, b langColumn) int { return a.col - b.col })
	return cs
}

func (r *xlsReader) firstNamedLanguage() string {
	for _, key := range xlsSheets {
		if sh := r.sheets[key]; sh != nil {
			for _, c := range sortedColumns(sh) {
				if c.code != "" {
					return c.code
				}
			}
		}
	}
	return ""
}

var nonKey = regexp.MustCompile(`[^a-z0-9]+`)

// keyFromFileName is pyxform's form id when the settings give none: the
// file's name, made a valid key ("Pårørende 2024.xlsx" → "p_r_rende_2024").
func keyFromFileName(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	key := strings.Trim(nonKey.ReplaceAllString(strings.ToLower(base), "_"), "_")
	if key != "" && (key[0] < 'a' || key[0] > 'z') {
		key = "form_" + key
	}
	return strings.TrimRight(key[:min(len(key), 64)], "_")
}

func (r *xlsReader) readSettings(in *Instrument, sh *xlsSheet, values []string) {
	in.Key = sh.get(values, "form_id")
	switch key := normaliseName(in.Key); {
	case in.Key == "" && keyFromFileName(r.fileName) != "":
		in.Key = keyFromFileName(r.fileName)
		r.warn(sh, 0, -1, "form_id_from_file", "there is no form_id, so the file name gives the instrument key: %s", "Key", in.Key)
	case in.Key == "":
		r.fail(sh, 0, -1, "form_id_missing", "there is no form_id (the instrument key): add a settings sheet with a form_id column")
	case ValidKey(key) && key != in.Key:
		r.warn(sh, 2, sh.col("form_id"), "form_id_normalised", "the form_id %q is read as %s (a-z, 0-9 and _)", "Found", in.Key, "Key", key)
		in.Key = key
	case !ValidKey(key):
		r.fail(sh, 2, sh.col("form_id"), "form_id_invalid", "form_id %q is not a valid key (a-z, 0-9 and _, starting with a letter, at most 64)", "Found", in.Key)
	}
	v, ok := parseVersion(sh.get(values, "version"))
	if !ok {
		r.warn(sh, 2, sh.col("version"), "version_ignored", "the version %q is not a whole number and is ignored: Stemme numbers the versions it imports",
			"Found", sh.get(values, "version"))
	}
	in.Version = v
	in.Audience = sh.get(values, "audience")
	// form_title is the title every XLSForm tool knows; title::… columns and
	// the languages sheet carry it in the other languages.
	if formTitle := sh.get(values, "form_title"); formTitle != "" {
		c := colOr(sh.langs["title"], r.def)
		if v := cellAt(values, c); v != "" && v != formTitle {
			r.fail(sh, 2, sh.col("form_title"), "form_title_twice", "form_title and the title column for %s differ: keep one", "Language", r.def)
		} else if v == "" {
			if sh.langs["title"] == nil {
				sh.langs["title"] = map[string]int{}
			}
			sh.langs["title"][r.def] = sh.col("form_title")
		}
	}
	r.languageTexts(sh, values)
	title := r.optional(sh, values, "title")
	if title[r.def] == "" && in.Key != "" {
		title[r.def] = in.Key
		r.warn(sh, 2, sh.col("form_title"), "title_from_key", "there is no form_title, so the title is the instrument key, %s", "Key", in.Key)
	}
	if in.Key != "" {
		in.Title = r.checkSetting(sh, "title", title, true)
	}
	in.Intro = r.checkSetting(sh, "intro", r.optional(sh, values, "intro"), false)
}

// languageTexts files the title and intro of the languages sheet, one row
// per language, as if they were settings' title::… and intro::… columns.
func (r *xlsReader) languageTexts(settings *xlsSheet, values []string) {
	sh := r.sheets[sheetLanguages]
	if sh == nil {
		return
	}
	for i, l := range r.langs {
		if i >= len(r.langRows) {
			break
		}
		row := sh.rows[r.langRows[i]-1]
		for _, field := range []string{"title", "intro"} {
			v := sh.get(row, field)
			if v == "" {
				continue
			}
			if c := colOr(settings.langs[field], l); cellAt(values, c) != "" && cellAt(values, c) != v {
				r.fail(sh, r.langRows[i], sh.col(field), "language_text_twice", "the %s in %s differs from the one in the settings: keep one", "Field", field, "Language", l)
			}
			r.fromLanguages = append(r.fromLanguages, languageText{field, l, v})
		}
	}
}

// languageText is a title or intro given in the languages sheet.
type languageText struct{ field, lang, text string }

// optional reads title or intro from the settings and the languages sheet
// without requiring any language.
func (r *xlsReader) optional(sh *xlsSheet, values []string, field string) Text {
	t := Text{}
	for _, l := range r.langs {
		if v := cellAt(values, colOr(sh.langs[field], l)); v != "" {
			t[l] = v
		}
	}
	for _, x := range r.fromLanguages {
		if x.field == field {
			t[x.lang] = x.text
		}
	}
	return t
}

// checkSetting reports a title or intro missing in a language (an intro
// only once it is given in one): in the default language that stops the
// import, elsewhere it is a warning.
func (r *xlsReader) checkSetting(sh *xlsSheet, field string, t Text, required bool) Text {
	if len(t) == 0 && !required {
		return nil
	}
	for _, l := range r.langs {
		if t[l] != "" {
			continue
		}
		report := r.warn
		if l == r.def {
			report = r.fail
		}
		report(sh, 2, colOr(sh.langs[field], l), "text_missing", "the %s in %s is missing", "Field", field, "Language", l)
	}
	return t
}

func (r *xlsReader) readFocusAreas(in *Instrument) {
	sh := r.sheets[sheetFocusAreas]
	if sh == nil {
		return
	}
	sh.dataRows(func(row []string, n int) {
		key := sh.get(row, "key")
		switch {
		case !ValidKey(key):
			r.fail(sh, n, sh.col("key"), "key_invalid", "key %q is not valid (a-z, 0-9 and _, starting with a letter, at most 64)", "Key", key)
		case r.areas[key]:
			r.fail(sh, n, sh.col("key"), "key_twice", "key %q is used twice", "Key", key)
		}
		r.areas[key] = true
		in.FocusAreas = append(in.FocusAreas, FocusArea{Key: key, Name: r.text(sh, row, n, "label", true)})
		r.areaRows = append(r.areaRows, n)
	})
}

func (r *xlsReader) readChoices() {
	sh := r.sheets[sheetChoices]
	if sh == nil {
		return
	}
	sh.dataRows(func(row []string, n int) {
		name, value := normaliseName(sh.get(row, "list_name")), sh.get(row, "name")
		if !ValidKey(name) {
			r.fail(sh, n, sh.col("list_name"), "list_name_invalid", "list_name %q is not valid (a-z, 0-9 and _, starting with a letter, at most 64)", "Name", name)
		}
		l := r.lists[name]
		if l == nil {
			l = &xlsList{list: ChoiceList{Name: name}}
			r.lists[name] = l
			r.listOrder = append(r.listOrder, name)
		}
		switch {
		case !choiceValuePattern.MatchString(value):
			r.fail(sh, n, sh.col("name"), "choice_invalid", "name %q is not a valid choice value (a-z, 0-9 and _, at most 64)", "Value", value)
		case slices.ContainsFunc(l.list.Choices, func(c Choice) bool { return c.Value == value }):
			r.fail(sh, n, sh.col("name"), "choice_twice", "%q is in the list %s twice", "Value", value, "List", name)
		}
		ch := Choice{Value: value, Label: r.text(sh, row, n, "label", true)}
		for col, c := range sh.extra {
			if v := cellAt(row, c); v != "" {
				if ch.Filter == nil {
					ch.Filter = map[string]string{}
				}
				ch.Filter[col] = v
			}
		}
		l.list.Choices = append(l.list.Choices, ch)
		l.rows = append(l.rows, n)
	})
}

// keepFilterColumns keeps on each choice only the columns a choice filter
// reads; any other column of the choices sheet is ignored with a warning.
func (r *xlsReader) keepFilterColumns() {
	sh := r.sheets[sheetChoices]
	if sh == nil {
		return
	}
	for col, c := range sh.extra {
		if !r.filterCols[col] {
			r.warn(sh, 1, c, "column_ignored", "Stemme does not read the column %q: its values are ignored", "Column", col)
		}
	}
	for _, l := range r.lists {
		for i := range l.list.Choices {
			ch := &l.list.Choices[i]
			for col := range ch.Filter {
				if !r.filterCols[col] {
					delete(ch.Filter, col)
				}
			}
			if len(ch.Filter) == 0 {
				ch.Filter = nil
			}
		}
	}
}

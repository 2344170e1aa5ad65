package surveys

import (
	"slices"
)

// read turns the loaded sheets into an instrument, recording every problem.
// The settings come first because the default language decides what a plain
// label column means.
func (r *xlsReader) read() *Instrument {
	in := &Instrument{}
	r.missing, r.areas, r.lists = map[string]bool{}, map[string]bool{}, map[string]*xlsList{}
	for _, key := range xlsSheets {
		r.header(key)
	}
	settings := r.sheets[sheetSettings]
	var values []string
	if settings == nil {
		r.errs = append(r.errs, XLSFormError{Sheet: sheetSettings, Message: "the workbook has no settings sheet: form_id (the instrument key) is required"})
		settings = &xlsSheet{name: sheetSettings, cols: map[string]int{}, langs: map[string]map[string]int{}}
	} else if len(settings.rows) > 1 {
		values = settings.rows[1]
		for i := 2; i < len(settings.rows); i++ {
			if !settings.blank(settings.rows[i]) {
				r.fail(settings, i+1, -1, "settings take one row of values, under the headers")
			}
		}
	}
	r.readLanguages(settings, values)
	in.Languages = make([]LanguageStatus, len(r.langs))
	for i, l := range r.langs {
		in.Languages[i] = LanguageStatus{Code: l, Status: r.status[l]}
	}
	r.readSettings(in, settings, values)
	r.readFocusAreas(in)
	r.readChoices()
	r.readSurvey(in)
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
	r.status = map[string]string{}
	if v := settings.get(values, "default_language"); v != "" {
		code, err := parseLanguage(v)
		if err != nil {
			r.fail(settings, 2, settings.col("default_language"), "default_language: %v", err)
		} else {
			r.def = code
		}
	}
	listed := false
	if sh := r.sheets[sheetLanguages]; sh != nil {
		for i := 1; i < len(sh.rows); i++ {
			row := sh.rows[i]
			if sh.blank(row) {
				continue
			}
			listed = true
			code, err := parseLanguage(sh.get(row, "code"))
			if err != nil {
				r.fail(sh, i+1, sh.col("code"), "%v", err)
				continue
			}
			if slices.Contains(r.langs, code) {
				r.fail(sh, i+1, sh.col("code"), "%s is listed twice", code)
				continue
			}
			status := sh.get(row, "status")
			if status == "" {
				status = StatusDraft
			} else if status != StatusDraft && status != StatusReviewed {
				r.fail(sh, i+1, sh.col("status"), "status must be %s or %s, found %q", StatusDraft, StatusReviewed, status)
			}
			r.langs = append(r.langs, code)
			r.langRows = append(r.langRows, i+1)
			r.status[code] = status
		}
		if listed && r.def != "" && !slices.Contains(r.langs, r.def) {
			r.fail(settings, 2, settings.col("default_language"), "the default language %s is not in the languages sheet", r.def)
		}
	}
	if r.def == "" {
		r.def = "nb" // what a plain label column means in a Norwegian municipality
		if len(r.langs) > 0 {
			r.def = r.langs[0]
		} else if code := r.firstNamedLanguage(); code != "" {
			r.def = code
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
				r.fail(sh, 1, c.col, "%s is not in the languages sheet", c.code)
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

func (r *xlsReader) readSettings(in *Instrument, sh *xlsSheet, values []string) {
	switch in.Key = sh.get(values, "form_id"); {
	case sh.col("form_id") < 0 && r.sheets[sheetSettings] != nil:
		r.fail(sh, 1, -1, "there is no form_id column (the instrument key)")
	case in.Key == "" && r.sheets[sheetSettings] != nil:
		r.fail(sh, 2, sh.col("form_id"), "form_id (the instrument key) is empty")
	case in.Key != "" && !ValidKey(in.Key):
		r.fail(sh, 2, sh.col("form_id"), "form_id %q is not a valid key (a-z, 0-9 and _, starting with a letter, at most 64)", in.Key)
	}
	var err error
	if in.Version, err = parseVersion(sh.get(values, "version")); err != nil {
		r.fail(sh, 2, sh.col("version"), "%v", err)
	}
	in.Audience = sh.get(values, "audience")
	// form_title is the title every XLSForm tool knows; title::… columns
	// carry it in the other languages.
	if formTitle := sh.get(values, "form_title"); formTitle != "" {
		c := colOr(sh.langs["title"], r.def)
		if v := cellAt(values, c); v != "" && v != formTitle {
			r.fail(sh, 2, sh.col("form_title"), "form_title and the title column for %s differ: keep one", r.def)
		} else if v == "" {
			if sh.langs["title"] == nil {
				sh.langs["title"] = map[string]int{}
			}
			sh.langs["title"][r.def] = sh.col("form_title")
		}
	}
	if r.sheets[sheetSettings] == nil {
		return
	}
	in.Title = r.text(sh, values, 2, "title", true)
	in.Intro = r.text(sh, values, 2, "intro", false)
}

func (r *xlsReader) readFocusAreas(in *Instrument) {
	sh := r.sheets[sheetFocusAreas]
	if sh == nil {
		return
	}
	for i := 1; i < len(sh.rows); i++ {
		row := sh.rows[i]
		if sh.blank(row) {
			continue
		}
		key := sh.get(row, "key")
		switch {
		case !ValidKey(key):
			r.fail(sh, i+1, sh.col("key"), "key %q is not valid (a-z, 0-9 and _, starting with a letter, at most 64)", key)
		case r.areas[key]:
			r.fail(sh, i+1, sh.col("key"), "key %q is used twice", key)
		}
		r.areas[key] = true
		in.FocusAreas = append(in.FocusAreas, FocusArea{Key: key, Name: r.text(sh, row, i+1, "label", true)})
		r.areaRows = append(r.areaRows, i+1)
	}
}

func (r *xlsReader) readChoices() {
	sh := r.sheets[sheetChoices]
	if sh == nil {
		return
	}
	for i := 1; i < len(sh.rows); i++ {
		row := sh.rows[i]
		if sh.blank(row) {
			continue
		}
		name, value := sh.get(row, "list_name"), sh.get(row, "name")
		if !ValidKey(name) {
			r.fail(sh, i+1, sh.col("list_name"), "list_name %q is not valid (a-z, 0-9 and _, starting with a letter, at most 64)", name)
		}
		l := r.lists[name]
		if l == nil {
			l = &xlsList{list: ChoiceList{Name: name}}
			r.lists[name] = l
			r.listOrder = append(r.listOrder, name)
		}
		switch {
		case !choiceValuePattern.MatchString(value):
			r.fail(sh, i+1, sh.col("name"), "name %q is not a valid choice value (a-z, 0-9 and _, at most 64)", value)
		case slices.ContainsFunc(l.list.Choices, func(c Choice) bool { return c.Value == value }):
			r.fail(sh, i+1, sh.col("name"), "%q is in the list %s twice", value, name)
		}
		l.list.Choices = append(l.list.Choices, Choice{Value: value, Label: r.text(sh, row, i+1, "label", true)})
		l.rows = append(l.rows, i+1)
	}
}

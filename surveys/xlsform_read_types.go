package surveys

import (
	"regexp"
	"strings"
)

// cellProblem is why a cell is refused (or, with warn, only noted): a
// message id and its English format with name/value pairs, as in problem.
type cellProblem struct {
	id, format string
	kv         []any
	warn       bool
}

func refuse(id, format string, kv ...any) *cellProblem {
	return &cellProblem{id: id, format: format, kv: kv}
}

// report files a cell problem at its cell.
func (r *xlsReader) report(sh *xlsSheet, row, col int, p *cellProblem) {
	if p.warn {
		r.warn(sh, row, col, p.id, p.format, p.kv...)
	} else {
		r.fail(sh, row, col, p.id, p.format, p.kv...)
	}
}

// surveyType is a survey row's type as read.
type surveyType struct {
	kind    string // select_one, select_multiple, text, integer, decimal, note, begin_group, end_group, skip
	list    string
	orOther bool
}

// selectRe reads the select types and their aliases as pyxform does,
// or_other and its spellings included.
var selectRe = regexp.MustCompile(`^(select_one|select one|select1|select_multiple|select multiple|select all that apply)(?:\s+(\S+))?(?:\s+(or_other|or other|or specify other))?\s*$`)

// Why a type is refused, for the types of ODK and KoboToolbox Stemme has
// no counterpart for.
var refusedTypes = map[string]*cellProblem{
	"begin_repeat": refuse("type_repeat", "repeats are not supported: Stemme asks each question once"),
	"end_repeat":   refuse("type_repeat", "repeats are not supported: Stemme asks each question once"),
	"calculate":    refuse("type_calculate", "calculations are not supported"),
	"hidden":       refuse("type_calculate", "calculations are not supported"),
	"select_one_from_file": refuse("type_from_file",
		"choices from a file are not supported: put them in the choices sheet"),
	"select_one_external": refuse("type_from_file", "choices from a file are not supported: put them in the choices sheet"),
	"date":                refuse("type_date", "dates and times are not supported"),
	"time":                refuse("type_date", "dates and times are not supported"),
	"datetime":            refuse("type_date", "dates and times are not supported"),
	"range":               refuse("type_range", "ranges are not supported: use integer with the min and max columns"),
	"rank":                refuse("type_rank", "ranking is not supported"),
	"acknowledge":         refuse("type_acknowledge", "acknowledge is not supported: use a note, or a yes/no question"),
	"barcode":             refuse("type_barcode", "barcodes are not supported"),
	"trigger":             refuse("type_acknowledge", "acknowledge is not supported: use a note, or a yes/no question"),
}

// Types that collect a location, a picture, sound or a file: refused, as
// they are not questions a relative answers anonymously on a web page.
var (
	locationTypes = []string{"geopoint", "geotrace", "geoshape", "start-geopoint", "background-geopoint", "osm"}
	mediaTypes    = []string{"image", "photo", "audio", "video", "file", "background-audio", "signature"}
	// identifyingMetadata would tie an answer to a person or device.
	identifyingMetadata = []string{"deviceid", "imei", "username", "phonenumber", "simserial", "subscriberid", "email", "audit", "uri:email", "uri:username"}
	// timeMetadata is recorded by ODK without a question; Stemme keeps no
	// times with answers, so the rows are dropped with a warning.
	timeMetadata = []string{"start", "end", "today"}
)

// parseType reads a survey type cell, accepting the spellings pyxform
// accepts ("select one L", "begin group", "select_one L or_other") and
// explaining why a known ODK type is refused.
func parseType(s string) (surveyType, *cellProblem) {
	norm := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if norm == "" {
		return surveyType{}, refuse("type_empty", "the type is empty")
	}
	if m := selectRe.FindStringSubmatch(norm); m != nil {
		kind := "select_one"
		if strings.Contains(m[1], "multiple") || strings.Contains(m[1], "all") {
			kind = "select_multiple"
		}
		if m[2] == "" {
			return surveyType{}, refuse("type_list_missing", "%s needs a list name, as in %s colours", "Type", kind, "Example", kind)
		}
		// List names are matched without regard to case, as question names are.
		return surveyType{kind: kind, list: normaliseName(m[2]), orOther: m[3] != ""}, nil
	}
	f := strings.Fields(norm)
	t := f[0]
	if len(f) >= 2 && (t == "begin" || t == "end") {
		t, f = t+"_"+f[1], f[1:]
	}
	if strings.HasPrefix(t, "select_one_from_file") || strings.HasPrefix(t, "select_multiple_from_file") || strings.Contains(norm, "from file") {
		return surveyType{}, refusedTypes["select_one_from_file"]
	}
	switch t {
	case "string":
		t = "text"
	case "int":
		t = "integer"
	case "begin_lgroup", "begin_loop", "begin_looped":
		t = "begin_repeat"
	case "end_lgroup", "end_loop", "end_looped":
		t = "end_repeat"
	}
	switch {
	case t == "text" || t == "integer" || t == "decimal" || t == "note" || t == "begin_group" || t == "end_group":
		if len(f) > 1 && !(t == "end_group") {
			return surveyType{}, refuse("type_extra", "unexpected %q after %s", "Extra", strings.Join(f[1:], " "), "Type", t)
		}
		return surveyType{kind: t}, nil
	case refusedTypes[t] != nil:
		return surveyType{}, refusedTypes[t]
	case contains(locationTypes, t):
		return surveyType{}, refuse("type_location", "locations (%s) are not collected: answers to Stemme are anonymous", "Type", t)
	case contains(mediaTypes, t):
		return surveyType{}, refuse("type_media", "pictures, sound and files (%s) are not collected", "Type", t)
	case contains(identifyingMetadata, t):
		return surveyType{}, refuse("type_metadata", "the metadata %s is not collected: answers to Stemme are anonymous", "Type", t)
	case contains(timeMetadata, t):
		return surveyType{kind: "skip"}, &cellProblem{id: "type_time_metadata", warn: true,
			format: "the metadata %s is not collected (Stemme keeps no times with answers): the row is left out", kv: []any{"Type", t}}
	case strings.Contains(t, "score") || strings.Contains(t, "rank") || strings.Contains(t, "kobomatrix"):
		return surveyType{}, refuse("type_kobo", "KoboToolbox's %s is not supported: write each row as a select_one question", "Type", t)
	}
	return surveyType{}, refuse("type_unknown", "type %q is not supported (Stemme reads select_one, select_multiple, text, integer, decimal, note, begin_group and end_group)", "Type", s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// appearance reads the appearance cell of a row of the kind: multiline on
// text makes a long text and field-list on a group is what Stemme does
// anyway. An appearance that opens another app or reads choices from a
// file is refused; any other is ignored with a warning, since it changes
// only how ODK lays the question out.
func (r *xlsReader) appearance(sh *xlsSheet, row []string, excelRow int, kind string) (multiline bool) {
	a := sh.get(row, "appearance")
	if a == "" {
		return false
	}
	col := sh.col("appearance")
	if strings.Contains(strings.ToLower(a), "search") {
		r.fail(sh, excelRow, col, "appearance_search", "the appearance %q reads choices from a file, which Stemme does not: put them in the choices sheet", "Appearance", a)
		return false
	}
	var ignored []string
	for _, t := range strings.Fields(a) {
		lt := strings.ToLower(t)
		switch {
		case kind == "text" && lt == "multiline":
			multiline = true
		case kind == "begin_group" && lt == "field-list":
		case strings.HasPrefix(lt, "ex:") || strings.HasPrefix(lt, "printer:") || lt == "bearing":
			r.fail(sh, excelRow, col, "appearance_external", "the appearance %q takes the answer from another app or a sensor, which Stemme cannot do", "Appearance", t)
		default:
			ignored = append(ignored, t)
		}
	}
	if len(ignored) > 0 {
		r.warn(sh, excelRow, col, "appearance_ignored", "the appearance %q is ignored: Stemme lays out questions by itself", "Appearance", strings.Join(ignored, " "))
	}
	return multiline
}

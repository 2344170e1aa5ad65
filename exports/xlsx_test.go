package exports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/exports"
)

const hiddenNote = "Skjult for å beskytte små grupper"

func TestWorkbookSheets(t *testing.T) {
	f := newFixture(t)
	x, raw := f.xlsx(t, exports.Options{Lang: "nb", Raw: true, Actor: "radgiver@kommune.no"})
	want := []string{"Om eksporten", "Kodebok", "Sammendrag", "Innsatsområder", "Rådata", "Fritekst", "Diagram"}
	if got := x.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	// No stored response id appears anywhere: they derive from receipts.
	for _, sheet := range want[:6] {
		for _, row := range rows(t, x, sheet) {
			for _, c := range row {
				for _, id := range f.ids {
					if strings.Contains(c, id) {
						t.Fatalf("sheet %s holds response id %s", sheet, id)
					}
				}
			}
		}
	}
	// The chart sheet holds a native chart drawn from the index matrix.
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var chart string
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			rc, _ := zf.Open()
			var b bytes.Buffer
			_, _ = b.ReadFrom(rc)
			rc.Close()
			chart = strings.ReplaceAll(b.String(), "&#39;", "'")
		}
	}
	for _, ref := range []string{"'Innsatsområder'!$A$3:$A$3", "'Innsatsområder'!$B$3:$B$3", "'Innsatsområder'!$D$3:$D$3"} {
		if !strings.Contains(chart, ref) {
			t.Errorf("the chart does not draw %s", ref)
		}
	}
	// u3 is hidden: its column is empty and gets no (empty) series.
	if strings.Contains(chart, "$E$") {
		t.Error("the chart has a series for the hidden unit u3")
	}
	// The title, legend and both axes' labels are dark grey, not
	// excelize's pale default (15 % of the text colour).
	if n := strings.Count(chart, `<a:srgbClr val="404040">`); n < 4 {
		t.Errorf("%d texts of the chart are dark grey, want the title, the legend and both axes:\n%s", n, chart)
	}
}

func TestAboutAndCodebook(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "nb", Actor: "radgiver@kommune.no"})
	about := map[string]string{}
	for _, r := range rows(t, x, "Om eksporten") {
		about[cell(r, 0)] = cell(r, 1)
	}
	for k, v := range map[string]string{"Bølge": "Høsten 2026", "Bølge-ID": "w1", "Spørreskjema (versjon)": "Test (t@1)",
		"Minste gruppe som vises (antall svar)": "5", "Eksportert av": "radgiver@kommune.no", "Rådata med": "Nei",
		"Sammenlignet med bølgen": "Forrige (w0)", "Eksportert": "2026-11-18 13:00"} {
		if about[k] != v {
			t.Errorf("Om eksporten: %s = %q, want %q", k, about[k], v)
		}
	}
	if slices.Contains(x.GetSheetList(), "Rådata") {
		t.Error("an export without raw data has a Rådata sheet")
	}
	cb := rows(t, x, "Kodebok")
	if want := []string{"Nøkkel", "Variabel", "Type", "Tekst", "Innsatsområde", "Bakgrunn", "Vises når", "Verdi", "Kode",
		"Etikett", "Manglende verdi"}; !slices.Equal(cb[0], want) {
		t.Errorf("Kodebok header %q, want %q", cb[0], want)
	}
	want := [][]string{
		{"relation", "relation", "Ett valg", "Hvem er du pårørende til?", "", "Ja"},
		{"relation", "relation", "", "", "", "", "", "child", "1", "Barn"},
		{"relation", "relation", "", "", "", "", "", "", "7", "Ikke svart", "Ja"},
		{"a", "a", "Skala 1–6", "Får du informasjon?", "Informasjon"},
		{"a", "a", "", "", "", "", "", "dk", "9", "Vet ikke", "Ja"},
		{"help", "", "Flere valg", "Hvilken hjelp?"},
		{"help", "help_visit", "", "", "", "", "", "visit", "1", "Besøk (kolonne help_visit: 1 = valgt, 0 = ikke valgt)"},
		{"age", "age", "Tall", "Alder"},
		{"note", "", "Fritekst", "Hva er viktig?"},
		{"info", "", "Innsatsområde", "Informasjon"},
	}
	for _, w := range want {
		if !slices.ContainsFunc(cb, func(r []string) bool { return slices.Equal(r, w) }) {
			t.Errorf("Kodebok lacks row %q", w)
		}
	}
}

// summaryRow finds the Sammendrag row of a unit, background value and key.
func summaryRow(t *testing.T, rs [][]string, unit, value, key string) []string {
	t.Helper()
	for _, r := range rs {
		if cell(r, 0) == unit && cell(r, 2) == value && cell(r, 5) == key {
			return r
		}
	}
	t.Fatalf("Sammendrag has no row for %s / %q / %s", unit, value, key)
	return nil
}

func TestSummaryAgainstResults(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "nb"})
	r := f.results(t)
	rs := rows(t, x, "Sammendrag")
	if got := rs[0][:6]; !slices.Equal(got, []string{"Enhet", "Bakgrunn", "Verdi", "Svar i gruppen", "Svarprosent", "Nøkkel"}) {
		t.Errorf("header %q", got)
	}
	// u1: 6,6,5,4,4 and "vet ikke": n 6, valid 5, mean 5.00, index 80.0,
	// positive 3/5; the previous wave had 3,3,4,4,5: index 56.0.
	u1 := summaryRow(t, rs, "Enhet u1", "", "a")
	it := r.Group("u1", "", "").Items["a"]
	for col, want := range map[int]string{3: "6", 8: "6", 9: "5", 10: "1", 11: "5.00",
		12: strconv.FormatFloat(it.Mean.Lo, 'f', 2, 64), 14: "80.0", 17: "60.0%", 18: "56.0", 19: "24.0",
		20: strconv.FormatFloat(it.VsPrevious.Test.P, 'f', 3, 64), 22: ""} {
		if got := cell(u1, col); got != want {
			t.Errorf("u1 column %d = %q, want %q (row %q)", col, got, want, u1)
		}
	}
	// u3 (too small): empty cells and a note. u2 (5 answers) is shown: u3
	// is left out of the total, so nothing else is hidden to protect it.
	if row := summaryRow(t, rs, "Enhet u2", "", "a"); cell(row, 3) != "5" || cell(row, 22) != "" {
		t.Errorf("u2 row %q", row)
	}
	for _, u := range []string{"Enhet u3"} {
		row := summaryRow(t, rs, u, "", "a")
		for col := 3; col < 22; col++ {
			if col >= 5 && col <= 7 {
				continue // key, question and focus area name the row
			}
			if cell(row, col) != "" {
				t.Errorf("%s column %d = %q, want empty", u, col, cell(row, col))
			}
		}
		if cell(row, 22) != hiddenNote {
			t.Errorf("%s note %q, want %q", u, cell(row, 22), hiddenNote)
		}
	}
	// Units are not broken down by background questions; the total is.
	for _, r := range rs[1:] {
		if cell(r, 0) != "Alle enhetene som vises" && cell(r, 1) != "" {
			t.Fatalf("a unit broken down: %q", r)
		}
	}
	// The total's children: 4 (u3's two are left out with u3): hidden,
	// with the rest of the line hidden too so that they add up to 5 or more.
	if row := summaryRow(t, rs, "Alle enhetene som vises", "Barn", "a"); cell(row, 22) != hiddenNote || cell(row, 11) != "" {
		t.Errorf("the total's children (4 answers) shown: %q", row)
	}
	muni := summaryRow(t, rs, "Alle enhetene som vises", "", "a")
	if got, want := cell(muni, 3), strconv.FormatInt(r.Group("", "", "").Respondents, 10); got != want {
		t.Errorf("municipality respondents %q, want %q", got, want)
	}
	// Number questions: a mean, no index or share positive. Only u1 was
	// asked its age, so the municipality's age would give away that u2 and
	// u3 did not answer it: the results hide it, and so does the export.
	age := summaryRow(t, rs, "Enhet u1", "", "age")
	if it := r.Group("u1", "", "").Items["age"]; it.Hidden {
		if cell(age, 11) != "" || cell(age, 22) != hiddenNote {
			t.Errorf("hidden age row %q", age)
		}
	} else if cell(age, 11) != "52.5" || cell(age, 14) != "" || cell(age, 17) != "" {
		t.Errorf("age row %q", age)
	}
}

func TestFocusAreas(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "nb"})
	rs := rows(t, x, "Innsatsområder")
	if got := rs[1]; !slices.Equal(got, []string{"Innsatsområde", "Alle enhetene som vises", "Enhet u1", "Enhet u2", "Enhet u3"}) {
		t.Fatalf("matrix header %q", got)
	}
	// u3 hidden: an empty cell (the row ends at u2).
	if got := rs[2]; len(got) != 4 || got[0] != "Informasjon" || got[2] != "80.0" || got[3] != "60.0" {
		t.Errorf("matrix row %q", got)
	}
	var u3 []string
	for _, r := range rs[4:] {
		if cell(r, 0) == "Enhet u3" {
			u3 = r
		}
		if cell(r, 0) == "Enhet u1" && (cell(r, 4) != "80.0" || cell(r, 7) != "56.0" || cell(r, 8) != "24.0") {
			t.Errorf("u1 focus row %q", r)
		}
	}
	if cell(u3, 3) != "" || cell(u3, 4) != "" || cell(u3, 11) != hiddenNote {
		t.Errorf("u3 focus row %q", u3)
	}
}

func TestRawDataOnlyShownUnits(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "nb", Raw: true})
	rs := rows(t, x, "Rådata")
	wantHead := []string{"Rad", "Bølge-ID", "Versjon av spørreskjemaet", "Enhet", "Språk", "relation", "a", "help_phone", "help_visit", "age"}
	if !slices.Equal(rs[0], wantHead) {
		t.Fatalf("header %q, want %q (no free text)", rs[0], wantHead)
	}
	if want := len(f.answers["u1"]) + len(f.answers["u2"]); len(rs) != 1+want {
		t.Fatalf("%d rows, want one per answer of u1 and u2 (%d): u3 is hidden", len(rs)-1, want)
	}
	var got, want []string
	for i, r := range rs[1:] {
		if r[0] != strconv.Itoa(i+1) || r[1] != "w1" || r[2] != "1" || (r[3] != "Enhet u1" && r[3] != "Enhet u2") || r[4] != "nb" {
			t.Errorf("row %d starts %q", i+1, r[:5])
		}
		got = append(got, strings.Join(r[3:], "|"))
	}
	for _, u := range []string{"u1", "u2"} {
		for _, a := range f.answers[u] {
			rel, _ := a["relation"].Choice()
			scale, _ := a["a"].Choice()
			cells := []string{"Enhet " + u, "nb", rel, scale, "1", "0"}
			if u == "u2" {
				cells[5] = "1" // u2 also ticked visit
			}
			if age, ok := a["age"].Number(); ok {
				cells = append(cells, strconv.FormatFloat(age, 'f', -1, 64))
			}
			want = append(want, strings.Join(cells, "|"))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("answers\n got %q\nwant %q", got, want)
	}
	// Scale steps are numbers, "vet ikke" the text "dk". Rows come in the
	// stored order, which is shuffled, so every row of the column is read.
	numbers := 0
	for i, r := range rs[1:] {
		cell := "G" + strconv.Itoa(i+2)
		typ, err := x.GetCellType("Rådata", cell)
		if err != nil {
			t.Fatal(err)
		}
		if r[6] == "dk" {
			if typ == excelize.CellTypeNumber {
				t.Errorf("%s: \"dk\" stored as a number", cell)
			}
			continue
		}
		numbers++
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s: scale answer %q has cell type %v, want a number", cell, r[6], typ)
		}
	}
	if numbers == 0 {
		t.Error("no scale answer to check")
	}
}

func TestFreeTextReviewedAndDefused(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "nb"})
	rs := rows(t, x, "Fritekst")
	var texts []string
	for _, r := range rs[1:] {
		texts = append(texts, cell(r, 5))
		if cell(r, 0) != "Enhet u1" {
			t.Errorf("text of %s exported", cell(r, 0))
		}
	}
	slices.Sort(texts)
	if want := []string{injection, arabic}; !slices.Equal(texts, []string{arabic, injection}) && !slices.Equal(texts, want) {
		t.Fatalf("texts %q, want the two approved texts of u1 only", texts)
	}
	for i := 2; i <= len(rs); i++ {
		ref := "F" + strconv.Itoa(i)
		v, _ := x.GetCellValue("Fritekst", ref)
		formula, err := x.GetCellFormula("Fritekst", ref)
		if err != nil || formula != "" {
			t.Errorf("%s has formula %q (%v)", ref, formula, err)
		}
		if v != injection {
			continue
		}
		typ, _ := x.GetCellType("Fritekst", ref)
		if typ != excelize.CellTypeInlineString {
			t.Errorf("the injection attempt is a %v cell, want an inline string", typ)
		}
		style, _ := x.GetCellStyle("Fritekst", ref)
		xf := x.Styles.CellXfs.Xf[style]
		if xf.QuotePrefix == nil || !*xf.QuotePrefix {
			t.Error("the injection attempt's cell lacks quotePrefix")
		}
	}
}

func TestArabicExport(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "ar", Unit: "u1"})
	// Headers fall back to English; instrument texts are in Arabic.
	if got := x.GetSheetList(); !slices.Equal(got, []string{"About", "Codebook", "Summary", "Focus areas", "Free text", "Chart"}) {
		t.Fatalf("sheets %v", got)
	}
	cb := rows(t, x, "Codebook")
	if !slices.ContainsFunc(cb, func(r []string) bool {
		return cell(r, 0) == "a" && cell(r, 3) == "هل تحصل على معلومات؟"
	}) {
		t.Error("the codebook lacks the Arabic question text")
	}
	texts := rows(t, x, "Free text")
	if !slices.ContainsFunc(texts, func(r []string) bool { return cell(r, 5) == arabic }) {
		t.Errorf("the Arabic free text did not survive: %q", texts)
	}
	// A unit export shows the municipality and that unit only.
	m := rows(t, x, "Focus areas")
	if !slices.Equal(m[1], []string{"Focus area", "All units shown", "Enhet u1"}) {
		t.Errorf("matrix header %q", m[1])
	}
}

func TestPrepareRefusesForeignUnit(t *testing.T) {
	f := newFixture(t)
	if _, err := exports.Prepare(context.Background(), f.db, f.bundle, f.results(t), exports.Options{Unit: "elsewhere"}); err != exports.ErrUnknownUnit {
		t.Errorf("err %v, want ErrUnknownUnit", err)
	}
}

// TestExportLanguages: an export can be written in nb, nn and en (which
// have export headers) and in every language of the questionnaire, and
// in no other.
func TestExportLanguages(t *testing.T) {
	f := newFixture(t)
	r := f.results(t)
	if got := exports.Languages(r.Instrument); !slices.Equal(got, []string{"nb", "nn", "en", "ar"}) {
		t.Errorf("Languages %q", got)
	}
	for lang, want := range map[string]error{"nb": nil, "nn": nil, "en": nil, "ar": nil, "pl": exports.ErrLanguage, "lt": exports.ErrLanguage} {
		if _, err := exports.Prepare(context.Background(), f.db, f.bundle, r, exports.Options{Lang: lang}); err != want {
			t.Errorf("Prepare in %s: %v, want %v", lang, err, want)
		}
	}
}

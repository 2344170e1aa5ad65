package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// postFile posts a file (and fields) as a browser's multipart form does.
func postFile(t *testing.T, f *webtest.Fixture, s webtest.Session, path, field, name string, data []byte, fields map[string]string) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if _, ok := fields["_csrf"]; !ok {
		_ = mw.WriteField("_csrf", s.CSRF)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if name != "" {
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", s.Cookie)
	return f.Do(t, req)
}

func testForm(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "surveys", "testdata", "xlsform", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var importAction = regexp.MustCompile(`action="/admin/instruments/import/([0-9a-f]+)"`)

func TestXLSFormImportInTheBrowser(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor, admin := users["advisor"], users["admin"]
	s := webtest.SignIn(t, f, &advisor)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)

	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/instruments/import", nil)
	if !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `name="_csrf"`) || !strings.Contains(body, "Høyst 248 KB.") {
		t.Fatal("the upload form is missing its parts")
	}

	// Refused, every problem at its cell, in the reader's language.
	resp, body := postFile(t, f, s, "/admin/instruments/import", "file", "refused_repeat.xlsx", testForm(t, "refused_repeat.xlsx"), nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a form with a repeat: status %d", resp.StatusCode)
	}
	for _, want := range []string{"Filen har 3 problemer.", "<strong>Arket survey, celle D1</strong>: Stemme leser ikke kolonnen «repeat_count» (gjentakelser støttes ikke)",
		"<strong>Arket survey, celle A3</strong>: Gjentakelser støttes ikke: Stemme stiller hvert spørsmål én gang."} {
		if !strings.Contains(body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	en := s
	en.Cookie += "; lang=en"
	_, body = postFile(t, f, en, "/admin/instruments/import", "file", "refused_unknown_language.xlsx", testForm(t, "refused_unknown_language.xlsx"), nil)
	if want := "<strong>Sheet survey, cell D1</strong>: label::Kikuyu-ish: Stemme does not know the language “Kikuyu-ish”. Write it with its code from BCP 47"; !strings.Contains(body, want) {
		t.Errorf("English refusal lacks %q", want)
	}
	// An expression's own message is translated too.
	bad := workbookOf(t, map[string][][]string{"survey": {{"type", "name", "label::English (en)", "relevant"}, {"integer", "a", "A"}, {"integer", "b", "B", "${a} + 1 > 2"}}})
	if _, body = postFile(t, f, s, "/admin/instruments/import", "file", "bad.xlsx", bad, nil); !strings.Contains(body, "relevant: kolonne 6: regning (&#43;) støttes ikke.") {
		t.Errorf("the expression's message is not translated:\n%s", body[strings.Index(body, "<main"):])
	}

	// Bad uploads: no file, not a workbook, no CSRF, too large.
	for _, tt := range []struct {
		name   string
		data   []byte
		fields map[string]string
		status int
		want   string
	}{
		{"", nil, nil, http.StatusBadRequest, "Velg en fil å laste opp."},
		{"notes.txt", []byte("type,name\ntext,x\n"), nil, http.StatusBadRequest, "Filen er ikke en Excel-arbeidsbok (.xlsx)."},
		{"form.xlsx", testForm(t, "constraints.xlsx"), map[string]string{"_csrf": "forged"}, http.StatusForbidden, ""},
	} {
		resp, body := postFile(t, f, s, "/admin/instruments/import", "file", tt.name, tt.data, tt.fields)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%q: status %d, want %d with %q", tt.name, resp.StatusCode, tt.status, tt.want)
		}
	}
	if ins, _ := ss.Instruments(ctx); len(ins) != 2 {
		t.Fatalf("%d instruments after refused uploads, want the fixture's 2", len(ins))
	}
	tooLarge(t, f, s)

	// A clean form: a preview with warnings, stored only when confirmed.
	resp, body = postFile(t, f, s, "/admin/instruments/import", "file", "kobo_export.xlsx", testForm(t, "kobo_export.xlsx"), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a KoboToolbox export: status %d", resp.StatusCode)
	}
	for _, want := range []string{"Klar til å importeres som alylku4xr9y3jmcryhnv7s@1", "8 ting å vite",
		"Metadataene start samles ikke inn (Stemme lagrer ikke tidspunkter med svarene): raden er utelatt.",
		"<code>overall</code>", `<span lang="sw" dir="ltr">Kiswahili</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	m := importAction.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the preview has no confirm button")
	}
	if ins, _ := ss.Instruments(ctx); len(ins) != 2 {
		t.Fatal("the preview stored an instrument")
	}
	other := webtest.SignIn(t, f, &admin)
	if resp, _ := staffRequest(t, f, other, http.MethodPost, "/admin/instruments/import/"+m[1], nil); resp.StatusCode != http.StatusGone {
		t.Errorf("another user confirmed the import: status %d", resp.StatusCode)
	}
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/instruments/import/"+m[1], nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/instruments/alylku4xr9y3jmcryhnv7s@1/edit?to=&done=imported" {
		t.Fatalf("confirm: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	in, err := ss.Instrument(ctx, "alylku4xr9y3jmcryhnv7s@1")
	if err != nil || in.Status != surveys.InstrumentDraft || in.QuestionCount() != 2 {
		t.Fatalf("stored %+v, %v", in, err)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/instruments/import/"+m[1], nil); resp.StatusCode != http.StatusGone {
		t.Errorf("a second confirm: status %d", resp.StatusCode)
	}
	if es := auditEntries(t, f, staff.AuditInstrument); len(es) == 0 || es[0].Detail != "import from XLSForm" {
		t.Errorf("audit %+v", es)
	}
	// The same form again becomes the next version.
	_, body = postFile(t, f, s, "/admin/instruments/import", "file", "kobo_export.xlsx", testForm(t, "kobo_export.xlsx"), nil)
	if !strings.Contains(body, "Klar til å importeres som alylku4xr9y3jmcryhnv7s@2") {
		t.Error("a second import does not become version 2")
	}
}

func TestXLSFormDownload(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	resp, body := staffRequest(t, f, s, http.MethodGet, "/admin/instruments/test@1/xlsform", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Disposition") != `attachment; filename="test-v1.xlsx"` ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	in, err := surveys.ReadXLSForm(strings.NewReader(body))
	if err != nil || in.Key != "test" || in.QuestionCount() != 6 {
		t.Fatalf("the download reads back as %+v, %v", in, err)
	}
	if resp, _ := staffRequest(t, f, s, http.MethodGet, "/admin/instruments/nothing@1/xlsform", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown version: status %d", resp.StatusCode)
	}
}

// workbookOf builds an .xlsx from sheets of rows.
func workbookOf(t *testing.T, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			vals := make([]any, len(row))
			for i, v := range row {
				vals[i] = v
			}
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tooLarge sends a file over the body limit to a listening server: the
// server refuses it before any handler runs, still with a page saying why.
func tooLarge(t *testing.T, f *webtest.Fixture, s webtest.Session) {
	t.Helper()
	base := webtest.Listen(t, f)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("_csrf", s.CSRF)
	fw, _ := mw.CreateFormFile("file", "huge.xlsx")
	fw.Write(bytes.Repeat([]byte("x"), 300<<10))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/instruments/import", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", s.Cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(page), "Filen er for stor til å lastes opp her.") {
		t.Errorf("a file over the limit: status %d\n%s", resp.StatusCode, page)
	}
}

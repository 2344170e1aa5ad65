package web_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// nynorskInstrument is the test instrument as "edtest", complete in nb, nn and en.
func nynorskInstrument() *surveys.Instrument {
	in := webtest.Instrument()
	in.Key = "edtest"
	webtest.WithLanguage(in, "nn", func(nb string) string { return nb + " (nn)" })
	return in
}

var revField = regexp.MustCompile(`name="rev" value="(\d+)"`)

// editorRev is the revision the forms of a rendered editor page carry.
func editorRev(t *testing.T, body string) string {
	t.Helper()
	m := revField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no form with a revision")
	}
	return m[1]
}

// questionValues is the form of the test instrument's info_given question.
func questionValues(rev, to string, extra url.Values) url.Values {
	v := url.Values{"rev": {rev}, "to": {to}, "op": {"save"}, "page": {"0"}, "key": {"info_given"}, "type": {"scale"},
		"list": {"extent6"}, "focus_area": {"information"}, "text.nb": {"Får du informasjon?"}}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

func TestEditorFromDraftToPublished(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.InsertInstrument(ctx, nynorskInstrument()); err != nil {
		t.Fatal(err)
	}
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	post := func(path string, form url.Values) (*http.Response, string) {
		t.Helper()
		return staffRequest(t, f, s, http.MethodPost, path, form)
	}

	// The list offers a new draft of a published version.
	if _, body := staffRequest(t, f, s, http.MethodGet, "/admin/instruments", nil); !strings.Contains(body, `action="/admin/instruments/edtest@1/draft"`) {
		t.Fatal("the instrument list has no button for a new draft")
	}
	resp, _ := post("/admin/instruments/edtest@1/draft", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/instruments/edtest@2/edit") {
		t.Fatalf("new draft: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/instruments/edtest@2/edit?to=nn&done=created", nil)
	rev := editorRev(t, body)
	for _, want := range []string{"Et nytt utkast er laget.", `name="title.nn" value="Testundersøkelse (nn)"`, "(kildespråk)",
		`action="/admin/instruments/edtest@2/publish"`} {
		if !strings.Contains(body, want) {
			t.Errorf("editor lacks %q", want)
		}
	}

	// The question's text in nynorsk, beside the bokmål.
	_, body = staffRequest(t, f, s, http.MethodGet, "/admin/instruments/edtest@2/edit/questions/info_given?to=nn", nil)
	if !strings.Contains(body, `name="text.nb"`) || !strings.Contains(body, `name="text.nn"`) || strings.Contains(body, `name="text.en"`) {
		t.Fatal("the question form does not show bokmål beside nynorsk only")
	}
	resp, _ = post("/admin/instruments/edtest@2/edit/questions/info_given",
		questionValues(rev, "nn", url.Values{"text.nn": {"Får du informasjon du treng?"}}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the nynorsk text: status %d", resp.StatusCode)
	}
	draft, _ := ss.Instrument(ctx, "edtest@2")
	q, _ := draft.Question("info_given")
	if q.Text["nn"] != "Får du informasjon du treng?" || q.Text["en"] != "Do you get information?" || q.Text["nb"] != "Får du informasjon?" {
		t.Fatalf("texts after the edit: %v", q.Text)
	}
	rev = strconv.Itoa(draft.Rev)

	// A condition on a later question is refused at the field, with what was typed.
	resp, body = post("/admin/instruments/edtest@2/edit/questions/info_given",
		questionValues(rev, "nn", url.Values{"show_if": {"${age} = '3'"}, "text.nn": {"Ny tekst"}}))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("condition on a later question: status %d", resp.StatusCode)
	}
	for _, want := range []string{"Endringen er ikke lagret. Rett dette først:",
		`<p class="error" id="f-show-if-msg">Betingelsen viser til «age», som ikke er et tidligere spørsmål.`,
		`href="#f-show-if"`, `value="${age} = &#39;3&#39;"`, `>Ny tekst</textarea>`} {
		if !strings.Contains(body, want) {
			t.Errorf("refused question form lacks %q", want)
		}
	}
	if now, _ := ss.Instrument(ctx, "edtest@2"); strconv.Itoa(now.Rev) != rev {
		t.Fatalf("a refused edit was saved (revision %d)", now.Rev)
	}

	// An empty page keeps it from being published.
	if resp, _ = post("/admin/instruments/edtest@2/edit/questions/info_given",
		questionValues(rev, "nn", url.Values{"text.nn": {""}})); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a draft may lack a translation: status %d", resp.StatusCode)
	}
	rev = strconv.Itoa(mustRev(t, ss, "edtest@2"))
	if resp, _ = post("/admin/instruments/edtest@2/edit/pages", url.Values{"rev": {rev}, "title.nb": {"Tom"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("adding a page: status %d", resp.StatusCode)
	}
	rev = strconv.Itoa(mustRev(t, ss, "edtest@2"))
	resp, body = post("/admin/instruments/edtest@2/publish", url.Values{"rev": {rev}, "to": {"en"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("publishing with problems: status %d", resp.StatusCode)
	}
	for _, want := range []string{"Versjonen kan ikke publiseres før dette er rettet:",
		`href="/admin/instruments/edtest@2/edit?to=en#page-1">Side 2: Siden har ingen spørsmål.`} {
		if !strings.Contains(body, want) {
			t.Errorf("refused publish lacks %q", want)
		}
	}
	// A language other than the source may be incomplete: it is simply not
	// offered in waves until it is complete.
	if strings.Contains(body, "Teksten mangler på «nn».") {
		t.Error("a missing nynorsk text keeps the draft from being published")
	}
	if in, _ := ss.Instrument(ctx, "edtest@2"); in.Status != surveys.InstrumentDraft {
		t.Fatal("an invalid draft was published")
	}

	// Fixed, it is published, and audited.
	post("/admin/instruments/edtest@2/edit/questions/info_given", questionValues(rev, "nn", url.Values{"text.nn": {"Får du informasjon?"}}))
	rev = strconv.Itoa(mustRev(t, ss, "edtest@2"))
	post("/admin/instruments/edtest@2/edit/pages/1", url.Values{"rev": {rev}, "op": {"delete"}})
	rev = strconv.Itoa(mustRev(t, ss, "edtest@2"))
	if resp, _ = post("/admin/instruments/edtest@2/publish", url.Values{"rev": {rev}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing the fixed draft: status %d", resp.StatusCode)
	}
	published, _ := ss.Instrument(ctx, "edtest@2")
	if published.Status != surveys.InstrumentPublished || len(published.Pages) != 1 {
		t.Fatalf("after publishing: %s with %d pages", published.Status, len(published.Pages))
	}
	var details []string
	for _, e := range auditEntries(t, f, staff.AuditInstrument) {
		details = append(details, e.Target+" "+e.Detail)
	}
	if !strings.Contains(strings.Join(details, "|"), "edtest@2 publish") || !strings.Contains(strings.Join(details, "|"), "edtest@2 draft from edtest@1") {
		t.Errorf("audit: %v", details)
	}

	// A published version refuses every edit.
	for _, tt := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodPost, "/admin/instruments/edtest@2/edit/questions/info_given", questionValues(rev, "nn", url.Values{"text.nn": {"Endra"}})},
		{http.MethodPost, "/admin/instruments/edtest@2/edit/title", url.Values{"rev": {rev}, "title.nb": {"Endret"}}},
		{http.MethodPost, "/admin/instruments/edtest@1/edit/pages/0", url.Values{"rev": {"0"}, "op": {"delete"}}},
		{http.MethodPost, "/admin/instruments/edtest@2/publish", url.Values{"rev": {rev}}},
		{http.MethodGet, "/admin/instruments/edtest@2/edit/questions/info_given", nil},
	} {
		resp, body := staffRequest(t, f, s, tt.method, tt.path, tt.form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Denne versjonen er publisert og kan ikke endres.") {
			t.Errorf("%s %s: status %d, want 409 with a message", tt.method, tt.path, resp.StatusCode)
		}
	}
	if after, _ := ss.Instrument(ctx, "edtest@2"); after.Rev != published.Rev || after.Title["nb"] != published.Title["nb"] {
		t.Fatal("a published version changed")
	}
}

func mustRev(t *testing.T, ss *surveys.Store, id string) int {
	t.Helper()
	in, err := ss.Instrument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return in.Rev
}

// TestEditorConflict has two advisors edit the same draft: the second to
// save is told, keeps what they typed, and can save again on purpose.
func TestEditorConflict(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	draft, err := ss.NewDraftFrom(ctx, "test@1")
	if err != nil {
		t.Fatal(err)
	}
	users := webtest.StaffUsers(t, f)
	advisor, admin := users["advisor"], users["admin"]
	a, b := webtest.SignIn(t, f, &advisor), webtest.SignIn(t, f, &admin)
	path := "/admin/instruments/" + draft.ID + "/edit"
	_, bodyA := staffRequest(t, f, a, http.MethodGet, path, nil)
	_, bodyB := staffRequest(t, f, b, http.MethodGet, path, nil)
	revA, revB := editorRev(t, bodyA), editorRev(t, bodyB)

	if resp, _ := staffRequest(t, f, a, http.MethodPost, path+"/title", url.Values{"rev": {revA}, "title.en": {"A's title"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: status %d", resp.StatusCode)
	}
	resp, body := staffRequest(t, f, b, http.MethodPost, path+"/title?lang=en", url.Values{"rev": {revB}, "to": {"en"}, "title.en": {"B's title"}})
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("second save on the old revision: status %d", resp.StatusCode)
	}
	if !strings.Contains(body, "Someone else saved the draft while you were working.") || !strings.Contains(body, `value="B&#39;s title"`) {
		t.Fatal("the conflict page lacks the message or what was typed")
	}
	if got, _ := ss.Instrument(ctx, draft.ID); got.Title["en"] != "A's title" {
		t.Fatalf("stored title %q, want the first save's", got.Title["en"])
	}
	// Saving again from the re-rendered form is a deliberate overwrite.
	if resp, _ := staffRequest(t, f, b, http.MethodPost, path+"/title", url.Values{"rev": {editorRev(t, body)}, "title.en": {"B's title"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving again: status %d", resp.StatusCode)
	}
	if got, _ := ss.Instrument(ctx, draft.ID); got.Title["en"] != "B's title" {
		t.Fatalf("stored title %q after saving again", got.Title["en"])
	}
}

func TestWaveCreation(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)

	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/waves/new", nil)
	for _, want := range []string{`id="lang-nb"`, `id="lang-en"`, `value="2026"`, `name="threshold" value="5"`, `id="unit-solbakken"`} {
		if !strings.Contains(body, want) {
			t.Errorf("new wave form lacks %q", want)
		}
	}
	if strings.Contains(body, `id="lang-pl"`) {
		t.Error("the form offers a language the questionnaire lacks")
	}

	valid := url.Values{"kind": {"unit"}, "name": {"Solbakken 2026"}, "year": {"2026"}, "instrument": {"test@1"},
		"unit": {"solbakken"}, "language": {"nb", "en"}, "opens": {"2026-12-01"}, "closes": {"2026-12-31"},
		"threshold": {"5"}, "population.solbakken": {"40"}}
	with := func(k string, v ...string) url.Values {
		out := url.Values{}
		for key, vs := range valid {
			out[key] = vs
		}
		if len(v) == 0 {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	for _, tt := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"threshold below 3", with("threshold", "2"), []string{"Minste gruppe kan ikke være under 3."}},
		{"year not a number", with("year", "tjuetjuefem"), []string{"Skriv et helt tall.", `value="tjuetjuefem"`}},
		{"language not offered", with("language", "nb", "pl"), []string{"test@1 finnes ikke på «pl»."}},
		{"no unit", with("unit"), []string{"Velg minst én virksomhet."}},
		{"closes before opens", with("closes", "2026-11-01"), []string{"Bølgen stenger (2026-11-01) før den åpner (2026-12-01)."}},
		{"no name", with("name"), []string{"Gi bølgen et navn."}},
		{"unknown instrument", with("instrument", "nothing@1"), []string{"Velg et spørreskjema."}},
		{"overall without every unit", with("kind", "overall"), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := staffRequest(t, f, s, http.MethodPost, "/admin/waves/new", tt.form)
			if tt.want == nil { // the fixture's one unit is every unit: an overall wave is fine
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("status %d", resp.StatusCode)
				}
				return
			}
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			for _, w := range append(tt.want, "Bølgen er ikke laget. Rett dette først:") {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if tt.form.Get("name") != "" && !strings.Contains(body, `value="Solbakken 2026"`) {
				t.Error("the name typed is lost")
			}
		})
	}

	resp, _ := staffRequest(t, f, s, http.MethodPost, "/admin/waves/new", valid)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/waves" {
		t.Fatalf("valid wave: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	es := auditEntries(t, f, staff.AuditWave)
	if len(es) != 2 || !strings.HasPrefix(es[0].Detail, "create ") {
		t.Fatalf("audit: %+v", es)
	}
	w, err := surveys.NewStore(f.Store.DB).Wave(context.Background(), es[0].Target)
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != surveys.WaveDraft || w.Threshold != 5 || w.Population["solbakken"] != 40 || w.Name == "" {
		t.Fatalf("stored wave %+v", w)
	}
	if links, _ := surveys.NewStore(f.Store.DB).Links(context.Background(), w.ID); len(links) != 1 {
		t.Fatalf("the wave has %d links, want one per unit", len(links))
	}
}

// TestEveryProblemIsTranslated finds every problem ID in the surveys
// package's source and requires its message in the staff languages.
func TestEveryProblemIsTranslated(t *testing.T) {
	files, err := filepath.Glob("../surveys/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	ids := map[string]bool{"page_empty": true, "text_missing": true, "text_stale": true}
	// checkExpr names its problems after the field: FIELD_syntax, FIELD_ref.
	for _, field := range []string{"show_if", "required_if", "constraint", "choice_filter"} {
		ids[field+"_syntax"], ids[field+"_ref"] = true, true
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if sel, isSel := func() (*ast.SelectorExpr, bool) {
				if !ok {
					return nil, false
				}
				s, ok := call.Fun.(*ast.SelectorExpr)
				return s, ok
			}(); isSel && sel.Sel.Name == "addID" && len(call.Args) > 1 {
				if lit, ok := call.Args[1].(*ast.BasicLit); ok {
					id, _ := strconv.Unquote(lit.Value)
					ids[id] = true
				}
			}
			return true
		})
	}
	if len(ids) < 40 {
		t.Fatalf("found only %d problem IDs; the test no longer sees them", len(ids))
	}
	for _, code := range []string{"nb", "nn", "en"} {
		keys, err := locales.Keys(code)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, k := range keys {
			have[k] = true
		}
		for id := range ids {
			if !have["editor.problem."+id] {
				t.Errorf("%s: no message editor.problem.%s", code, id)
			}
		}
	}
}

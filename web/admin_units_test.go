package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// uploadFile posts a multipart form with one file and the session's CSRF token.
func uploadFile(t *testing.T, f *webtest.Fixture, s webtest.Session, path, field, name string, data []byte, extra url.Values) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", s.CSRF)
	for k, vs := range extra {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Cookie", s.Cookie)
	return f.Do(t, req)
}

func TestUnitsAreManagedInTheBrowser(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	ss := surveys.NewStore(f.Store.DB)
	steps := []struct {
		name   string
		path   string
		form   url.Values
		status int
		want   string // in the body (after a redirect: of /admin/units)
	}{
		{"municipality", "/admin/units", url.Values{"id": {"kommune"}, "name": {"Fjordvik kommune"}, "kind": {"municipality"}}, http.StatusSeeOther, ""},
		{"sector", "/admin/units", url.Values{"id": {"helse"}, "name": {"Helse og omsorg"}, "kind": {"sector"}, "parent": {"kommune"}}, http.StatusSeeOther, ""},
		{"unit with contact details", "/admin/units", url.Values{"id": {"lia"}, "name": {"Lia avlastning"}, "kind": {"respite"}, "parent": {"helse"},
			"phone": {"69 10 20 30"}, "email": {"lia@fjordvik.kommune.no"}, "visiting_hours": {"Hver dag 11–19"}}, http.StatusSeeOther, ""},
		{"bad e-mail keeps what was typed", "/admin/units?lang=en", url.Values{"id": {"ny"}, "name": {"Nytt sted"}, "kind": {"housing"}, "parent": {"helse"},
			"email": {"not-an-address"}}, http.StatusBadRequest, "Enter a valid email address"},
		{"unknown parent", "/admin/units?lang=en", url.Values{"id": {"ny"}, "name": {"Nytt sted"}, "kind": {"housing"}, "parent": {"nowhere"}},
			http.StatusBadRequest, "There is no unit with the key"},
		{"move under the municipality", "/admin/units/lia", url.Values{"name": {"Lia avlastningssenter"}, "kind": {"respite"}, "parent": {"kommune"},
			"phone": {"69 10 20 30"}, "visiting_hours": {"Hver dag 11–19"}}, http.StatusSeeOther, ""},
		{"an empty sector can be deactivated", "/admin/units/helse/active?lang=en", url.Values{"active": {"no"}}, http.StatusSeeOther, ""},
		{"a municipality with units stays active", "/admin/units/kommune/active?lang=en", url.Values{"active": {"no"}}, http.StatusBadRequest, "Deactivate the units under this one first"},
		{"deactivate", "/admin/units/lia/active", url.Values{"active": {"no"}}, http.StatusSeeOther, ""},
	}
	for _, st := range steps {
		resp, body := staffRequest(t, f, s, http.MethodPost, st.path, st.form)
		if resp.StatusCode != st.status || !strings.Contains(html.UnescapeString(body), st.want) {
			t.Fatalf("%s: status %d, want %d with %q:\n%s", st.name, resp.StatusCode, st.status, st.want, truncateBody(body))
		}
		if st.status == http.StatusBadRequest && !strings.Contains(body, `value="Nytt sted"`) && st.form.Get("name") == "Nytt sted" {
			t.Fatalf("%s: the form lost what was typed", st.name)
		}
	}
	lia, err := ss.Unit(context.Background(), "lia")
	if err != nil || lia.Active || lia.Parent != "kommune" || lia.Deactivated != "2026-11-18" || lia.Name != "Lia avlastningssenter" {
		t.Fatalf("lia after the steps: %+v, %v", lia, err)
	}
	_, body := staffRequest(t, f, s, http.MethodGet, "/admin/units", nil)
	for _, want := range []string{"Fjordvik kommune", `class="depth-1"><a href="/admin/units/helse">`, "Deaktivert 18.11.2026"} {
		if !strings.Contains(body, want) {
			t.Errorf("the tree lacks %q", want)
		}
	}
	if n := len(auditEntries(t, f, staff.AuditUnit)); n != 6 {
		t.Errorf("%d unit audit entries, want 6 (3 added, 1 moved, 2 deactivated)", n)
	}
}

func truncateBody(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

var listField = regexp.MustCompile(`name="list" value="([^"]*)"`)

func TestUnitImportPreviewsThenStores(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	ss := surveys.NewStore(f.Store.DB)
	header := []string{"Nøkkel", "Navn", "Type", "Overordnet", "Telefon", "E-post", "Besøkstid"}

	bad := planFile(t, [][]string{header,
		{"kommune", "Fjordvik kommune", "kommune", "", "", "", ""},
		{"helse", "Helse", "sektor", "kommune", "", "", ""},
		{"fjell", "Fjell sykehjem", "sykehjem", "helse", "12", "", ""},
		{"fjell", "Fjell igjen", "sykehjem", "helse", "", "", ""},
	})
	resp, body := uploadFile(t, f, s, "/admin/units/import?lang=en", "list", "units.xlsx", bad, nil)
	body = html.UnescapeString(body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Row 4 E: Enter a telephone number") ||
		!strings.Contains(body, "Row 5 A: The key “fjell” is also in row 4") || strings.Contains(body, "/admin/units/import/confirm") {
		t.Fatalf("a list with problems: status %d\n%s", resp.StatusCode, truncateBody(body))
	}

	good := planFile(t, [][]string{header,
		{"kommune", "Fjordvik kommune", "kommune", "", "", "", ""},
		{"helse", "Helse", "sektor", "kommune", "", "", ""},
		{"fjell", "Fjell sykehjem", "sykehjem", "helse", "69 00 00 00", "fjell@fjordvik.no", "12–19"},
		{"solbakken", "Solbakken sykehjem", "sykehjem", "helse", "", "", ""},
	})
	resp, body = uploadFile(t, f, s, "/admin/units/import", "list", "units.xlsx", good, nil)
	m := listField.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("preview: status %d\n%s", resp.StatusCode, truncateBody(body))
	}
	if us, _ := ss.Units(context.Background()); len(us) != 1 {
		t.Fatalf("the preview stored units: %d", len(us))
	}
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/units/import/confirm", url.Values{"list": {html.UnescapeString(m[1])}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/units?imported=3&changed=1") {
		t.Fatalf("confirm: status %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	fjell, err := ss.Unit(context.Background(), "fjell")
	if err != nil || fjell.Parent != "helse" || fjell.VisitingHours != "12–19" || !fjell.Active {
		t.Fatalf("imported unit %+v, %v", fjell, err)
	}
	// A tampered list is checked again and stores nothing.
	resp, _ = staffRequest(t, f, s, http.MethodPost, "/admin/units/import/confirm",
		url.Values{"list": {`{"Rows":[{"Row":2,"Unit":{"ID":"x","Name":"X","Kind":"school","Parent":"nowhere","Active":true}}]}`}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("tampered confirm: status %d", resp.StatusCode)
	}
	if _, err := ss.Unit(context.Background(), "x"); err == nil {
		t.Fatal("a tampered list was stored")
	}
}

func TestPublicUnitOverviewShowsContactDetails(t *testing.T) {
	f := webtest.New(t)
	ss := surveys.NewStore(f.Store.DB)
	ctx := context.Background()
	for _, u := range []surveys.Unit{
		{ID: "kommune", Name: "Fjordvik kommune", Kind: surveys.KindMunicipality, Active: true},
		{ID: "helse", Name: "Helse og omsorg", Kind: surveys.KindSector, Parent: "kommune", Active: true},
		{ID: "fjell", Name: "Fjell sykehjem", Kind: surveys.KindNursingHome, Parent: "helse", Active: true,
			Phone: "69 00 00 00", VisitingHours: "Hver dag 11–19"},
		{ID: "stengt", Name: "Nedlagt sted", Kind: surveys.KindRespite, Parent: "helse", Active: false},
	} {
		if err := ss.InsertUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"nb", "en", "ar", "ti"} {
		resp, body := f.Get(t, "/kontakt?lang="+lang)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Fjell sykehjem") || !strings.Contains(body, "Hver dag 11–19") ||
			!strings.Contains(body, `href="tel:69%2000%2000%2000"`) || strings.Contains(body, "Nedlagt sted") {
			t.Fatalf("%s: status %d\n%s", lang, resp.StatusCode, truncateBody(body))
		}
	}
	if _, body := f.Get(t, "/delta"); !strings.Contains(body, `href="/kontakt"`) {
		t.Error("/delta does not link to the overview")
	}
}

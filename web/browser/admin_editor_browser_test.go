package browser_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// TestAccessibilityOfEditorPages runs axe-core (WCAG 2.1 A and AA) and the
// touch-target check on the instrument editor and the new-wave form, with
// the error states they re-render, at phone and desktop widths.
func TestAccessibilityOfEditorPages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	ss := surveys.NewStore(f.Store.DB)
	draft, err := ss.NewDraftFrom(context.Background(), "test@1")
	if err != nil {
		t.Fatal(err)
	}
	// A changed bokmål text leaves the English title to be checked.
	if draft, err = ss.EditDraft(context.Background(), draft.ID, draft.Rev, func(in *surveys.Instrument) error {
		in.SetTitle(surveys.Text{"nb": "Ny tittel"}, nil)
		return nil
	}); err != nil || !draft.IsStale("en", "title") {
		t.Fatalf("making the English title stale: %v", err)
	}
	forms, err := filepath.Abs(filepath.Join("..", "..", "surveys", "testdata", "xlsform"))
	if err != nil {
		t.Fatal(err)
	}
	edit := "/admin/instruments/" + draft.ID + "/edit"
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	b.checkArea(t, s.Cookie, []string{"nb", "en"}, []areaPage{
		{name: "overview", path: edit + "?to=en", status: http.StatusOK},
		{name: "overview refused", path: edit + "?to=en", status: http.StatusBadRequest, set: [2]string{"#f-title-nb", ""}, click: `form[action$="/edit/title"] button`},
		{name: "question", path: edit + "/questions/info_given?to=en", status: http.StatusOK},
		{name: "question refused", path: edit + "/questions/info_given?to=en", status: http.StatusBadRequest,
			set: [2]string{"#f-show-if", "${age} = '3'"}, click: `form[novalidate] button.primary`},
		{name: "new question", path: edit + "/questions/new?page=0&to=en", status: http.StatusOK},
		{name: "published version", path: "/admin/instruments/test@1/edit", status: http.StatusOK},
		{name: "new wave", path: "/admin/waves/new", status: http.StatusOK},
		{name: "new wave refused", path: "/admin/waves/new", status: http.StatusBadRequest, set: [2]string{"#f-threshold", "2"}, click: `form[action="/admin/waves/new"] button.primary`},
		{name: "xlsform upload", path: "/admin/instruments/import", status: http.StatusOK},
		{name: "xlsform problems", path: "/admin/instruments/import", status: http.StatusBadRequest, click: `form[enctype] button`,
			upload: filepath.Join(forms, "refused_media_and_location.xlsx")},
		{name: "xlsform preview", path: "/admin/instruments/import", status: http.StatusOK, click: `form[enctype] button`,
			upload: filepath.Join(forms, "kobo_export.xlsx")},
	})
}

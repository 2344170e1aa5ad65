package browser_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

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
	pages := []struct {
		name, path string
		status     int64
		set        [2]string // a field to fill in before clicking, if any
		click      string    // a button to press after loading, if any
		upload     string    // a file to choose in the file input before clicking, if any
	}{
		{"overview", edit + "?to=en", http.StatusOK, [2]string{}, "", ""},
		{"overview refused", edit + "?to=en", http.StatusBadRequest, [2]string{"#f-title-nb", ""}, `form[action$="/edit/title"] button`, ""},
		{"question", edit + "/questions/info_given?to=en", http.StatusOK, [2]string{}, "", ""},
		{"question refused", edit + "/questions/info_given?to=en", http.StatusBadRequest,
			[2]string{"#f-show-if", "${age} = '3'"}, `form[novalidate] button.primary`, ""},
		{"new question", edit + "/questions/new?page=0&to=en", http.StatusOK, [2]string{}, "", ""},
		{"published version", "/admin/instruments/test@1/edit", http.StatusOK, [2]string{}, "", ""},
		{"new wave", "/admin/waves/new", http.StatusOK, [2]string{}, "", ""},
		{"new wave refused", "/admin/waves/new", http.StatusBadRequest, [2]string{"#f-threshold", "2"}, `form[action="/admin/waves/new"] button.primary`, ""},
		{"xlsform upload", "/admin/instruments/import", http.StatusOK, [2]string{}, "", ""},
		{"xlsform problems", "/admin/instruments/import", http.StatusBadRequest, [2]string{}, `form[enctype] button`,
			filepath.Join(forms, "refused_media_and_location.xlsx")},
		{"xlsform preview", "/admin/instruments/import", http.StatusOK, [2]string{}, `form[enctype] button`,
			filepath.Join(forms, "kobo_export.xlsx")},
	}
	for _, lang := range []string{"nb", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel() // each language in a tab with its own cookies
			tab := b.tab(t)
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					ctx := bounded(t, tab)
					b.setCookies(t, ctx, s.Cookie, lang)
					if err := chromedp.Do(ctx, phone.emulate()); err != nil {
						t.Fatal(err)
					}
					status, err := load(ctx, b.base+pg.path)
					if err == nil && pg.set[0] != "" {
						// Evaluate rather than SetValue, which refuses an empty value.
						err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](
							"document.querySelector("+strconv.Quote(pg.set[0])+").value = "+strconv.Quote(pg.set[1])))
					}
					if err == nil && pg.upload != "" {
						err = chromedp.Do(ctx, chromedp.SetUploadFiles(`input[type="file"]`, []string{pg.upload}))
					}
					if err == nil && pg.click != "" {
						status, err = clickAndWait(ctx, pg.click)
					}
					if err != nil {
						t.Fatal(err)
					}
					if status != pg.status {
						t.Errorf("status %d, want %d", status, pg.status)
					}
					b.checkAxe(t, ctx, phone, desktop)
					checkTouchTargets(t, ctx, phone, desktop)
				})
			}
		})
	}
}

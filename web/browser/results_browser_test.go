package browser_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
)

// TestAccessibilityOfResultsPages runs axe-core (WCAG 2.1 A and AA) and the
// touch-target check on the advisor dashboard (the whole municipality, a
// unit against the rest, a suppressed unit: every chart, the heat map and
// every table) and on the council's report, at phone and desktop widths in
// the staff languages; the council's report also as printed.
func TestAccessibilityOfResultsPages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.NewDemo(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	// This year's wave, closed and published, compared with four years ago.
	webtest.PublishCurrent(t, f)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	pages := []struct {
		name, path string
		print      bool
	}{
		{"municipality", "/admin/results?wave=" + webtest.DemoCurrent, false},
		{"unit against the rest", "/admin/results?wave=" + webtest.DemoCurrent + "&unit=solbakken&segment=age_group", false},
		{"suppressed unit", "/admin/results?wave=" + webtest.DemoCurrent + "&unit=lia_avlastning", false},
		{"earlier wave", "/admin/results?wave=" + webtest.DemoClosed, false},
		{"council report", "/admin/council/results", true},
	}
	for _, lang := range []string{"nb", "nn", "en"} {
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
					if err != nil {
						t.Fatal(err)
					}
					if status != http.StatusOK {
						t.Fatalf("status %d", status)
					}
					if n := evalString(t, ctx, `String(document.querySelectorAll('svg.chart[role=img]').length)`); n == "0" {
						t.Error("no chart on the page")
					}
					b.checkAxe(t, ctx, phone, desktop)
					checkTouchTargets(t, ctx, phone, desktop)
					screenshot(t, ctx, lang+"-"+pg.name)
					if !pg.print {
						return
					}
					if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
						t.Fatal(err)
					}
					// Printed, the report is the report alone: no navigation, forms or buttons.
					hidden := evalString(t, ctx, `[...document.querySelectorAll('nav, form, button, header.site, footer.site')]
						.filter(e => e.getClientRects().length > 0).map(e => e.tagName).join(',')`)
					if hidden != "" {
						t.Errorf("printed, the page still shows %s", hidden)
					}
					b.checkAxe(t, ctx, desktop)
					screenshot(t, ctx, lang+"-"+pg.name+"-print")
					if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
						t.Fatal(err)
					}
				})
			}
		})
	}
}

// screenshot saves the page to $STEMME_SCREENSHOTS/name.png when that is
// set, for a person to look at; otherwise it does nothing.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("STEMME_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(dir+"/"+strings.ReplaceAll(name, " ", "_")+".png", png, 0o644)
}

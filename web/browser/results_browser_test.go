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
					checkHeatHeadersAt320(t, ctx)
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

// checkHeatHeadersAt320 lays the page out at 320 CSS pixels and reads, with
// a Range per character, where each heat-map column header's lines break:
// only after a space or a soft hyphen (a word such as "Helhetsvurdering"
// never splits elsewhere), and no header is wider than its cell.
func checkHeatHeadersAt320(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, narrow.emulate()); err != nil {
		t.Fatal(err)
	}
	got := evalString(t, ctx, `(() => {
		let headers = 0, hyphenated = 0;
		const bad = [];
		for (const th of document.querySelectorAll('table.heatmap th[scope=col]')) {
			const node = th.firstChild;
			if (!node || node.nodeType !== Node.TEXT_NODE) continue;
			headers++;
			const s = node.data, r = document.createRange();
			let top = null;
			for (let i = 0; i < s.length; i++) {
				if (s[i] === ' ' || s[i] === '\u00ad') continue;
				r.setStart(node, i); r.setEnd(node, i + 1);
				// The last box: a character after a soft hyphen also reports
				// the hyphen drawn at the end of the line before.
				const boxes = r.getClientRects(), box = boxes[boxes.length - 1];
				if (!box) continue;
				if (top !== null && box.top > top + 1) {
					if (s[i-1] === '\u00ad') hyphenated++;
					else if (s[i-1] !== ' ') bad.push(s.replaceAll('\u00ad', '') + ' breaks before ' + i);
				}
				top = box.top;
			}
			if (th.scrollWidth > th.clientWidth) bad.push(s.replaceAll('\u00ad', '') + ' is wider than its cell');
		}
		return headers + '|' + hyphenated + '|' + bad.join('; ');
	})()`)
	parts := strings.SplitN(got, "|", 3)
	if len(parts) != 3 {
		t.Fatalf("heat-map headers: %q", got)
	}
	if parts[0] == "0" {
		return // no heat map on this page
	}
	if parts[2] != "" {
		t.Errorf("heat-map headers at 320 px: %s", parts[2])
	}
	t.Logf("heat-map headers at 320 px: %s headers, %s lines broken at a soft hyphen", parts[0], parts[1])
}

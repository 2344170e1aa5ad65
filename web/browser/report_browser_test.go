package browser_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/report/pdftest"
)

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// TestAccessibilityOfYearlyReport runs axe-core (WCAG 2.1 A and AA) and the
// touch-target check on the yearly report in the staff languages, at phone
// and desktop widths and as printed, and prints it to PDF as Chromium
// does: A4 pages, a sane number of them, nothing but the report.
func TestAccessibilityOfYearlyReport(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.NewReport(t)
	users := webtest.StaffUsers(t, f)
	council := users["council"]
	s := webtest.SignIn(t, f, &council)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run(lang, func(t *testing.T) {
			ctx := bounded(t, b.tab(t))
			b.setCookies(t, ctx, s.Cookie, lang)
			if err := chromedp.Do(ctx, phone.emulate()); err != nil {
				t.Fatal(err)
			}
			status, err := load(ctx, b.base+"/admin/report?year=2026")
			if err != nil || status != http.StatusOK {
				t.Fatalf("status %d, %v", status, err)
			}
			if n := evalString(t, ctx, `String(document.querySelectorAll('svg.chart[role=img]').length)`); n != "2" {
				t.Errorf("%s charts on the page, want the focus areas and the themes", n)
			}
			b.checkAxe(t, ctx, phone, desktop)
			checkTouchTargets(t, ctx, phone, desktop)
			screenshot(t, ctx, lang+"-yearly-report")
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
			shown := evalString(t, ctx, `[...document.querySelectorAll('nav, form, button, header.site, footer.site, a.button')]
				.filter(e => e.getClientRects().length > 0).map(e => e.tagName).join(',')`)
			if shown != "" {
				t.Errorf("printed, the page still shows %s", shown)
			}
			b.checkAxe(t, ctx, desktop)
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
				t.Fatal(err)
			}
			yes := true
			res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
			if err != nil {
				t.Fatal(err)
			}
			pdf := res.Data
			if dir := os.Getenv("STEMME_SCREENSHOTS"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, lang+"-yearly-report-printed.pdf"), pdf, 0o644)
			}
			pages := pdftest.Pages(pdf)
			t.Logf("printed: %d pages, %d bytes", pages, len(pdf))
			if pages < 2 || pages > 12 {
				t.Errorf("printed on %d pages", pages)
			}
			boxes := mediaBox.FindAllSubmatch(pdf, -1)
			if len(boxes) == 0 {
				t.Error("the printed PDF has no /MediaBox")
			}
			for _, m := range boxes {
				w, _ := strconv.ParseFloat(string(m[1]), 64)
				h, _ := strconv.ParseFloat(string(m[2]), 64)
				// A4 is 595 × 842 points.
				if w < 593 || w > 598 || h < 840 || h > 845 {
					t.Errorf("a printed page is %.1f × %.1f points, not A4", w, h)
					break
				}
			}
		})
	}
}

package charts

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// escapes lists, for every chart on the page, the text elements whose box
// leaves the chart's view box, and the texts drawn over an interval
// whisker, in view-box units.
const escapes = `(() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const vb = svg.viewBox.baseVal, id = svg.getAttribute('aria-labelledby').split('-')[0];
    const whiskers = [...svg.querySelectorAll('path[fill=none]')].map(p => p.getBBox());
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox(), name = id + ' "' + t.textContent + '"';
      if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 || b.y + b.height > vb.height + 0.5)
        out.push(name + ' at x ' + Math.round(b.x) + '…' + Math.round(b.x + b.width) + ' of 0…' + vb.width);
      for (const w of whiskers)
        if (b.x < w.x + w.width && w.x < b.x + b.width && b.y < w.y + w.height && w.y < b.y + b.height)
          out.push(name + ' over a whisker at x ' + Math.round(w.x) + '…' + Math.round(w.x + w.width));
    }
  }
  return out;
})()`

// page draws each kind of chart the way the results pages do, with
// Arabic labels, in a right-to-left document.
func rtlPage(rtl bool) string {
	bars := Bars(BarChart{ID: "bars", Title: "مؤشر", Desc: "وصف", IndexLabel: "المؤشر", IntervalLabel: "الفاصل",
		PreviousLabel: "السابق", HiddenLabel: "إجابات قليلة جدًا", RTL: rtl, Bars: []Bar{
			{Label: "المعلومات والإرشاد", Value: 72, Lo: 66, Hi: 78, Previous: 61},
			{Label: "المشاركة والتعاون مع الموظفين في تخطيط الخدمات", Value: 97, Lo: 93, Hi: 100, Previous: 99},
			{Label: "الدعم والرعاية المؤقتة", Value: 8, Lo: 0, Hi: 21, Previous: 15},
			{Label: "الأطفال", Hidden: true},
		}})
	stacked := Stacked(StackedChart{ID: "dist", Title: "التوزيع", Desc: "وصف", HiddenLabel: "إجابات قليلة جدًا", RTL: rtl,
		Categories: []string{"1", "2", "3", "4", "5", "6", "لا أعرف / لا ينطبق"},
		Rows: []StackRow{{Label: "هل تعرف بمن تتصل عندما تكون لديك أسئلة؟", Shares: []float64{0.05, 0.1, 0.15, 0.2, 0.25, 0.2, 0.05}},
			{Label: "الأطفال", Hidden: true}}})
	change := Compare(Change{ID: "chg", Title: "تغيير", Desc: "من 61 إلى 72", Now: 72, Previous: 61, Significant: true, RTL: rtl})
	return `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>svg{display:block;inline-size:400px}</style></head><body>` +
		string(bars) + string(stacked) + string(change) + `</body></html>`
}

// TestChartsStayInsideTheirBoxRightToLeft draws every chart kind in an
// Arabic page and measures, in chromium, that no text leaves its chart and
// no value is written over an interval. The same charts drawn left to
// right in that page must fail the check: the check can fail.
func TestChartsStayInsideTheirBoxRightToLeft(t *testing.T) {
	chromium := os.Getenv("STEMME_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium missing (%s) on CI", chromium)
		}
		t.Skip("BROWSER TEST SKIPPED: chromium missing (" + chromium + ")")
	}
	// Before charts knew their direction, they were drawn left to right
	// and took the page's direction: that is the page that must fail.
	before := strings.ReplaceAll(rtlPage(false), `direction="ltr" `, "")
	pages := map[string]string{"/rtl": rtlPage(true), "/ltr": rtlPage(false), "/before": before}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	measure := func(path string) []string {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.NavigateResponse(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
		out, err := chromedp.Run(tab, chromedp.Evaluate[[]string](escapes))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, e := range measure("/rtl") {
		t.Errorf("right to left: %s", e)
	}
	// A left-to-right chart keeps its own direction in a right-to-left page.
	for _, e := range measure("/ltr") {
		t.Errorf("left to right in a right-to-left page: %s", e)
	}
	if bad := measure("/before"); len(bad) == 0 {
		t.Error("charts drawn as before pass the check in a right-to-left page: it cannot fail")
	} else {
		t.Logf("charts as drawn before, in an Arabic page: %d problems, e.g. %s", len(bad), bad[0])
	}
	if !strings.Contains(rtlPage(true), `direction="rtl"`) {
		t.Error("a right-to-left chart does not say so")
	}
}

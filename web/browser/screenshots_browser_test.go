package browser_test

import (
	"bytes"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stemme/stemme/internal/webtest"
)

// The README shows three pages as a relative or a council member sees them on
// a phone. TestScreenshotsForDocs takes them with real Chromium on the demo
// municipality; with STEMME_UPDATE_SCREENSHOTS=1 it writes them to
// docs/screenshots/, otherwise it checks that those files are there:
//
//	STEMME_UPDATE_SCREENSHOTS=1 go test ./web/browser/ -run TestScreenshotsForDocs
const (
	screenshotDir = "../../docs/screenshots"
	// screenshotWidth is a common phone's CSS width.
	screenshotWidth = 360
	// screenshotMaxBytes keeps the repository light.
	screenshotMaxBytes = 300 << 10
)

type docScreenshot struct {
	file, path string
	// maxHeight cuts a long page: the README shows its top, down to the
	// end of the element until when there is one.
	maxHeight int64
	until     string
}

var docScreenshots = []docScreenshot{
	{"dashboard-top.png", "/admin/results?wave=" + webtest.DemoCurrent, 3600, "nav.in-page"},
	{"council-report.png", "/admin/council/results?wave=" + webtest.DemoCurrent, 2000, ""},
	{"public-results.png", "/resultater/" + webtest.DemoCurrent, 2000, ""},
}

func TestScreenshotsForDocs(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.NewDemoWith(t, true)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	webtest.PublishCurrent(t, f)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	update := os.Getenv("STEMME_UPDATE_SCREENSHOTS") == "1"
	if update {
		if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := bounded(t, b.tab(t))
	b.setCookies(t, ctx, s.Cookie, "nb")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(screenshotWidth, 740, chromedp.EmulateMobile, chromedp.EmulatePortrait)); err != nil {
		t.Fatal(err)
	}
	for _, shot := range docScreenshots {
		t.Run(shot.file, func(t *testing.T) {
			status, err := load(ctx, b.base+shot.path)
			if err != nil || status != http.StatusOK {
				t.Fatalf("%s: status %d, %v", shot.path, status, err)
			}
			// The language picker names Tigrinya in its own script: the
			// Ethiopic font (fetched for those characters only) must have
			// loaded before the picture is taken, or the name shows as boxes.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
				`document.fonts.load('16px "Noto Sans Ethiopic"', 'ትግርኛ').then(() => document.fonts.ready)`, chromedp.EvalAwaitPromise)); err != nil {
				t.Fatal(err)
			}
			if ok := evalString(t, ctx, `String(document.fonts.check('16px "Noto Sans Ethiopic"', 'ትግርኛ'))`); ok != "true" {
				t.Errorf("the Ethiopic font is not loaded: Tigrinya's name in the picker would show as boxes")
			}
			// A figure squeezed beside a long term is what a phone showed before.
			if narrow := evalString(t, ctx, `[...document.querySelectorAll('dl.facts dd')]
				.filter(d => d.getBoundingClientRect().width < 80).map(d => d.textContent.trim()).join(' | ')`); narrow != "" {
				t.Errorf("figures squeezed to under 80 px: %s", narrow)
			}
			height, err := strconv.ParseInt(evalString(t, ctx, `String(Math.ceil(`+bottomOf(shot.until)+`))`), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
				Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: ptrTo(true), FromSurface: ptrTo(true),
				Clip: &page.Viewport{Width: screenshotWidth, Height: float64(min(height, shot.maxHeight)), Scale: 1},
			})
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.DecodeConfig(bytes.NewReader(res.Data))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d×%d px, %d bytes", shot.file, img.Width, img.Height, len(res.Data))
			if img.Width != screenshotWidth {
				t.Errorf("%d px wide, want %d", img.Width, screenshotWidth)
			}
			if len(res.Data) > screenshotMaxBytes {
				t.Errorf("%d bytes, more than %d", len(res.Data), screenshotMaxBytes)
			}
			file := filepath.Join(screenshotDir, shot.file)
			if update {
				if err := os.WriteFile(file, res.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if fi, err := os.Stat(file); err != nil || fi.Size() == 0 || fi.Size() > screenshotMaxBytes {
				t.Errorf("%s missing or too large (%v); run with STEMME_UPDATE_SCREENSHOTS=1", file, err)
			}
		})
	}
}

// bottomOf is a script for how far down the page the element ends (the
// whole page without one).
func bottomOf(css string) string {
	if css == "" {
		return `document.documentElement.scrollHeight`
	}
	return `document.querySelector('` + css + `').getBoundingClientRect().bottom + window.scrollY + 16`
}

func ptrTo[T any](v T) *T { return &v }

package browser_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Browser tests drive Debian's chromium through chromedp and check pages with
// axe-core. Without chromium or axe-core they are skipped, loudly, unless CI
// is set: then a missing tool fails the test, so CI cannot pass by skipping.

const (
	defaultChromium = "/usr/bin/chromium"
	axeRelPath      = "node_modules/axe-core/axe.min.js"
	// runTimeout bounds the work on one page (navigation, clicks, axe).
	runTimeout = 60 * time.Second
	// browserTimeout bounds the browser's whole life in one test: a guard
	// against a hung Chromium, not a measure. The public pages' test runs
	// nine languages in parallel subtests two at a time, and under a load of
	// 15 on two cores that took over five minutes (a page then failed with
	// "context deadline exceeded" after 1.8 s of its own).
	browserTimeout = 20 * time.Minute
)

var skipNotice sync.Once

// browserTools returns the chromium binary and the axe-core source, or skips
// (fails on CI) when either is missing.
func browserTools(t *testing.T) (chromium string, axeSource string) {
	t.Helper()
	var missing []string
	chromium = os.Getenv("STEMME_CHROMIUM")
	if chromium == "" {
		chromium = defaultChromium
	}
	if fi, err := os.Stat(chromium); err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		missing = append(missing, "chromium ("+chromium+")")
	}
	axePath := os.Getenv("STEMME_AXE_JS")
	if axePath == "" {
		axePath = findUp(axeRelPath)
	}
	if axePath != "" {
		b, err := os.ReadFile(axePath)
		if err == nil && len(b) > 0 {
			axeSource = string(b)
		} else {
			missing = append(missing, "axe-core ("+axePath+")")
		}
	} else {
		missing = append(missing, "axe-core ("+axeRelPath+" in this or a parent directory)")
	}
	if len(missing) > 0 {
		msg := "BROWSER TESTS SKIPPED: " + strings.Join(missing, " and ") + " missing; install with " +
			"`apt-get install chromium` and `npm install --no-save --no-package-lock axe-core@4` in the " +
			"repository root (or set STEMME_CHROMIUM / STEMME_AXE_JS) — CI runs them"
		if os.Getenv("CI") == "" {
			// go test shows skip messages only with -v; say it once on stderr too.
			skipNotice.Do(func() { fmt.Fprintf(os.Stderr, "\n*** %s ***\n\n", msg) })
			t.Skip("\n\n*** " + msg + " ***\n")
		}
		t.Fatal(msg + " (CI is set, so a missing tool is a failure)")
	}
	return chromium, axeSource
}

// findUp looks for rel in the working directory (the package directory under
// go test) and each of its parents, and returns the first match.
func findUp(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// browser is one headless chromium for one test, shared by its subtests.
type browser struct {
	ctx  context.Context // the browser's first context; tabs derive from it
	base string
	axe  string
}

// newBrowser starts chromium with the flags of the project guide (no
// background networking, a fresh profile) and stops it when the test ends.
func newBrowser(t *testing.T, base, chromium, axe string) *browser {
	t.Helper()
	outer, cancelOuter := context.WithTimeout(context.Background(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(outer,
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelOuter()
	})
	// The first run starts the browser; it is bounded by browserTimeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return &browser{ctx: ctx, base: base, axe: axe}
}

// tab opens a tab in a browser context of its own, so its cookies (the
// language choice) are its own while tabs in parallel subtests share the
// browser. The tab closes, and its context is disposed of, when the test ends.
// Pages loaded one after another in a tab share its renderer, which keeps
// compiled axe-core warm.
func (b *browser) tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run creates the browser context and the tab, bounded by
	// browserTimeout; a timeout here would close the tab when it ended.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

// bounded limits the work on one page in a tab to runTimeout.
func bounded(t *testing.T, tab context.Context) context.Context {
	ctx, cancel := context.WithTimeout(tab, runTimeout)
	t.Cleanup(cancel)
	return ctx
}

type viewport struct {
	name          string
	width, height int64
}

var (
	phone   = viewport{"phone 360×740", 360, 740}
	desktop = viewport{"desktop 1280×900", 1280, 900}
)

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.width < 800 {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Count  int    `json:"count"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun checks the document against WCAG 2.1 A and AA and returns the
// violations with the first few offending nodes.
const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return r.violations.map(v => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl, count: v.nodes.length,
    nodes: v.nodes.slice(0, 3).map(n => ({
      target: n.target.flat().join(' '), html: n.html, summary: n.failureSummary || '',
    })),
  }));
})()`

// checkAxe injects axe-core into the tab's current page and runs it at
// each viewport, without reloading: a page reached by a POST stays as it is.
func (b *browser) checkAxe(t *testing.T, ctx context.Context, viewports ...viewport) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		t.Fatalf("reading the page's address: %v", err)
	}
	for _, vp := range viewports {
		if err := chromedp.Do(ctx, vp.emulate()); err != nil {
			t.Fatalf("%s: %v", vp.name, err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: running axe-core: %v", vp.name, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal(raw, &vs); err != nil {
			t.Fatalf("%s: axe-core result: %v", vp.name, err)
		}
		for _, v := range vs {
			var sb strings.Builder
			fmt.Fprintf(&sb, "%s at %s: axe %s (%s, %d node(s)): %s\n    %s", page, vp.name, v.ID, v.Impact, v.Count, v.Help, v.URL)
			for _, n := range v.Nodes {
				fmt.Fprintf(&sb, "\n    at %s\n      %s", n.Target, truncate(n.HTML, 240))
				if n.Summary != "" {
					fmt.Fprintf(&sb, "\n      %s", strings.ReplaceAll(truncate(n.Summary, 400), "\n", "\n      "))
				}
			}
			t.Error(sb.String())
		}
	}
}

// smallTargets lists the visible controls smaller than 44×44 CSS pixels, the
// project's minimum touch target. A link inside running text is exempt (as in
// WCAG 2.5.5); a radio button or checkbox counts by its label, which is an
// equivalent, larger target for the same control.
const smallTargets = `(() => {
  const out = [], vw = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.getAttribute('href') ? '[href="' + e.getAttribute('href') + '"]' : '') +
    (e.htmlFor ? '[for="' + e.htmlFor + '"]' : '');
  for (let e of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (e.tagName === 'A' && e.parentElement &&
        e.parentElement.textContent.trim().length > e.textContent.trim().length) continue;
    if (e.type === 'radio' || e.type === 'checkbox') { e = e.labels && e.labels[0]; if (!e) continue; }
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right < 0 || r.left > vw) continue; // hidden or off-screen (skip link)
    if (r.width < 43.5 || r.height < 43.5) out.push(name(e) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  return out;
})()`

// checkTouchTargets fails for every control in the tab's page that is smaller
// than 44×44 CSS pixels at any of the viewports.
func checkTouchTargets(t *testing.T, ctx context.Context, viewports ...viewport) {
	t.Helper()
	for _, vp := range viewports {
		if err := chromedp.Do(ctx, vp.emulate()); err != nil {
			t.Fatalf("%s: %v", vp.name, err)
		}
		small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](smallTargets))
		if err != nil {
			t.Fatalf("%s: measuring touch targets: %v", vp.name, err)
		}
		for _, s := range small {
			t.Errorf("%s: touch target smaller than 44×44 px: %s", vp.name, s)
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// load navigates the tab and returns the HTTP status of the document.
func load(ctx context.Context, url string) (int64, error) {
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		return 0, err
	}
	if resp == nil {
		return 0, errors.New("no response for " + url)
	}
	return resp.Status, nil
}

// clickAndWait clicks the element and waits for the page it loads, returning
// the HTTP status of the new document.
func clickAndWait(ctx context.Context, css string) (int64, error) {
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css)))
	if err != nil {
		return 0, fmt.Errorf("clicking %s: %w", css, err)
	}
	if resp == nil {
		return 0, errors.New("no response after clicking " + css)
	}
	return resp.Status, nil
}

// setCookies gives the tab a staff session's cookies and the UI language.
func (b *browser) setCookies(t *testing.T, ctx context.Context, sessionCookie, lang string) {
	t.Helper()
	var cookies []*network.CookieParam
	for _, kv := range strings.Split(sessionCookie+"; lang="+lang, "; ") {
		k, v, _ := strings.Cut(kv, "=")
		cookies = append(cookies, &network.CookieParam{Name: k, Value: v, URL: b.base})
	}
	if _, err := chromedp.Call(ctx, network.SetCookies, network.SetCookiesParams{Cookies: cookies}); err != nil {
		t.Fatal(err)
	}
}

// areaPage is one page of an area's accessibility check: loaded at path,
// then, when set, changed (a field given a value, a file chosen, a button
// pressed) to reach the state to check, which must answer with status.
type areaPage struct {
	name, path string
	status     int64
	set        [2]string // a field (CSS selector) and the value to give it
	upload     string    // a file for the page's file input
	click      string    // a button to press last
	// cookie replaces the check's session for this page (another role).
	cookie string
}

// checkArea loads every page in each language, each language in a tab of
// its own with the session cookie, side by side, and runs axe-core and the
// touch-target check at phone and desktop widths.
func (b *browser) checkArea(t *testing.T, cookie string, langs []string, pages []areaPage) {
	t.Helper()
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			t.Parallel() // each language in a tab with its own cookies
			tab := b.tab(t)
			for _, pg := range pages {
				t.Run(pg.name, func(t *testing.T) {
					ctx := bounded(t, tab)
					b.setCookies(t, ctx, cmp.Or(pg.cookie, cookie), lang)
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

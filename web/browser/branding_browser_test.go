package browser_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/web"
)

// brandState reads the header: the logo as loaded and the name shown.
const brandState = `(() => {
  const img = document.querySelector('header.site img.logo');
  const org = document.querySelector('header.site .org');
  return {
    logo: img ? img.getAttribute('src') : '',
    loaded: !!img && img.complete && img.naturalWidth > 0,
    org: org ? org.textContent.trim() : '',
    orgLang: org ? (org.closest('[lang]')?.lang ?? '') : '',
    title: document.title,
  };
})()`

type brandView struct {
	Logo    string `json:"logo"`
	Loaded  bool   `json:"loaded"`
	Org     string `json:"org"`
	OrgLang string `json:"orgLang"`
	Title   string `json:"title"`
}

// TestMunicipalityNameAndLogoOnEveryPage: an admin uploads a PNG logo;
// every page, public and staff, in Norwegian and Arabic, shows it (loaded
// from this origin under the strict CSP) beside the name from
// STEMME_ORG_NAME, which keeps lang="nb" on an Arabic page. An SVG with a
// script is refused with a message tied to the field, a clean one taken.
func TestMunicipalityNameAndLogoOnEveryPage(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.NewAt(t, "http://localhost:8080", func(c *web.Config) { c.OrgName = "Eksempel kommune" })
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	s := webtest.SignIn(t, f, &admin)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	ctx := bounded(t, b.tab(t))
	b.setCookies(t, ctx, s.Cookie, "nb")
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	img := image.NewRGBA(image.Rect(0, 0, 160, 48))
	for x := range 160 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{11, 79, 108, 255})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	upload := func(path string) int64 {
		t.Helper()
		if _, err := load(ctx, b.base+"/admin/branding"); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`#logo`), []string{path})); err != nil {
			t.Fatal(err)
		}
		status, err := clickAndWait(ctx, `form[enctype] button[type=submit]`)
		if err != nil {
			t.Fatal(err)
		}
		return status
	}
	if status := upload(write("logo.png", pngData.Bytes())); status != http.StatusOK {
		t.Fatalf("uploading a PNG: status %d", status)
	}
	b.checkAxe(t, ctx, phone, desktop)

	for _, lang := range []string{"nb", "ar"} {
		for _, path := range []string{"/", "/delta", "/resultater", "/personvern", "/s/" + f.Open, "/login", "/admin", "/admin/results", "/admin/nosuchpage"} {
			if path == "/login" {
				b.setCookies(t, ctx, "x=y", lang) // signed in, /login sends one on
			} else {
				b.setCookies(t, ctx, s.Cookie, lang)
			}
			if _, err := load(ctx, b.base+path+"?lang="+lang); err != nil {
				t.Fatal(err)
			}
			v, err := chromedp.Run(ctx, chromedp.Evaluate[brandView](brandState))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(v.Logo, "/logo?v=") || !v.Loaded {
				t.Errorf("%s in %s: logo %q loaded %v", path, lang, v.Logo, v.Loaded)
			}
			if v.Org != "Eksempel kommune" || v.OrgLang != "nb" {
				t.Errorf("%s in %s: name %q in lang %q", path, lang, v.Org, v.OrgLang)
			}
			if !strings.HasSuffix(v.Title, "Eksempel kommune") {
				t.Errorf("%s in %s: title %q does not name the municipality", path, lang, v.Title)
			}
		}
	}

	b.setCookies(t, ctx, s.Cookie, "nb")
	before := evalString(t, ctx, `document.querySelector('header.site img.logo')?.getAttribute('src') ?? ''`)
	bad := `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="10" height="10"/></svg>`
	if status := upload(write("bad.svg", []byte(bad))); status != http.StatusBadRequest {
		t.Errorf("an SVG with an event handler: status %d, want 400", status)
	}
	if got := evalString(t, ctx, `document.querySelector('#logo').getAttribute('aria-invalid') + ' ' + document.querySelector('.error-summary a')?.getAttribute('href')`); got != "true #logo" {
		t.Errorf("the refusal is not tied to the file field: %q", got)
	}
	b.checkAxe(t, ctx, phone)
	if after := evalString(t, ctx, `document.querySelector('header.site img.logo')?.getAttribute('src') ?? ''`); after != before {
		t.Errorf("a refused SVG changed the logo from %q to %q", before, after)
	}
	good := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 12"><title>Eksempel kommune</title><rect width="40" height="12" fill="#0b4f6c"/></svg>`
	if status := upload(write("good.svg", []byte(good))); status != http.StatusOK {
		t.Fatalf("a clean SVG: status %d", status)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[brandView](brandState))
	if err != nil || !v.Loaded || v.Logo == before {
		t.Errorf("after a clean SVG the logo is %q (loaded %v, %v)", v.Logo, v.Loaded, err)
	}
	resp, _ := f.Get(t, v.Logo)
	if ct, csp := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"); ct != "image/svg+xml" || !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("the SVG is served as %q with policy %q", ct, csp)
	}
}

package browser_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

// TestAccessibilityOfFormsInOtherLanguages checks a form in a language
// the interface lacks (Lithuanian: English chrome, Lithuanian content) and
// one in Tigrinya, whose Ethiopic script needs the shipped font.
func TestAccessibilityOfFormsInOtherLanguages(t *testing.T) {
	chromium, axe := browserTools(t)
	f := webtest.New(t)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	in := webtest.Instrument()
	in.Key = "langs"
	webtest.WithLanguage(in, "lt", func(nb string) string { return "LT " + nb })
	webtest.WithLanguage(in, "ti", func(nb string) string { return "ሰላም " + nb })
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	links, err := ss.InsertWave(ctx, &surveys.Wave{ID: "langs", Kind: surveys.WaveUnit, Name: "Språk", Year: 2026, Instrument: in.ID,
		Units: []string{"solbakken"}, Languages: []string{"nb", "lt", "ti"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	tab := b.tab(t)
	for _, lang := range []string{"lt", "ti"} {
		t.Run(lang, func(t *testing.T) {
			ctx := bounded(t, tab)
			status, err := load(ctx, b.base+"/s/"+links[0].ID+"?lang="+lang)
			if err != nil || status != http.StatusOK {
				t.Fatalf("status %d, %v", status, err)
			}
			b.checkAxe(t, ctx, phone, desktop)
			checkTouchTargets(t, ctx, phone, desktop)
			if lang != "ti" {
				return
			}
			// The Ethiopic face loads (from the device or from Stemme) for Tigrinya text.
			loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
				`document.fonts.load("16px 'Noto Sans Ethiopic'", "ሰላም").then(fs => fs.length > 0 && fs.every(f => f.status === "loaded"))`,
				chromedp.EvalAwaitPromise))
			if err != nil || !loaded {
				t.Errorf("Noto Sans Ethiopic did not load: %v", err)
			}
		})
	}
}

func TestEthiopicFontIsServed(t *testing.T) {
	f := webtest.New(t)
	resp, body := f.Get(t, "/static/fonts/noto-sans-ethiopic-400.woff2")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "font/woff2" || !strings.HasPrefix(body, "wOF2") {
		t.Fatalf("font: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, body := f.Get(t, "/static/fonts/OFL.txt"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "SIL OPEN FONT LICENSE Version 1.1") {
		t.Error("the font's licence is not served beside it")
	}
	_, css := f.Get(t, "/static/stemme.css")
	for _, want := range []string{`url("/static/fonts/noto-sans-ethiopic-400.woff2") format("woff2")`, "font-display: swap",
		"unicode-range: U+030E, U+1200-1399", `local("Noto Sans Ethiopic")`} {
		if !strings.Contains(css, want) {
			t.Errorf("stemme.css lacks %q", want)
		}
	}
}

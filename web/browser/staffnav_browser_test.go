package browser_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
)

// menuState reads the staff menu: its top-level entries as shown, and the
// links a reader can see now.
const menuState = `(() => {
  const nav = document.querySelector('nav.staffnav');
  const shown = e => e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
  return {
    top: [...nav.querySelectorAll(':scope > ul > li > a, :scope > ul > li > details > summary')].map(e => e.textContent.trim()),
    visible: [...nav.querySelectorAll('a')].filter(shown).map(a => a.getAttribute('href')),
  };
})()`

type menuView struct {
	Top     []string `json:"top"`
	Visible []string `json:"visible"`
}

// TestStaffMenuIsGroupedAndWorksOnAPhoneWithoutJavaScript: the staff menu
// shows a handful of groups by task, not seventeen links; on a phone with
// scripts off a group opens on a tap and shows its links inside the
// screen; each role sees only its groups; with scripts on, one group opens
// at a time and Escape closes it. axe finds nothing with a group open.
func TestStaffMenuIsGroupedAndWorksOnAPhoneWithoutJavaScript(t *testing.T) {
	chromium, axe := browserTools(t)
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	msg := messages(bundle, "nb")
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
	read := func(t *testing.T, ctx context.Context) menuView {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[menuView](menuState))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	groups := func(keys ...string) []string {
		out := []string{msg("admin.title")}
		for _, k := range keys {
			out = append(out, msg("staffnav.group."+k))
		}
		return out
	}

	t.Run("admin, phone, no JavaScript", func(t *testing.T) {
		admin := users["admin"]
		s := webtest.SignIn(t, f, &admin)
		ctx := bounded(t, b.tab(t))
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		b.setCookies(t, ctx, s.Cookie, "nb")
		if err := chromedp.Do(ctx, phone.emulate()); err != nil {
			t.Fatal(err)
		}
		if status, err := load(ctx, b.base+"/admin/waves"); err != nil || status != http.StatusOK {
			t.Fatalf("status %d, %v", status, err)
		}
		v := read(t, ctx)
		want := groups("surveys", "results", "actions", "council", "followup", "admin")
		if len(v.Top) != len(want)+1 || !slices.Equal(v.Top[:len(want)], want) {
			t.Errorf("menu shows %q, want %q and the account", v.Top, want)
		}
		if got := strings.Join(v.Visible, " "); got != "/admin" {
			t.Errorf("closed menu shows links %s, want only /admin", got)
		}
		if cur := evalString(t, ctx, `document.querySelector('nav.staffnav details.current summary')?.textContent ?? ''`); cur != msg("staffnav.group.surveys") {
			t.Errorf("the current page's group is %q, want %q", cur, msg("staffnav.group.surveys"))
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('nav.staffnav summary')].find(s => s.textContent.trim() === `+jsString(msg("staffnav.group.results"))+`)`))); err != nil {
			t.Fatal(err)
		}
		v = read(t, ctx)
		for _, href := range []string{"/admin/results", "/admin/review", "/admin/texts", "/admin/export"} {
			if !slices.Contains(v.Visible, href) {
				t.Errorf("the open results group does not show %s (shows %v)", href, v.Visible)
			}
		}
		checkNoHorizontalScroll360(t, ctx)
		// axe-core runs as a script: the page as it is, scripts on for it.
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
			t.Fatal(err)
		}
		b.checkAxe(t, ctx, phone, desktop)
		checkTouchTargets(t, ctx, phone)
		status, err := clickAndWait(ctx, `nav.staffnav a[href="/admin/results"]`)
		if err != nil || status != http.StatusOK {
			t.Fatalf("following the menu's results link: status %d, %v", status, err)
		}
	})

	t.Run("each role its groups", func(t *testing.T) {
		for role, keys := range map[string][]string{
			"council":     {"results", "council"},
			"follow_up":   {"followup"},
			"unit_leader": {"results", "actions"},
			"advisor":     {"surveys", "results", "actions", "council", "followup"},
		} {
			u := users[role]
			s := webtest.SignIn(t, f, &u)
			ctx := bounded(t, b.tab(t))
			b.setCookies(t, ctx, s.Cookie, "nb")
			if _, err := load(ctx, b.base+"/admin"); err != nil {
				t.Fatal(err)
			}
			v := read(t, ctx)
			if want := groups(keys...); !slices.Equal(v.Top[:len(v.Top)-1], want) {
				t.Errorf("%s sees %q, want %q", role, v.Top, want)
			}
		}
	})

	t.Run("with JavaScript one group at a time", func(t *testing.T) {
		admin := users["admin"]
		s := webtest.SignIn(t, f, &admin)
		ctx := bounded(t, b.tab(t))
		b.setCookies(t, ctx, s.Cookie, "en")
		if _, err := load(ctx, b.base+"/admin"); err != nil {
			t.Fatal(err)
		}
		open := `[...document.querySelectorAll('nav.staffnav details[open] summary')].map(s => s.textContent.trim()).join('|')`
		for _, sel := range []string{`nav.staffnav details:nth-of-type(1) summary`, `nav.staffnav li:nth-child(3) summary`} {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
				t.Fatal(err)
			}
		}
		if got := evalString(t, ctx, open); strings.Contains(got, "|") || got == "" {
			t.Errorf("open groups after opening two: %q, want only the second", got)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b")); err != nil {
			t.Fatal(err)
		}
		if got := evalString(t, ctx, open); got != "" {
			t.Errorf("Escape left %q open", got)
		}
	})
}

// checkNoHorizontalScroll360 checks sideways scrolling at the phone width.
func checkNoHorizontalScroll360(t *testing.T, ctx context.Context) {
	t.Helper()
	w := evalString(t, ctx, `String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`)
	if w != "0" {
		t.Errorf("the page scrolls sideways by %s px", w)
	}
}

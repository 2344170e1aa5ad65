package browser_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// narrow is the width WCAG 1.4.10 (reflow) asks pages to work at: 1280 CSS
// pixels at 400 % zoom, or a small phone. 200 % zoom on a laptop is wider.
var narrow = viewport{"320×640", 320, 640}

// staffLinks collects the links of the tab's page that lead to staff pages.
const staffLinks = `[...document.querySelectorAll('a[href]:not([download])')].map(a => a.getAttribute('href'))
  .filter(h => h.startsWith('/admin'))`

// notPages are staff GET routes that answer with a file, not a page.
var notPages = regexp.MustCompile(`\.(png|csv|xlsx)$|/xlsform$|^/admin/export\?.*format=`)

// routePattern turns a route (/admin/actions/:id) into a pattern for paths.
func routePattern(route string) *regexp.Regexp {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, ":"):
			parts[i] = "[^/]+"
		case p == "*":
			parts[i] = ".*"
		default:
			parts[i] = regexp.QuoteMeta(p)
		}
	}
	return regexp.MustCompile("^" + strings.Join(parts, "/") + "$")
}

// TestNoPageScrollsSidewaysAt320 loads every page at 320 CSS pixels and
// fails on sideways scrolling (scrollWidth > clientWidth): the public
// pages of the walk in every language, and every staff page an admin can
// reach by following links from /admin, in the staff languages, where it
// runs axe-core too. Staff
// pages are found by crawling the full demo municipality (feedback,
// actions, the council), at most two addresses per route; every staff
// route that shows a page must be reached.
func TestNoPageScrollsSidewaysAt320(t *testing.T) {
	chromium, axe := browserTools(t)
	_, langs, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("public", func(t *testing.T) {
		f := webtest.New(t)
		b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
		for _, l := range langs {
			t.Run(l.Code, func(t *testing.T) {
				t.Parallel()
				tab := b.tab(t)
				for _, pg := range publicPages {
					ctx := bounded(t, tab)
					if err := chromedp.Do(ctx, narrow.emulate()); err != nil {
						t.Fatal(err)
					}
					if _, err := pg.open(ctx, f, b.base, l.Code); err != nil {
						t.Fatalf("%s: %v", pg.name, err)
					}
					checkNoHorizontalScroll(t, ctx, pg.name)
				}
			})
		}
	})
	t.Run("staff", func(t *testing.T) {
		f := webtest.NewDemoWith(t, true)
		start := fillTheRest(t, f)
		users := webtest.StaffUsers(t, f)
		admin := users["admin"]
		s := webtest.SignIn(t, f, &admin)
		var routes []string
		for _, r := range f.App.GetRoutes(true) {
			if r.Method == "GET" && strings.HasPrefix(r.Path, "/admin") && !notPages.MatchString(r.Path) && !slices.Contains(routes, r.Path) {
				routes = append(routes, r.Path)
			}
		}
		patterns := map[string]*regexp.Regexp{}
		for _, r := range routes {
			patterns[r] = routePattern(r)
		}
		routeOf := func(path string) string {
			// The most specific route: /admin/actions/new before /admin/actions/:id.
			best := ""
			for r, re := range patterns {
				if re.MatchString(path) && (best == "" || strings.Count(r, ":") < strings.Count(best, ":")) {
					best = r
				}
			}
			return best
		}
		b := newBrowser(t, webtest.Listen(t, f), chromium, axe)
		for _, lang := range []string{"nb", "nn", "en"} {
			t.Run(lang, func(t *testing.T) {
				t.Parallel()
				tab := b.tab(t)
				queue, seen, perRoute := []string{"/admin"}, map[string]bool{"/admin": true}, map[string]int{}
				for _, u := range start {
					queue, seen[u] = append(queue, u), true
					perRoute[routeOf(u)]++
				}
				for len(queue) > 0 {
					u := queue[0]
					queue = queue[1:]
					ctx := bounded(t, tab)
					b.setCookies(t, ctx, s.Cookie, lang)
					if err := chromedp.Do(ctx, narrow.emulate()); err != nil {
						t.Fatal(err)
					}
					if _, err := load(ctx, b.base+u); err != nil {
						t.Fatalf("%s: %v", u, err)
					}
					checkNoHorizontalScroll(t, ctx, u)
					// axe-core on every page the walk reaches, in every staff
					// language: the area tests cover the error states links
					// do not lead to; this makes sure no page is left out.
					b.checkAxe(t, ctx, narrow)
					hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](staffLinks))
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range hrefs {
						h, _, _ = strings.Cut(h, "#")
						pu, err := url.Parse(h)
						if err != nil || seen[h] || notPages.MatchString(h) || pu.Query().Has("lang") {
							continue
						}
						r := routeOf(pu.Path)
						if r == "" || perRoute[r] >= 2 {
							continue
						}
						seen[h] = true
						perRoute[r]++
						queue = append(queue, h)
					}
				}
				var missed []string
				for _, r := range routes {
					if perRoute[r] == 0 && r != "/admin" && !unreachedOnPurpose[r] {
						missed = append(missed, r)
					}
				}
				sort.Strings(missed)
				if len(missed) > 0 {
					t.Errorf("no link from /admin reaches %d staff page(s), so they were not measured: %v", len(missed), missed)
				}
				t.Logf("%d staff pages measured at 320 px and checked by axe-core", len(seen))
			})
		}
	})
}

// unreachedOnPurpose are staff pages no link leads to.
var unreachedOnPurpose = map[string]bool{
	// A PDF download, not a page (its layout is A4, tested in the report's own tests).
	"/admin/report/pdf": true,
	// Offered only after signing in again with a form kept from an ended session
	// (TestSessionWarningInARealBrowser goes there).
	"/admin/unsent": true,
}

// fillTheRest adds to the demo what it lacks for a walk through every staff
// page: a draft questionnaire, an entry in the follow-up register, an arena
// date with a sign-up. It returns the pages no link leads to (a text to
// review is opened from the queue's form), to start the walk with too.
func fillTheRest(t *testing.T, f *webtest.Fixture) []string {
	t.Helper()
	ctx := context.Background()
	d, err := surveys.NewStore(f.Store.DB).NewDraftFrom(ctx, "parorende@1")
	if err != nil {
		t.Fatal(err)
	}
	fb := webtest.FeedbackStore(t, f)
	if _, errs, err := fb.Enrol(ctx, "solbakken", feedback.FollowUpHalfYear, "2026-09-01",
		feedback.RegisterContact{Name: "Kari Nordmann", Phone: "912 34 567", Lang: "nb", About: "datter til beboer"},
		true, "admin@kommune.no", webtest.FixedNow); err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	as, err := arenas.NewStore(f.Store.DB, webtest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	e := &arenas.Event{Kind: arenas.KindSchool, Title: "Pårørendeskole: demens", Date: "2026-12-02", Time: "18:00",
		Place: "Biblioteket", SignUp: true}
	if err := as.AddEvent(ctx, e, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	if err := as.SignUp(ctx, e.ID, "sid-reflow", arenas.Person{Name: "Ola Nordmann", Phone: "912 34 568"}, webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	q, err := analysis.NewReviewer(f.Store.DB, fb).Queue(ctx, analysis.QueueFilter{})
	if err != nil || len(q.Items) == 0 {
		t.Fatalf("no text to review: %v", err)
	}
	return []string{"/admin/review/" + q.Items[0].Source + "/" + q.Items[0].ID, "/admin/instruments/" + d.ID + "/edit"}
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
)

// visitor is one relative's browser over app.Test: it keeps the cookies it
// is given, sends them where a browser would (by path), and follows
// redirects with a GET, as a browser does after a post.
type visitor struct {
	f       *webtest.Fixture
	cookies []*http.Cookie
	// first is the response to the request itself, before any redirect;
	// hops lists the addresses redirected to.
	first *http.Response
	hops  []string
}

func newVisitor(f *webtest.Fixture) *visitor { return &visitor{f: f} }

func (v *visitor) Get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	return v.Do(t, webtest.GetRequest(path, header...))
}

func (v *visitor) Post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return v.Do(t, webtest.PostRequest(path, form))
}

// pageShows checks that a page holds every text of want and none of avoid.
func pageShows(t *testing.T, body string, want, avoid []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, a := range avoid {
		if strings.Contains(body, a) {
			t.Errorf("page shows %q", a)
		}
	}
}

// do sends the request and follows up to five redirects.
func (v *visitor) Do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	v.first, v.hops = nil, nil
	for range 6 {
		v.attach(req)
		resp, body := v.f.Do(t, req)
		v.keep(resp)
		if v.first == nil {
			v.first = resp
		}
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode >= 400 || loc == "" {
			return resp, body
		}
		v.hops = append(v.hops, loc)
		req, _ = http.NewRequest(http.MethodGet, loc, nil)
	}
	t.Fatalf("too many redirects: %v", v.hops)
	return nil, ""
}

// attach adds the cookies whose path covers the request's.
func (v *visitor) attach(req *http.Request) {
	for _, c := range v.cookies {
		if c.Path == "" || c.Path == "/" || req.URL.Path == c.Path || strings.HasPrefix(req.URL.Path, strings.TrimSuffix(c.Path, "/")+"/") {
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
}

// keep stores the cookies a response sets, replacing or deleting earlier ones.
func (v *visitor) keep(resp *http.Response) {
	for _, c := range resp.Cookies() {
		kept := v.cookies[:0]
		for _, old := range v.cookies {
			if old.Name != c.Name || old.Path != c.Path {
				kept = append(kept, old)
			}
		}
		v.cookies = kept
		if c.MaxAge >= 0 && c.Value != "" {
			v.cookies = append(v.cookies, c)
		}
	}
}

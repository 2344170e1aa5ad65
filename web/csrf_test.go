package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
)

// TestCSRFTokenComesFromTheBodyOrTheHeaderOnly: a token in the query string
// would end up in logs and histories, so it counts for nothing; the same
// token in the form body, a multipart body or the X-CSRF-Token header works.
func TestCSRFTokenComesFromTheBodyOrTheHeaderOnly(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	admin := users["admin"]
	st := staff.NewStore(f.Store.DB)
	n := 0
	for _, tt := range []struct {
		name string
		req  func(s webtest.Session, form url.Values) *http.Request
		want int
	}{
		{"token in the query string", func(s webtest.Session, form url.Values) *http.Request {
			r, _ := http.NewRequest(http.MethodPost, "/admin/users?_csrf="+url.QueryEscape(s.CSRF), strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, http.StatusForbidden},
		{"token in the form body", func(s webtest.Session, form url.Values) *http.Request {
			form.Set("_csrf", s.CSRF)
			r, _ := http.NewRequest(http.MethodPost, "/admin/users", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, http.StatusOK},
		{"token in the header", func(s webtest.Session, form url.Values) *http.Request {
			r, _ := http.NewRequest(http.MethodPost, "/admin/users", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("X-CSRF-Token", s.CSRF)
			return r
		}, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := webtest.SignIn(t, f, &admin)
			n++
			form := url.Values{"email": {"ny" + string(rune('a'+n)) + "@kommune.no"}, "name": {"Ny"}, "role": {"advisor"}}
			before, _ := st.CountUsers(context.Background())
			req := tt.req(s, form)
			req.Header.Set("Cookie", s.Cookie)
			resp, _ := f.Do(t, req)
			after, _ := st.CountUsers(context.Background())
			if resp.StatusCode != tt.want || (after > before) != (tt.want == http.StatusOK) {
				t.Fatalf("status %d, users %d → %d; want %d", resp.StatusCode, before, after, tt.want)
			}
		})
	}
	// A multipart form (as the action plan upload sends) carries it in its body.
	s := webtest.SignIn(t, f, &admin)
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.WriteField("_csrf", s.CSRF)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, "/logout", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Cookie", s.Cookie)
	if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("multipart logout: status %d", resp.StatusCode)
	}
}

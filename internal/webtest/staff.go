package webtest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/staff"
)

// StaffUsers creates one user per role and returns them by role name;
// unit-bound roles hold the fixture's unit "solbakken".
func StaffUsers(t testing.TB, f *Fixture) map[string]staff.User {
	t.Helper()
	st := staff.NewStore(f.Store.DB)
	users := map[string]staff.User{}
	for _, r := range staff.AllRoles {
		g := staff.Grant{Role: r}
		if r.UnitBound() {
			g.Units = []string{"solbakken"}
		}
		u, err := st.CreateUser(context.Background(), staff.User{Email: string(r) + "@kommune.no", Name: string(r),
			Grants: []staff.Grant{g}}, "korrekt hest batteri stift")
		if err != nil {
			t.Fatal(err)
		}
		users[string(r)] = u
	}
	return users
}

// Session is a browser's cookies for one role.
type Session struct {
	Cookie string // Cookie header
	CSRF   string // the token its staff forms carry
	// AnonCSRF is the token of the public forms (login, password link),
	// which are not tied to a session.
	AnonCSRF string
}

// CSRFField reads the CSRF token a page's forms carry.
var CSRFField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// SignIn starts a session for the user (none for anonymous) and fetches a
// page to learn its CSRF token.
func SignIn(t testing.TB, f *Fixture, u *staff.User) Session {
	t.Helper()
	return SignInAt(t, f, u, FixedNow)
}

// SignInAt is SignIn with a session started at a given time.
func SignInAt(t testing.TB, f *Fixture, u *staff.User, at time.Time) Session {
	t.Helper()
	s := Session{Cookie: "stemme_csrf=seed-" + strings.Repeat("x", 20)}
	_, body := f.Get(t, "/login", "Cookie", s.Cookie)
	m := CSRFField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on /login")
	}
	s.AnonCSRF = m[1]
	page := "/login"
	if u != nil {
		token, err := staff.NewStore(f.Store.DB).StartSession(context.Background(), u.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		s.Cookie += "; stemme_session=" + token
		page = "/admin"
	}
	_, body = f.Get(t, page, "Cookie", s.Cookie)
	m = CSRFField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	s.CSRF = m[1]
	return s
}

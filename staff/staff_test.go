package staff_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newUser(t *testing.T, st *staff.Store, email string, grants ...staff.Grant) staff.User {
	t.Helper()
	if len(grants) == 0 {
		grants = []staff.Grant{{Role: staff.RoleAdvisor}}
	}
	u, err := st.CreateUser(context.Background(), staff.User{Email: email, Name: "Test", Grants: grants}, "korrekt hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := staff.HashPassword("korrekt hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with the expected parameters", h)
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{{"korrekt hest batteri stift", true}, {"korrekt hest batteri stifT", false}, {"", false}} {
		ok, err := staff.CheckPassword(h, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	if _, err := staff.CheckPassword("$argon2id$v=19$m=0,t=0,p=0$$", "x"); err == nil {
		t.Error("a malformed hash was accepted")
	}
}

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw, email, want string
	}{
		{"kort", "a@b.no", "password.error.too_short"},
		{"elevenchars", "a@b.no", "password.error.too_short"},
		{"Passord2024!!", "a@b.no", "password.error.common"},
		{"sommersommer2025", "a@b.no", "password.error.common"},
		{"123456789012", "a@b.no", "password.error.common"},
		{"aaaaaaaaaaaaaaaa", "a@b.no", "password.error.repetitive"},
		{"kari.nordmann-er-her", "kari.nordmann@kommune.no", "password.error.contains_email"},
		{strings.Repeat("x1y2z3", 50), "a@b.no", "password.error.too_long"},
		{"korrekt hest batteri stift", "a@b.no", ""},
		{"Blåbærsyltetøy på vaffel", "kari@kommune.no", ""},
	}
	for _, tt := range tests {
		err := staff.CheckPolicy(tt.pw, tt.email)
		var pe *staff.PolicyError
		got := ""
		if errors.As(err, &pe) {
			got = pe.Message
		}
		if got != tt.want {
			t.Errorf("CheckPolicy(%q) = %q, want %q", tt.pw, got, tt.want)
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	ctx := context.Background()
	st := staff.NewStore(storetest.DB(t))
	u := newUser(t, st, "leder@kommune.no")
	life := staff.Lifetimes{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

	token, err := st.StartSession(ctx, u.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Used every 20 minutes, the session lives until the absolute limit.
	now := t0
	for now.Before(t0.Add(11*time.Hour + 50*time.Minute)) {
		now = now.Add(20 * time.Minute)
		if _, got, err := st.Session(ctx, token, now, life); err != nil || got.ID != u.ID {
			t.Fatalf("at %v: %v", now.Sub(t0), err)
		}
	}
	if _, _, err := st.Session(ctx, token, t0.Add(12*time.Hour+time.Minute), life); !errors.Is(err, staff.ErrNoSession) {
		t.Fatalf("after the absolute limit: %v, want ErrNoSession", err)
	}

	idle, _ := st.StartSession(ctx, u.ID, t0)
	if _, _, err := st.Session(ctx, idle, t0.Add(29*time.Minute), life); err != nil {
		t.Fatalf("within the idle limit: %v", err)
	}
	if _, _, err := st.Session(ctx, idle, t0.Add(29*time.Minute+31*time.Minute), life); !errors.Is(err, staff.ErrNoSession) {
		t.Fatalf("31 minutes idle: %v, want ErrNoSession", err)
	}
	if _, _, err := st.Session(ctx, "not-a-token", t0, life); !errors.Is(err, staff.ErrNoSession) {
		t.Fatalf("unknown token: %v", err)
	}
}

func TestLogoutEverywhereAndDeactivation(t *testing.T) {
	ctx := context.Background()
	st := staff.NewStore(storetest.DB(t))
	u := newUser(t, st, "raad@kommune.no", staff.Grant{Role: staff.RoleCouncil})
	a, _ := st.StartSession(ctx, u.ID, t0)
	b, _ := st.StartSession(ctx, u.ID, t0)
	if err := st.EndSession(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Session(ctx, a, t0, staff.DefaultLifetimes); err == nil {
		t.Fatal("ended session still works")
	}
	if _, _, err := st.Session(ctx, b, t0, staff.DefaultLifetimes); err != nil {
		t.Fatalf("other session ended too: %v", err)
	}
	if err := st.EndAllSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Session(ctx, b, t0, staff.DefaultLifetimes); err == nil {
		t.Fatal("session survived log out everywhere")
	}
	c, _ := st.StartSession(ctx, u.ID, t0)
	if err := st.UpdateUser(ctx, u.ID, u.Name, u.Grants, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Session(ctx, c, t0, staff.DefaultLifetimes); err == nil {
		t.Fatal("a deactivated user's session still works")
	}
	if _, err := st.Authenticate(ctx, attempt(u.Email, "korrekt hest batteri stift", "s:test", t0)); err == nil {
		t.Fatal("a deactivated user can log in")
	}
}

func TestPasswordLinkWorksOnce(t *testing.T) {
	ctx := context.Background()
	st := staff.NewStore(storetest.DB(t))
	u, err := st.CreateUser(ctx, staff.User{Email: "ny@kommune.no", Name: "Ny", Grants: []staff.Grant{
		{Role: staff.RoleFollowUp, Units: []string{"solbakken"}}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	token, err := st.IssuePasswordLink(ctx, u.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UsePasswordLink(ctx, token, "kort", t0); err == nil {
		t.Fatal("policy not applied")
	}
	if _, err := st.UsePasswordLink(ctx, token, "en lang og god setning", t0.Add(staff.LinkLifetime+time.Minute)); err == nil {
		t.Fatal("expired link worked")
	}
	if _, err := st.UsePasswordLink(ctx, token, "en lang og god setning", t0.Add(time.Hour)); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if _, err := st.UsePasswordLink(ctx, token, "en annen lang setning", t0.Add(time.Hour)); err == nil {
		t.Fatal("link worked twice")
	}
	if _, err := st.Authenticate(ctx, attempt(u.Email, "en lang og god setning", "s:test", t0.Add(time.Hour))); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
}

func TestGrantsAreValidated(t *testing.T) {
	tests := []struct {
		name   string
		grants []staff.Grant
		ok     bool
	}{
		{"none", nil, false},
		{"unit leader without unit", []staff.Grant{{Role: staff.RoleUnitLeader}}, false},
		{"advisor with units", []staff.Grant{{Role: staff.RoleAdvisor, Units: []string{"x"}}}, false},
		{"unknown role", []staff.Grant{{Role: "king"}}, false},
		{"several roles", []staff.Grant{{Role: staff.RoleCouncil}, {Role: staff.RoleFollowUp, Units: []string{"a", "b"}}}, true},
	}
	for _, tt := range tests {
		if err := staff.ValidateGrants(tt.grants); (err == nil) != tt.ok {
			t.Errorf("%s: err %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	u := staff.User{Grants: []staff.Grant{{Role: staff.RoleFollowUp, Units: []string{"a"}}}}
	if !u.CanSeeUnit("a") || u.CanSeeUnit("b") {
		t.Error("follow-up staff must see their own unit only")
	}
}

// TestShortIdleLimitIsExact: with a 1-minute idle limit a session used every
// 50 seconds lives on, one left alone for 61 seconds ends, and a busy one
// does not write on every request.
func TestShortIdleLimitIsExact(t *testing.T) {
	ctx := context.Background()
	db, updates := watchedDB(t, "sessions")
	st := staff.NewStore(db)
	u := newUser(t, st, "travel@kommune.no")
	life := staff.Lifetimes{Idle: time.Minute, Absolute: 12 * time.Hour}
	for _, gap := range []time.Duration{5 * time.Second, 25 * time.Second, 50 * time.Second, 59 * time.Second} {
		token, err := st.StartSession(ctx, u.ID, t0)
		if err != nil {
			t.Fatal(err)
		}
		before, requests := updates(), 0
		now := t0
		for now.Before(t0.Add(5 * time.Minute)) {
			now = now.Add(gap)
			requests++
			if _, _, err := st.Session(ctx, token, now, life); err != nil {
				t.Fatalf("used every %v: ended after %v", gap, now.Sub(t0))
			}
		}
		writes := updates() - before
		t.Logf("used every %v: %d writes for %d requests", gap, writes, requests)
		if gap < 6*time.Second && writes > int64(requests)/2 {
			t.Errorf("used every %v: %d writes for %d requests", gap, writes, requests)
		}
		if _, _, err := st.Session(ctx, token, now.Add(61*time.Second), life); !errors.Is(err, staff.ErrNoSession) {
			t.Errorf("used every %v, then idle 61 s: %v, want ErrNoSession", gap, err)
		}
	}
}

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

func TestTokenLifecycle(t *testing.T) {
	ctx := context.Background()
	st := staff.NewStore(storetest.DB(t))
	u := newUser(t, st, "leder@kommune.no", staff.Grant{Role: staff.RoleUnitLeader, Units: []string{"solbakken"}})
	other := newUser(t, st, "annen@kommune.no")

	token, created, err := st.CreateToken(ctx, u.ID, "  Power BI  ", time.Time{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, staff.TokenPrefix) || len(token) < 40 || created.Name != "Power BI" {
		t.Fatalf("token %q named %q", token, created.Name)
	}
	if created.ID == token || strings.Contains(created.ID, token[len(staff.TokenPrefix):]) {
		t.Fatal("the token itself is stored")
	}
	// It works, carries the user's grants and records the minute of use.
	got, who, err := st.TokenUser(ctx, token, t0.Add(3*time.Hour+42*time.Second))
	if err != nil || who.ID != u.ID || !who.CanSeeUnit("solbakken") || who.CanSeeUnit("elsewhere") {
		t.Fatalf("token user %v, %v", who.Email, err)
	}
	if want := t0.Add(3 * time.Hour); !got.LastUsed.Equal(want) {
		t.Errorf("last used %v, want %v", got.LastUsed, want)
	}
	list, _ := st.Tokens(ctx, u.ID)
	if len(list) != 1 || !list[0].LastUsed.Equal(t0.Add(3*time.Hour)) {
		t.Fatalf("tokens %+v", list)
	}
	// Another user cannot revoke it; its owner can, and then it is refused.
	if _, err := st.RevokeToken(ctx, other.ID, created.Ref); !errors.Is(err, staff.ErrNoToken) {
		t.Fatalf("revoked by another user: %v", err)
	}
	if _, err := st.RevokeToken(ctx, u.ID, created.Ref); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.TokenUser(ctx, token, t0); !errors.Is(err, staff.ErrNoToken) {
		t.Fatalf("revoked token: %v", err)
	}

	// Expiry, deactivation and malformed tokens.
	expiring, _, err := st.CreateToken(ctx, u.ID, "kort", t0.Add(24*time.Hour), t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		token string
		at    time.Time
		ok    bool
	}{
		{"before expiry", expiring, t0.Add(23 * time.Hour), true},
		{"at expiry", expiring, t0.Add(24 * time.Hour), false},
		{"no prefix", strings.TrimPrefix(expiring, staff.TokenPrefix), t0, false},
		{"altered", expiring[:len(expiring)-2] + "AA", t0, false},
		{"not base64", staff.TokenPrefix + "!!!", t0, false},
		{"empty", "", t0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := st.TokenUser(ctx, tt.token, tt.at)
			if (err == nil) != tt.ok {
				t.Fatalf("error %v, want ok=%v", err, tt.ok)
			}
		})
	}
	if err := st.UpdateUser(ctx, u.ID, u.Name, u.Grants, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.TokenUser(ctx, expiring, t0); !errors.Is(err, staff.ErrNoToken) {
		t.Fatalf("token of a deactivated user: %v", err)
	}
}

func TestCreateTokenRefusals(t *testing.T) {
	ctx := context.Background()
	st := staff.NewStore(storetest.DB(t))
	u := newUser(t, st, "radgiver@kommune.no")
	for _, tt := range []struct {
		name    string
		tname   string
		expires time.Time
		want    error
	}{
		{"empty name", "  ", time.Time{}, staff.ErrTokenName},
		{"long name", strings.Repeat("x", staff.MaxTokenName+1), time.Time{}, staff.ErrTokenName},
		{"expiry in the past", "x", t0.Add(-time.Hour), staff.ErrTokenExpiry},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := st.CreateToken(ctx, u.ID, tt.tname, tt.expires, t0); !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
	for range staff.MaxTokensPerUser {
		if _, _, err := st.CreateToken(ctx, u.ID, "x", time.Time{}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := st.CreateToken(ctx, u.ID, "x", time.Time{}, t0); !errors.Is(err, staff.ErrTooManyTokens) {
		t.Fatalf("token %d: %v", staff.MaxTokensPerUser+1, err)
	}
}

// TestTokenUseIsWrittenAtMostOnceAMinute counts the writes that reach the
// store, through a second client that watches the commands it sends.
func TestTokenUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	ctx := context.Background()
	db, updates := watchedDB(t, "api_tokens")
	st := staff.NewStore(db)
	u := newUser(t, st, "bruker@kommune.no")
	token, _, err := st.CreateToken(ctx, u.ID, "Power BI", time.Time{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	// A dashboard refreshing every 5 seconds for 3 minutes: 36 requests.
	for i := range 36 {
		if _, _, err := st.TokenUser(ctx, token, t0.Add(time.Duration(i)*5*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if n := updates(); n != 3 {
		t.Fatalf("%d writes for 36 uses over 3 minutes, want 3 (one a minute)", n)
	}
	list, _ := st.Tokens(ctx, u.ID)
	if want := t0.Add(2 * time.Minute); !list[0].LastUsed.Equal(want) {
		t.Fatalf("last used %v, want %v", list[0].LastUsed, want)
	}
}

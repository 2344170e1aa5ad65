package staff_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store/storetest"
)

// TestRandomFormats pins the shape of the random strings staff hands out:
// recovery codes are printed and typed back, token refs and ids are stored,
// so a new generator must keep drawing exactly these.
func TestRandomFormats(t *testing.T) {
	ctx := context.Background()
	st, _ := staff.NewStore(storetest.DB(t)).WithSecret(testSecret)
	u := newUser(t, st, "radgiver@kommune.no")
	_, recovery := enrol(t, st, u.ID, t0)
	var tokens, refs []string
	for i := range 3 {
		token, created, err := st.CreateToken(ctx, u.ID, "BI", time.Time{}, t0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		tokens, refs = append(tokens, token), append(refs, created.Ref)
	}
	var passwords, sessions []string
	for range 20 {
		passwords, sessions = append(passwords, staff.GeneratePassword()), append(sessions, staff.NewToken())
	}
	cases := []struct {
		name   string
		values []string
		shape  string
	}{
		{"recovery code (75 bits, Crockford base 32)", recovery, `^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$`},
		{"API token (256 bits)", tokens, `^` + regexp.QuoteMeta(staff.TokenPrefix) + `[A-Za-z0-9_-]{43}$`},
		{"API token ref (64 bits)", refs, `^[0-9a-f]{16}$`},
		{"user id", []string{u.ID}, `^[0-9a-f]{24}$`},
		{"generated password (116 bits)", passwords, `^[a-kmnp-zA-HJ-NP-Z2-9]{20}$`},
		{"session token (256 bits)", sessions, `^[A-Za-z0-9_-]{43}$`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shape := regexp.MustCompile(c.shape)
			seen := map[string]bool{}
			for _, v := range c.values {
				if !shape.MatchString(v) {
					t.Fatalf("%q does not match %s", v, c.shape)
				}
				if seen[v] {
					t.Fatalf("%q drawn twice", v)
				}
				seen[v] = true
			}
		})
	}
}

package staff_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store/storetest"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// enrol sets up a second factor for the user and returns its base-32
// secret, as an authenticator app would read it from the QR code.
func enrol(t *testing.T, st *staff.Store, id string, now time.Time) (secret string, recovery []string) {
	t.Helper()
	ctx := context.Background()
	if err := st.BeginTOTP(ctx, id); err != nil {
		t.Fatal(err)
	}
	u, _ := st.User(ctx, id)
	key, err := st.PendingTOTP(u)
	if err != nil {
		t.Fatal(err)
	}
	if key.Issuer() != "Stemme" || key.AccountName() != u.Email {
		t.Fatalf("key %s", key.URL())
	}
	code, _ := totp.GenerateCode(key.Secret(), now)
	recovery, err = st.EnableTOTP(ctx, id, code, now)
	if err != nil {
		t.Fatal(err)
	}
	return key.Secret(), recovery
}

func TestSecondFactorCodesWorkOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	st, _ := staff.NewStore(db).WithSecret(testSecret)
	u := newUser(t, st, "admin@kommune.no", staff.Grant{Role: staff.RoleAdmin})
	if _, err := st.EnableTOTP(ctx, u.ID, "123456", t0); !errors.Is(err, staff.ErrTOTPPending) {
		t.Fatalf("enable without setup: %v", err)
	}
	secret, recovery := enrol(t, st, u.ID, t0)
	if len(recovery) != 10 {
		t.Fatalf("%d recovery codes", len(recovery))
	}

	// Neither the secret nor a recovery code is in the store in the clear.
	var raw bson.M
	_ = db.Collection("users").FindOne(ctx, bson.D{{Key: "_id", Value: u.ID}}).Decode(&raw)
	dump := strings.ToLower(bson.Raw(must(bson.Marshal(raw))).String())
	for _, s := range append([]string{secret}, recovery...) {
		if strings.Contains(dump, strings.ToLower(s)) {
			t.Fatalf("the store holds %q in the clear", s)
		}
	}

	code := func(at time.Time) string { c, _ := totp.GenerateCode(secret, at); return c }
	next := t0.Add(30 * time.Second)
	for _, tt := range []struct {
		name string
		code string
		at   time.Time
		want error
	}{
		{"the code that enabled it, again", code(t0), t0, staff.ErrTOTPReplay},
		{"a wrong code", "000000", next, staff.ErrTOTPCode},
		{"letters", "abcdef", next, staff.ErrTOTPCode},
		{"the next code", code(next), next, nil},
		{"the next code twice", code(next), next, staff.ErrTOTPReplay},
		{"an older code still within the skew", code(t0), next, staff.ErrTOTPReplay},
		{"a code from five minutes ago", code(next), next.Add(5 * time.Minute), staff.ErrTOTPCode},
		{"the following code, typed 20 s late", code(next.Add(30 * time.Second)), next.Add(50 * time.Second), nil},
	} {
		if _, err := st.VerifySecondFactor(ctx, u.ID, tt.code, tt.at); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}

	// A recovery code works once, however it is typed.
	typed := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", " "))
	if m, err := st.VerifySecondFactor(ctx, u.ID, typed, next); err != nil || m != staff.MethodRecovery {
		t.Fatalf("recovery code: %q, %v", m, err)
	}
	if _, err := st.VerifySecondFactor(ctx, u.ID, recovery[3], next); !errors.Is(err, staff.ErrTOTPCode) {
		t.Fatalf("recovery code twice: %v", err)
	}
	if got, _ := st.User(ctx, u.ID); len(got.TOTP.Recovery) != 9 {
		t.Fatalf("%d recovery codes left, want 9", len(got.TOTP.Recovery))
	}

	// Another secret cannot open the stored one.
	other, _ := staff.NewStore(db).WithSecret([]byte("another secret of at least 32 bytes!"))
	if _, err := other.VerifySecondFactor(ctx, u.ID, code(next.Add(2*time.Minute)), next.Add(2*time.Minute)); err == nil ||
		errors.Is(err, staff.ErrTOTPCode) {
		t.Fatalf("a store with another secret: %v, want a decryption error", err)
	}

	// New recovery codes replace the old; disabling removes everything.
	fresh, err := st.RenewRecoveryCodes(ctx, u.ID)
	if err != nil || len(fresh) != 10 {
		t.Fatal(err)
	}
	if _, err := st.VerifySecondFactor(ctx, u.ID, recovery[0], next); !errors.Is(err, staff.ErrTOTPCode) {
		t.Fatalf("an old recovery code after renewal: %v", err)
	}
	if err := st.DisableTOTP(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.User(ctx, u.ID); got.HasTOTP() {
		t.Fatal("second factor still there")
	}
}

func TestChallengeAllowsFewCodesAndLocksAfterMany(t *testing.T) {
	ctx := context.Background()
	st, _ := staff.NewStore(storetest.DB(t)).WithSecret(testSecret)
	p := fastPolicy
	p.SourceLockAfter = 2 * staff.MaxChallengeAttempts
	st = st.WithLoginPolicy(p)
	u := newUser(t, st, "radgiver@kommune.no")
	secret, _ := enrol(t, st, u.ID, t0)
	now := t0.Add(time.Minute)

	token, err := st.StartChallenge(ctx, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < staff.MaxChallengeAttempts; i++ {
		if _, _, err := st.AnswerChallenge(ctx, token, "000000", now); !errors.Is(err, staff.ErrTOTPCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	// The last allowed wrong code ends the challenge; then even a right one is too late.
	if _, _, err := st.AnswerChallenge(ctx, token, "000000", now); !errors.Is(err, staff.ErrChallengeSpent) {
		t.Fatalf("wrong code %d: %v", staff.MaxChallengeAttempts, err)
	}
	right, _ := totp.GenerateCode(secret, now)
	if _, _, err := st.AnswerChallenge(ctx, token, right, now); !errors.Is(err, staff.ErrChallengeSpent) {
		t.Fatalf("right code after the last wrong one: %v", err)
	}

	// A new challenge (the password again) and the right code: in.
	token, _ = st.StartChallenge(ctx, u.ID, now)
	if got, m, err := st.AnswerChallenge(ctx, token, right, now); err != nil || got.ID != u.ID || m != staff.MethodTOTP {
		t.Fatalf("right code: %v, %q, %v", got.Email, m, err)
	}
	// An expired challenge is refused.
	token, _ = st.StartChallenge(ctx, u.ID, now)
	if _, _, err := st.AnswerChallenge(ctx, token, right, now.Add(staff.ChallengeLifetime+time.Second)); !errors.Is(err, staff.ErrChallengeSpent) {
		t.Fatalf("expired challenge: %v", err)
	}

	// Every SourceLockAfter wrong codes, over any number of challenges,
	// close the second step for a while.
	var locked *staff.SecondFactorLockedError
	for i := 1; i <= p.SourceLockAfter && locked == nil; i++ {
		token, _ = st.StartChallenge(ctx, u.ID, now)
		_, _, err = st.AnswerChallenge(ctx, token, "111111", now)
		errors.As(err, &locked)
	}
	if locked == nil || !locked.Until.After(now) {
		t.Fatalf("no lock after many wrong codes: %v", err)
	}
	token, _ = st.StartChallenge(ctx, u.ID, now)
	code, _ := totp.GenerateCode(secret, now.Add(time.Minute))
	if _, _, err := st.AnswerChallenge(ctx, token, code, now.Add(time.Minute)); !errors.As(err, &locked) {
		t.Fatalf("right code while locked: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

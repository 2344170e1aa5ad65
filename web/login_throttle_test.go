package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/web"
)

// behindProxy rebuilds the fixture's app behind a trusted reverse proxy
// (app.Test's peer address), so each request names its client in
// X-Forwarded-For, as in production behind nginx.
func behindProxy(t *testing.T, f *webtest.Fixture, policy staff.LoginPolicy) {
	t.Helper()
	app, err := web.New(web.Config{Store: f.Store, Logger: f.Logger(), BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }, Tallier: f.Tallier, Login: policy,
		TrustedProxies: []string{"0.0.0.0"}})
	if err != nil {
		t.Fatal(err)
	}
	f.App = app
}

// loginFrom posts the login form from a client address and returns the
// status, body and how long the answer took.
func loginFrom(t *testing.T, f *webtest.Fixture, s webtest.Session, client, email, password string) (*http.Response, string, time.Duration) {
	t.Helper()
	v := url.Values{"_csrf": {s.AnonCSRF}, "email": {email}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, "/login?lang=en", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", s.Cookie)
	// The client wrote the left entry itself; the proxy appended the right one.
	req.Header.Set("X-Forwarded-For", "10.9.9.9, "+client)
	start := time.Now()
	resp, body := f.Do(t, req)
	return resp, body, time.Since(start)
}

// TestTheAdminGetsInWhileAStrangerIsLockedOut: ten wrong passwords from one
// network lock that network (429, Retry-After, audited by a hash), while
// the admin signs in from another network with the right password.
func TestTheAdminGetsInWhileAStrangerIsLockedOut(t *testing.T) {
	f := webtest.New(t)
	behindProxy(t, f, webtest.LoginPolicy)
	webtest.StaffUsers(t, f)
	s := webtest.SignIn(t, f, nil)
	const attacker, office = "203.0.113.66", "198.51.100.7"
	for i := 1; i <= webtest.LoginPolicy.SourceLockAfter; i++ {
		resp, body, _ := loginFrom(t, f, s, attacker, "admin@kommune.no", "gjetning nummer mange")
		if i < webtest.LoginPolicy.SourceLockAfter && resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d", i, resp.StatusCode)
		}
		if i == webtest.LoginPolicy.SourceLockAfter && (resp.StatusCode != http.StatusTooManyRequests ||
			!strings.Contains(body, "Too many failed sign-ins from your network. Try again in 15 minutes") || resp.Header.Get("Retry-After") != "901") {
			t.Fatalf("guess %d: status %d, Retry-After %q, want 429 saying the network is locked for 15 minutes",
				i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if resp, _, _ := loginFrom(t, f, s, office, "admin@kommune.no", "korrekt hest batteri stift"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("after guess %d the admin was refused: status %d", i, resp.StatusCode)
		}
	}
	// The rate limit aside (a fresh app on the same store), the locked
	// network is refused even with the right password; the office is not.
	behindProxy(t, f, webtest.LoginPolicy)
	if resp, body, _ := loginFrom(t, f, s, attacker, "admin@kommune.no", "korrekt hest batteri stift"); resp.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(body, "from your network") {
		t.Fatalf("right password from the locked network: status %d", resp.StatusCode)
	}
	if resp, _, _ := loginFrom(t, f, s, office, "admin@kommune.no", "korrekt hest batteri stift"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the admin from the office: status %d", resp.StatusCode)
	}
	var lock bson.M
	if err := f.Store.DB.Collection("audit").FindOne(context.Background(), bson.M{"action": "login.source_locked"}).Decode(&lock); err != nil {
		t.Fatalf("no audit entry for the lock: %v", err)
	}
	if target, _ := lock["target"].(string); !strings.HasPrefix(target, "s:") || strings.Contains(target, "203.0.113") {
		t.Errorf("lock audited as %q, want the source's hash", target)
	}
}

// TestUnknownAddressesAnswerLikeRealOnes measures the answer times of
// wrong passwords for a real account and for an address that has none,
// interleaved, each attempt from a network of its own (a distributed
// guesser), so only the address's own counter sets the delay, and fails if they differ beyond noise: the median of the paired ratios,
// and the ratio of the medians, must lie within 0.7–1.43. Both must also
// slow down along the delay curve. The delays are the default ones, which
// stand out from argon2id's cost even on a busy machine; which of the pair
// goes first alternates, so neither always meets the other's leftovers.
func TestUnknownAddressesAnswerLikeRealOnes(t *testing.T) {
	f := webtest.New(t)
	policy := staff.DefaultLoginPolicy
	behindProxy(t, f, policy)
	webtest.StaffUsers(t, f)
	s := webtest.SignIn(t, f, nil)
	const attempts = 8
	var real, ghost, ratios []time.Duration
	for i := range attempts {
		type who struct {
			email, client string
			times         *[]time.Duration
		}
		pair := []who{{"advisor@kommune.no", fmt.Sprintf("198.51.100.%d", 10+i), &real}, {"finnes.ikke@kommune.no", fmt.Sprintf("198.51.101.%d", 10+i), &ghost}}
		if i%2 == 1 {
			pair[0], pair[1] = pair[1], pair[0]
		}
		for _, who := range pair {
			resp, _, took := loginFrom(t, f, s, who.client, who.email, "feil passord her")
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d for %s: status %d", i+1, who.email, resp.StatusCode)
			}
			*who.times = append(*who.times, took)
		}
		// A ratio as a Duration in thousandths, to sort and take the median.
		ratios = append(ratios, time.Duration(1000*real[i].Seconds()/ghost[i].Seconds()))
	}
	t.Logf("real account:  %v", real)
	t.Logf("unknown email: %v", ghost)
	pairedRatio := float64(median(ratios)) / 1000
	mediansRatio := median(real).Seconds() / median(ghost).Seconds()
	t.Logf("median real %v, median unknown %v, ratio of medians %.2f, median paired ratio %.2f",
		median(real), median(ghost), mediansRatio, pairedRatio)
	for name, r := range map[string]float64{"median of paired ratios": pairedRatio, "ratio of medians": mediansRatio} {
		if r < 0.7 || r > 1/0.7 {
			t.Errorf("%s %.2f: a real account and an unknown address answer differently", name, r)
		}
	}
	// Both follow the curve: the last answers wait the longest delay, the
	// first none, so they are slower by most of it whatever the machine.
	for name, ts := range map[string][]time.Duration{"real": real, "unknown": ghost} {
		slow, fast := median(ts[attempts-3:]), median(ts[:2])
		if slow-fast < policy.MaxDelay/2 {
			t.Errorf("%s: the last answers (%v) are not slower than the first (%v) by the delays", name, slow, fast)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

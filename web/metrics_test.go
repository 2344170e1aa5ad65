package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/web"
)

// TestMetricsAreForLocalScrapersOrTheToken: /metrics answers a scraper on
// loopback or one with the token, counts requests by route pattern and
// submissions by outcome, and refuses everyone else, including requests
// that came through a reverse proxy.
func TestMetricsAreForLocalScrapersOrTheToken(t *testing.T) {
	f := newFixture(t)
	app, err := web.New(web.Config{Store: f.st, BaseURL: "http://localhost:8080", Secret: testSecret,
		Now: func() time.Time { return fixedNow }, Tallier: f.tallier, MetricsToken: "scrape-me-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	f.app = app
	// A submission with the required answer missing, then a whole one.
	_, body := f.get(t, "/s/"+f.open)
	form := formTokens(t, body)
	if resp, _ := f.post(t, "/s/"+f.open, form); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("incomplete submission: %d", resp.StatusCode)
	}
	form.Set("relation", "child")
	form.Set("_action", "submit")
	if resp, _ := f.post(t, "/s/"+f.open, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submission: %d", resp.StatusCode)
	}

	// app.Test does not come from loopback: no token, no metrics.
	if resp, _ := f.get(t, "/metrics"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("/metrics without token: %d, want 403", resp.StatusCode)
	}
	if resp, _ := f.get(t, "/metrics", "Authorization", "Bearer wrong"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("/metrics with a wrong token: %d, want 403", resp.StatusCode)
	}
	resp, text := f.get(t, "/metrics", "Authorization", "Bearer scrape-me-0123456789")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics with the token: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`stemme_submissions_total{outcome="accepted"} 1`,
		`stemme_submissions_total{outcome="invalid"} 1`,
		`stemme_http_requests_total{method="POST",route="/s/:link",status="303"} 1`,
		`stemme_http_request_duration_seconds_bucket{method="GET",route="/s/:link"`,
		"stemme_tally_lag_answers ", "stemme_open_waves 2",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, f.open) {
		t.Error("/metrics names a survey link")
	}

	base := serve(t, f)
	get := func(header ...string) int {
		req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != http.StatusOK {
		t.Errorf("/metrics from loopback: %d, want 200", got)
	}
	if got := get("X-Forwarded-For", "203.0.113.9"); got != http.StatusForbidden {
		t.Errorf("/metrics through a proxy on loopback: %d, want 403", got)
	}
}

package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/web"
)

// TestMetricsNeedTheTokenOrTheAdminListener: on the public listener
// /metrics answers only a scraper with the token, loopback included (behind
// a reverse proxy on the same machine every visitor is loopback); the admin
// listener serves it without a token, with the probes and nothing else. It
// counts requests by route pattern and submissions by outcome.
func TestMetricsNeedTheTokenOrTheAdminListener(t *testing.T) {
	f := webtest.New(t)
	srv, err := web.NewServer(web.Config{Store: f.Store, BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }, Tallier: f.Tallier, MetricsToken: "scrape-me-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	f.App = srv.App
	// A submission with the required answer missing, then a whole one.
	_, body := f.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	if resp, _ := f.Post(t, "/s/"+f.Open, form); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("incomplete submission: %d", resp.StatusCode)
	}
	form.Set("relation", "child")
	form.Set("_action", "submit")
	if resp, _ := f.Post(t, "/s/"+f.Open, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submission: %d", resp.StatusCode)
	}

	// app.Test does not come from loopback: no token, no metrics.
	if resp, _ := f.Get(t, "/metrics"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("/metrics without token: %d, want 403", resp.StatusCode)
	}
	if resp, _ := f.Get(t, "/metrics", "Authorization", "Bearer wrong"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("/metrics with a wrong token: %d, want 403", resp.StatusCode)
	}
	resp, text := f.Get(t, "/metrics", "Authorization", "Bearer scrape-me-0123456789")
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
	if strings.Contains(text, f.Open) {
		t.Error("/metrics names a survey link")
	}

	base := webtest.Listen(t, f)
	admin := &webtest.Fixture{App: srv.Admin}
	adminBase := webtest.Listen(t, admin)
	get := func(url string, header ...string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	for _, tt := range []struct {
		name, url string
		header    []string
		want      int
	}{
		{"public listener, loopback, no token", base + "/metrics", nil, http.StatusForbidden},
		{"public listener, through a proxy", base + "/metrics", []string{"X-Forwarded-For", "203.0.113.9"}, http.StatusForbidden},
		{"public listener, token", base + "/metrics", []string{"Authorization", "Bearer scrape-me-0123456789"}, http.StatusOK},
		{"admin listener, no token", adminBase + "/metrics", nil, http.StatusOK},
		{"admin listener, liveness", adminBase + "/healthz", nil, http.StatusOK},
		{"admin listener, readiness", adminBase + "/readyz", nil, http.StatusOK},
		{"admin listener, a page", adminBase + "/admin", nil, http.StatusNotFound},
		{"admin listener, the login", adminBase + "/login", nil, http.StatusNotFound},
	} {
		if got, body := get(tt.url, tt.header...); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		} else if got == http.StatusOK && strings.HasSuffix(tt.url, "/metrics") && !strings.Contains(body, "stemme_open_waves 2") {
			t.Errorf("%s: no metrics in the answer", tt.name)
		}
	}
}

package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAdminListenerServesMetricsOnLoopback: with STEMME_ADMIN_ADDR the
// server opens a second, loopback-only listener with /metrics without a
// token and the probes, while /metrics on the public listener needs the token.
func TestAdminListenerServesMetricsOnLoopback(t *testing.T) {
	cfg := testConfig(t, t.TempDir())
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.Demo = false
	s := &started{out: &syncBuffer{}, done: make(chan error, 1)}
	ready, admin := make(chan string, 1), make(chan string, 1)
	go func() {
		s.done <- serve(context.Background(), cfg, s.out, serveHooks{
			ready: func(a string) { ready <- a }, admin: func(a string) { admin <- a }})
	}()
	var adminAddr string
	for s.addr == "" || adminAddr == "" {
		select {
		case s.addr = <-ready:
		case adminAddr = <-admin:
		case err := <-s.done:
			t.Fatalf("serve stopped: %v\n%s", err, s.out)
		case <-time.After(60 * time.Second):
			t.Fatal("serve did not become ready")
		}
	}
	defer s.stop(t)
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tt := range []struct {
		url  string
		want int
		body string
	}{
		{"http://" + adminAddr + "/metrics", http.StatusOK, "stemme_open_waves"},
		{"http://" + adminAddr + "/readyz", http.StatusOK, "ready"},
		{"http://" + adminAddr + "/", http.StatusNotFound, ""},
		{"http://" + s.addr + "/metrics", http.StatusForbidden, ""},
		{"http://" + s.addr + "/healthz", http.StatusOK, "ok"},
	} {
		if code, body := get(tt.url); code != tt.want || !strings.Contains(body, tt.body) {
			t.Errorf("%s: %d, want %d with %q", tt.url, code, tt.want, tt.body)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

// started is a server running in this process.
type started struct {
	addr string
	out  *syncBuffer
	done chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testConfig(t *testing.T, dataDir string) config {
	t.Helper()
	return config{Addr: "127.0.0.1:0", DataDir: dataDir, Database: "stemme", BaseURL: "http://localhost",
		Demo: true, AdminEmail: "admin@example.no", sessions: staff.DefaultLifetimes}
}

// startServe runs serve in this process and waits until it listens.
func startServe(t *testing.T, cfg config, routes func(*fiber.App)) *started {
	t.Helper()
	s := &started{out: &syncBuffer{}, done: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() {
		s.done <- serve(context.Background(), cfg, s.out, serveHooks{ready: func(a string) { ready <- a }, routes: routes})
	}()
	select {
	case s.addr = <-ready:
	case err := <-s.done:
		t.Fatalf("serve stopped before it was ready: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not become ready")
	}
	return s
}

// stop sends the process a real SIGTERM, as an operator or init system would.
func (s *started) stop(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve returned %v after SIGTERM", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
}

func TestRequestInFlightAtSIGTERMCompletes(t *testing.T) {
	entered := make(chan struct{})
	s := startServe(t, testConfig(t, t.TempDir()), func(app *fiber.App) {
		app.Get("/test/slow", func(c *fiber.Ctx) error {
			close(entered)
			time.Sleep(1500 * time.Millisecond)
			return c.SendString("finished")
		})
	})
	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + s.addr + "/test/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- result{body: string(b)}
	}()
	<-entered
	s.stop(t)
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("request in flight at SIGTERM: body %q, err %v; want it to complete", r.body, r.err)
	}
	if _, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}

func TestDataSurvivesRestartAndDemoIsSeededOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	s := startServe(t, cfg, nil)
	first := s.out.String()
	for _, want := range []string{"Admin login", "admin@example.no", "password:", "/s/", "Fjordtun bo- og behandlingssenter"} {
		if !strings.Contains(first, want) {
			t.Errorf("first start does not print %q:\n%s", want, first)
		}
	}
	resp, err := http.Get("http://" + s.addr + "/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("front page: %v %v", resp, err)
	}
	resp.Body.Close()
	if code, out, errOut := stemme(t, []string{"STEMME_ADDR=" + s.addr}, "healthcheck"); code != 0 {
		t.Errorf("healthcheck against a running server: exit %d, %s%s", code, out, errOut)
	}
	s.stop(t)

	s = startServe(t, cfg, nil)
	if strings.Contains(s.out.String(), "password:") {
		t.Error("second start printed a new admin password; the first admin must be created once")
	}
	s.stop(t)

	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir, Database: cfg.Database})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	// Accepted answers are filed from the inbox by the tallier; count both.
	n, err := st.DB.Collection("responses").CountDocuments(ctx, bson.D{})
	waiting, _ := st.DB.Collection("response_inbox").CountDocuments(ctx, bson.D{})
	n += waiting
	if err != nil || n < 200 {
		t.Fatalf("responses after restart: %d (err %v), want the few hundred seeded", n, err)
	}
	units, _ := st.DB.Collection("units").CountDocuments(ctx, bson.D{})
	if units != 8 {
		t.Fatalf("units after two starts: %d, want 8 (seeded once)", units)
	}
}

func TestSecondInstanceOnTheSameDataDirectoryIsRefused(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, testConfig(t, dir), nil)
	defer s.stop(t)
	code, _, stderr := stemme(t, []string{"STEMME_DATA_DIR=" + dir, "STEMME_ADDR=127.0.0.1:0"}, "serve")
	if code != 1 || !strings.Contains(stderr, "is used by another stemme") {
		t.Fatalf("second instance: exit %d, stderr %q; want 1 and a clear message", code, stderr)
	}
}

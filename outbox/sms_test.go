package outbox

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stemme/stemme/store/storetest"
)

// gateway is a real HTTP server standing in for an SMS gateway: it answers
// each request with the next status in line (then 200) and records what
// it was sent.
type gateway struct {
	mu       sync.Mutex
	statuses []int
	got      []map[string]string
	keys     []string
	auth     []string
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.got = append(g.got, body)
	g.keys = append(g.keys, r.Header.Get("Idempotency-Key"))
	g.auth = append(g.auth, r.Header.Get("Authorization"))
	status := http.StatusOK
	if len(g.statuses) > 0 {
		status, g.statuses = g.statuses[0], g.statuses[1:]
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"status":"ok"}`))
}

func TestSMSGatewayRetriesTemporaryFailuresWithTheSameKey(t *testing.T) {
	g := &gateway{statuses: []int{http.StatusServiceUnavailable, http.StatusTooManyRequests}}
	srv := httptest.NewServer(g)
	defer srv.Close()
	sms, err := NewSMSGateway(srv.URL, "token-123")
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.DB(t)
	box, _ := New(db, testSecret)
	ctx := context.Background()
	id, err := box.Enqueue(ctx, Draft{Channel: SMS, Kind: "test", To: "912 34 567", Body: "Hei! Koden din er ABCD-EFGH"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(box, map[string]Transport{SMS: sms}, fastOptions(), nil)
	for range 20 {
		if m, _ := box.Message(ctx, id); m.Status == Sent {
			break
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
	m, _ := box.Message(ctx, id)
	if m.Status != Sent || m.Attempts != 3 {
		t.Fatalf("message %+v", m)
	}
	if len(g.got) != 3 || g.got[2]["to"] != "+4791234567" || !strings.Contains(g.got[2]["text"], "ABCD-EFGH") {
		t.Fatalf("gateway got %v", g.got)
	}
	for i := range g.keys {
		if g.keys[i] != id || g.auth[i] != "Bearer token-123" {
			t.Fatalf("request %d: key %q auth %q", i, g.keys[i], g.auth[i])
		}
	}
}

func TestSMSGatewayRefusalIsFinal(t *testing.T) {
	g := &gateway{statuses: []int{http.StatusBadRequest}}
	srv := httptest.NewServer(g)
	defer srv.Close()
	sms, _ := NewSMSGateway(srv.URL, "t")
	box, _ := New(storetest.DB(t), testSecret)
	ctx := context.Background()
	id, _ := box.Enqueue(ctx, Draft{Channel: SMS, Kind: "test", To: "+4791234567", Body: "x"}, time.Now())
	w := NewWorker(box, map[string]Transport{SMS: sms}, fastOptions(), nil)
	_, _ = w.RunOnce(ctx)
	if m, _ := box.Message(ctx, id); m.Status != Failed || !strings.Contains(m.LastError, "400") || strings.Contains(m.LastError, "91234567") {
		t.Fatalf("refused SMS: %+v", m)
	}
}

func TestCheckSMSURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"https://sms.example.no/api", true}, {"http://127.0.0.1:9000/send", true},
		{"http://sms.example.no/api", false}, {"sms.example.no", false},
	} {
		if err := CheckSMSURL(tt.url); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.url, err)
		}
	}
}

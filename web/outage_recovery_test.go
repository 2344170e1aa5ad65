package web_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/web"
)

// cable is a TCP forwarder between the app and the store that can be cut
// and mended, as a store that goes away and comes back.
type cable struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
}

func newCable(t *testing.T, target string) *cable {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &cable{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); c.sever() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			c.mu.Lock()
			if c.cut {
				c.mu.Unlock()
				in.Close()
				continue
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				c.mu.Unlock()
				in.Close()
				continue
			}
			c.conns = append(c.conns, in, out)
			c.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	return c
}

func (c *cable) sever() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cut = true
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *cable) mend() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cut = false
}

// TestStoreOutageUnderLoadRecoversWithoutRestart submits answers
// continuously while the store goes away and comes back: during the outage
// every submission gets a 503 with the form kept and /readyz fails; after
// it, answers are accepted again without a restart, every thanked answer is
// stored once, and the tallies catch up to a recount.
func TestStoreOutageUnderLoadRecoversWithoutRestart(t *testing.T) {
	f := webtest.New(t)
	u, err := url.Parse(f.Store.URI)
	if err != nil {
		t.Fatal(err)
	}
	wire := newCable(t, u.Host)
	// Only the address changes: a server reached through MONGODB_URI keeps
	// its credentials and options (CI's second leg logs in). A replica set
	// would name its members' own addresses and the driver would go round
	// the cable to them: connect directly to the one behind it instead.
	u.Host = wire.ln.Addr().String()
	if q := u.Query(); q.Has("replicaSet") {
		q.Del("replicaSet")
		q.Set("directConnection", "true")
		u.RawQuery = q.Encode()
	}
	client, err := mongo.Connect(options.Client().ApplyURI(u.String()).
		SetServerSelectionTimeout(2 * time.Second).SetTimeout(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	own := &store.Store{Client: client, DB: client.Database(f.Store.DB.Name())}
	tallier := analysis.NewTallier(own.DB, nil)
	t.Cleanup(tallier.Start())
	app, err := web.New(web.Config{Store: own, BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }, Tallier: tallier})
	if err != nil {
		t.Fatal(err)
	}
	g := &webtest.Fixture{App: app, Store: own, Open: f.Open, Tallier: tallier}

	var phase atomic.Int32 // 0 before, 1 during, 2 after the outage
	var thanked sync.Map
	var okBefore, okAfter, unavailable atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, body := g.Get(t, "/s/"+f.Open)
				if !strings.Contains(body, `name="_sid"`) {
					continue // the form itself may fail to load during the outage
				}
				form := webtest.FormTokens(t, body)
				form.Set("relation", "partner")
				form.Set("important", "Svar nummer "+string(rune('a'+w)))
				form.Set("_action", "submit")
				resp, body := g.Post(t, "/s/"+f.Open, form)
				switch resp.StatusCode {
				case http.StatusSeeOther:
					thanked.Store(responseID(form.Get("_sid")), true)
					if phase.Load() == 2 {
						okAfter.Add(1)
					} else if phase.Load() == 0 {
						okBefore.Add(1)
					}
				case http.StatusServiceUnavailable:
					unavailable.Add(1)
					if !strings.Contains(body, "Svar nummer") || !strings.Contains(body, `value="partner" checked`) {
						t.Error("a 503 did not keep what was entered")
					}
				default:
					t.Errorf("submission: status %d", resp.StatusCode)
				}
			}
		}()
	}
	waitFor(t, func() bool { return okBefore.Load() >= 10 })
	wire.sever()
	phase.Store(1)
	waitFor(t, func() bool { return unavailable.Load() >= 3 })
	if resp, _ := g.Get(t, "/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %d, want 503", resp.StatusCode)
	}
	wire.mend()
	phase.Store(2)
	waitFor(t, func() bool {
		resp, _ := g.Get(t, "/readyz")
		return resp.StatusCode == http.StatusOK && okAfter.Load() >= 10
	})
	close(stop)
	wg.Wait()

	g.Filed(t)
	thanked.Range(func(k, _ any) bool {
		n, err := f.Store.DB.Collection("responses").CountDocuments(context.Background(), bson.D{{Key: "_id", Value: k}})
		if err != nil || n != 1 {
			t.Errorf("thanked answer %v stored %d times (%v)", k, n, err)
		}
		return true
	})
	diffs, err := analysis.Verify(context.Background(), f.Store.DB, "", nil)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("tallies after the outage differ from a recount: %v %v", err, diffs)
	}
	t.Logf("accepted %d before and %d after the outage; %d answered 503 during it", okBefore.Load(), okAfter.Load(), unavailable.Load())
}

// waitFor polls cond for up to a minute: a deadline for a hung test, not a
// performance threshold.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("gave up waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

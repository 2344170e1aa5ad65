package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/web"
)

// TestStoreDownAtSubmitKeepsTheForm: a relative has the form open when the
// store goes away. Their post gets a 503 that says nothing was saved and shows
// the form again with everything filled in; /readyz fails.
func TestStoreDownAtSubmitKeepsTheForm(t *testing.T) {
	f := webtest.New(t)
	client, err := mongo.Connect(options.Client().ApplyURI(f.Store.URI).SetServerSelectionTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	own := &store.Store{Client: client, DB: client.Database(f.Store.DB.Name())}
	app, err := web.New(web.Config{Store: own, BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	g := &webtest.Fixture{App: app, Store: own, Open: f.Open}
	_, body := g.Get(t, "/s/"+f.Open)
	form := webtest.FormTokens(t, body)
	form.Set("relation", "partner")
	form.Set("important", "Dette må ikke forsvinne")
	form.Set("_action", "submit")

	if err := client.Disconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, body := g.Post(t, "/s/"+f.Open, form)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("submit with the store down: status %d, want 503", resp.StatusCode)
	}
	for _, want := range []string{"Svarene dine ble ikke lagret", "Dette må ikke forsvinne", `value="partner" checked`, form.Get("_sid")} {
		if !strings.Contains(body, want) {
			t.Errorf("503 page lacks %q", want)
		}
	}
	if resp, _ := g.Get(t, "/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the store down: %d, want 503", resp.StatusCode)
	}
	if resp, _ := g.Get(t, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the store down: %d, want 200 (the process is alive)", resp.StatusCode)
	}
}

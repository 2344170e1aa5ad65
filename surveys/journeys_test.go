package surveys_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

var journeySecret = []byte("0123456789abcdef0123456789abcdef")

func TestJourneysKeepEachStepSealed(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	here := surveys.NewJourneys(db, journeySecret)
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

	first := surveys.JourneyState{Values: map[string][]string{"relation": {"child"}}, Page: 1, SID: "sid-1"}
	h1, err := here.Save(ctx, "", "link1", first, now)
	if err != nil {
		t.Fatal(err)
	}
	second := first
	second.Values = map[string][]string{"relation": {"child"}, "important": {"Kari Nordmann vet best"}}
	second.Page = 2
	h2, err := here.Save(ctx, h1, "link1", second, now)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 || strings.Split(h1, ".")[0] != strings.Split(h2, ".")[0] {
		t.Fatalf("handles %q and %q: want one journey (same token), two versions", h1, h2)
	}

	// Another instance, which wrote nothing, reads the same from the store.
	elsewhere := surveys.NewJourneys(db, journeySecret)
	for _, j := range []*surveys.Journeys{here, elsewhere} {
		got, err := j.Load(ctx, h2, "link1", now.Add(time.Minute))
		if err != nil || got.Page != 2 || got.Values["important"][0] != "Kari Nordmann vet best" || got.SID != "sid-1" {
			t.Fatalf("load: %+v, %v", got, err)
		}
		if old, err := j.Load(ctx, h1, "link1", now); err != nil || old.Page != 1 {
			t.Fatalf("the earlier version: %+v, %v", old, err)
		}
	}

	// The store holds neither the token nor anything entered.
	cur, err := db.Collection("journeys").Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil || len(docs) != 2 {
		t.Fatalf("%d journey documents (%v), want 2", len(docs), err)
	}
	token := strings.Split(h1, ".")[0]
	for _, d := range docs {
		for _, secret := range []string{"Kari", "child", "sid-1", token} {
			if bytes.Contains(d, []byte(secret)) {
				t.Errorf("a stored journey holds %q", secret)
			}
		}
	}

	refused := []struct {
		name         string
		handle, link string
		at           time.Time
		journeys     *surveys.Journeys
	}{
		{"another link", h2, "link2", now, elsewhere},
		{"expired", h2, "link1", now.Add(surveys.JourneyTTL), elsewhere},
		{"expired, from memory", h2, "link1", now.Add(surveys.JourneyTTL), here},
		{"malformed", "nonsense", "link1", now, elsewhere},
		{"unknown version", strings.Split(h2, ".")[0] + ".AAAAAAAAAAA", "link1", now, elsewhere},
		{"another secret", h2, "link1", now, surveys.NewJourneys(db, []byte("another secret, also 32 bytes long!!"))},
	}
	for _, tt := range refused {
		if _, err := tt.journeys.Load(ctx, tt.handle, tt.link, tt.at); !errors.Is(err, surveys.ErrNoJourney) {
			t.Errorf("%s: %v, want ErrNoJourney", tt.name, err)
		}
	}
}

func TestJourneysAreForgottenAndPurged(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	j := surveys.NewJourneys(db, journeySecret)
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	st := surveys.JourneyState{SID: "s", Values: map[string][]string{"relation": {"child"}}}

	submitted, _ := j.Save(ctx, "", "l", st, now)
	submitted, _ = j.Save(ctx, submitted, "l", st, now)
	old, _ := j.Save(ctx, "", "l", st, now.Add(-surveys.JourneyTTL-time.Minute))
	kept, _ := j.Save(ctx, "", "l", st, now)

	j.Forget(submitted)
	if err := j.Purge(ctx, now, true); err != nil {
		t.Fatal(err)
	}
	n, err := db.Collection("journeys").CountDocuments(ctx, bson.D{})
	if err != nil || n != 1 {
		t.Fatalf("%d journeys left (%v), want only the one still going", n, err)
	}
	for _, h := range []string{submitted, old} {
		if _, err := surveys.NewJourneys(db, journeySecret).Load(ctx, h, "l", now); !errors.Is(err, surveys.ErrNoJourney) {
			t.Errorf("journey %s survived the purge: %v", h, err)
		}
	}
	if _, err := j.Load(ctx, kept, "l", now); err != nil {
		t.Errorf("the journey still going was purged: %v", err)
	}
}

// TestJourneysWrittenBehindReachOtherInstances: with a writer, a step is
// kept in memory at once and written a moment later; another instance
// asking for it meanwhile waits for it, and stopping writes what is left.
func TestJourneysWrittenBehindReachOtherInstances(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	now := time.Now()
	here := surveys.NewJourneys(db, journeySecret)
	stop := here.StartWriter(func(err error) { t.Error(err) })
	st := surveys.JourneyState{SID: "s", Values: map[string][]string{"relation": {"partner"}}}
	h1, err := here.Save(ctx, "", "l", st, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := surveys.NewJourneys(db, journeySecret).Load(ctx, h1, "l", now)
	if err != nil || got.Values["relation"][0] != "partner" {
		t.Fatalf("another instance: %+v, %v", got, err)
	}
	if !here.Holds(h1, "l", st, now) {
		t.Error("the version in memory does not hold the state it was saved with")
	}
	st.Values["relation"] = []string{"child"}
	if here.Holds(h1, "l", st, now) {
		t.Error("a changed state is said to be held")
	}
	h2, _ := here.Save(ctx, h1, "l", st, now)
	stop()
	if n, err := db.Collection("journeys").CountDocuments(ctx, bson.D{}); err != nil || n != 2 {
		t.Fatalf("%d versions in the store after stopping (%v), want 2", n, err)
	}
	if _, err := surveys.NewJourneys(db, journeySecret).Load(ctx, h2, "l", now); err != nil {
		t.Fatalf("the last version, written at stop: %v", err)
	}
}

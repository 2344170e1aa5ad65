package arenas_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var secret = []byte("0123456789abcdef0123456789abcdef")

func at(day string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, day, surveys.Oslo)
	return t.Add(12 * time.Hour)
}

func TestSignUpAndPurgeAfterTheEvent(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	s, err := arenas.NewStore(db, secret)
	if err != nil {
		t.Fatal(err)
	}
	school := &arenas.Event{Kind: arenas.KindSchool, Title: "Pårørendeskole, kveld 1", Date: "2026-12-02", Time: "18:00",
		Place: "Biblioteket", SignUp: true, Capacity: 2}
	open := &arenas.Event{Kind: arenas.KindCafe, Title: "Demenskafé", Date: "2026-12-09", Place: "Kafeen"}
	for _, e := range []*arenas.Event{school, open} {
		if err := s.AddEvent(ctx, e, at("2026-11-18")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddEvent(ctx, &arenas.Event{Kind: "party", Date: "i morgen"}, at("2026-11-18")); !errors.As(err, new(arenas.FieldErrors)) {
		t.Fatalf("a bad event: %v", err)
	}
	now := at("2026-11-18")
	for _, tt := range []struct {
		name, event, sid string
		p                arenas.Person
		want             error
	}{
		{"first", school.ID, "a", arenas.Person{Name: "Kari Nordmann", Phone: "912 34 567"}, nil},
		{"the same post again", school.ID, "a", arenas.Person{Name: "Kari Nordmann", Phone: "912 34 567"}, nil},
		{"second", school.ID, "b", arenas.Person{Name: "Ola", Email: "ola@example.no"}, nil},
		{"full", school.ID, "c", arenas.Person{Name: "Per", Email: "per@example.no"}, arenas.ErrFull},
		{"no sign-up for this one", open.ID, "d", arenas.Person{Name: "Per", Email: "per@example.no"}, arenas.ErrClosed},
		{"unknown", "nope", "e", arenas.Person{Name: "Per", Email: "per@example.no"}, arenas.ErrNotFound},
	} {
		if err := s.SignUp(ctx, tt.event, tt.sid, tt.p, now); !errors.Is(err, tt.want) {
			t.Fatalf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	var fe arenas.FieldErrors
	if err := s.SignUp(ctx, school.ID, "f", arenas.Person{Name: "", Phone: "12"}, now); !errors.As(err, &fe) || len(fe) != 2 {
		t.Fatalf("bad person: %v", err)
	}
	people, err := s.SignUps(ctx, school.ID)
	if err != nil || len(people) != 2 || people[0].Name != "Kari Nordmann" {
		t.Fatalf("sign-ups %v, %v", people, err)
	}
	raw, _ := db.Collection("arena_signups").Find(ctx, bson.D{})
	var docs []bson.Raw
	_ = raw.All(ctx, &docs)
	for _, d := range docs {
		if strings.Contains(d.String(), "Kari") || strings.Contains(d.String(), "ola@") {
			t.Fatalf("a sign-up is stored in the clear: %s", d)
		}
	}
	if err := s.SignUp(ctx, school.ID, "g", arenas.Person{Name: "Sen", Phone: "91234567"}, at("2026-12-03")); !errors.Is(err, arenas.ErrClosed) {
		t.Fatalf("signing up after the event: %v", err)
	}
	if n, _ := s.Purge(ctx, at("2026-12-02")); n != 0 {
		t.Fatalf("purged %d on the day of the event", n)
	}
	if n, _ := s.Purge(ctx, at("2026-12-03")); n != 2 {
		t.Fatalf("purged %d the day after, want 2", n)
	}
}

func TestSections(t *testing.T) {
	ctx := context.Background()
	s, _ := arenas.NewStore(storetest.DB(t), secret)
	if err := s.SaveSection(ctx, arenas.Section{Kind: arenas.KindGroups, Intro: "Samtalegrupper for pårørende til personer med demens."}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSection(ctx, arenas.Section{Kind: arenas.KindGroups, Intro: "Oppdatert."}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSection(ctx, arenas.Section{Kind: "party"}); err == nil {
		t.Fatal("an unknown kind was saved")
	}
	got, err := s.Sections(ctx)
	if err != nil || len(got) != 1 || got[arenas.KindGroups].Intro != "Oppdatert." {
		t.Fatalf("sections %v, %v", got, err)
	}
}

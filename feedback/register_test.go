package feedback_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/feedback"
)

func TestEnrolValidates(t *testing.T) {
	s, _ := newStore(t)
	ok := feedback.RegisterContact{Name: "Kari Nordmann", Phone: "912 34 567", Lang: "nb", About: "datter til beboer på avdeling 2"}
	for _, tt := range []struct {
		name     string
		edit     func(c *feedback.RegisterContact, interval, started *string, consent *bool)
		problems []string
	}{
		{"fine", func(*feedback.RegisterContact, *string, *string, *bool) {}, nil},
		{"no consent", func(_ *feedback.RegisterContact, _, _ *string, consent *bool) { *consent = false }, []string{"consent"}},
		{"no way to reach", func(c *feedback.RegisterContact, _, _ *string, _ *bool) { c.Phone = "" }, []string{"phone"}},
		{"bad interval and date", func(_ *feedback.RegisterContact, interval, started *string, _ *bool) {
			*interval, *started = "3m", "i går"
		}, []string{"interval", "started"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, interval, started, consent := ok, feedback.FollowUpHalfYear, "2026-11-02", true
			tt.edit(&c, &interval, &started, &consent)
			e, problems, err := s.Enrol(context.Background(), "solbakken", interval, started, c, consent, "ola@kommune.no", oslo("2026-11-18 10:00"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.problems, ",") {
				t.Fatalf("problems %v, want %v", got, tt.problems)
			}
			if len(tt.problems) == 0 && (e.NextDue() != "2027-05-02" || e.Status != feedback.EnrolActive) {
				t.Fatalf("enrolment %+v, next due %s", e, e.NextDue())
			}
		})
	}
}

func TestRegisterLifecycleAndPurge(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	c := feedback.RegisterContact{Name: "Kari Nordmann", Email: "kari@example.no", Lang: "nb"}
	a, _, _ := s.Enrol(ctx, "solbakken", feedback.FollowUpYearly, "2026-01-10", c, true, "ola@kommune.no", oslo("2026-01-10 10:00"))
	b, _, _ := s.Enrol(ctx, "solbakken", feedback.FollowUpHalfYear, "2026-01-10", c, true, "ola@kommune.no", oslo("2026-01-10 10:00"))
	if err := s.RecordTalk(ctx, a.ID, "2026-11-17", "Ola", oslo("2026-11-18 10:00")); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordTalk(ctx, a.ID, "2026-12-24", "Ola", oslo("2026-11-18 10:00")); !errors.Is(err, feedback.ErrConversation) {
		t.Fatalf("a conversation in the future: %v", err)
	}
	a, _ = s.Enrolment(ctx, a.ID)
	if a.NextDue() != "2027-11-17" {
		t.Fatalf("next due %s after a conversation", a.NextDue())
	}
	if got, err := s.RevealEnrolment(a); err != nil || got.Name != "Kari Nordmann" {
		t.Fatalf("reveal: %+v, %v", got, err)
	}
	// Withdrawn consent: the person's data goes at once.
	if err := s.Withdraw(ctx, a.ID, oslo("2026-11-18 11:00")); err != nil {
		t.Fatal(err)
	}
	a, _ = s.Enrolment(ctx, a.ID)
	if a.Status != feedback.EnrolWithdrawn || len(a.Sealed) != 0 || len(a.Talks) != 0 || a.Purged.IsZero() {
		t.Fatalf("withdrawn: %+v", a)
	}
	if err := s.RecordTalk(ctx, a.ID, "2026-11-18", "Ola", oslo("2026-11-18 12:00")); !errors.Is(err, feedback.ErrEnrolment) {
		t.Fatalf("a conversation after withdrawal: %v", err)
	}
	// End of service: kept for the retention time, then purged.
	if err := s.EndService(ctx, b.ID, oslo("2026-11-18 11:00")); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.PurgeRegister(ctx, oslo("2027-02-15 12:00"), feedback.DefaultRetention, false); len(due) != 0 {
		t.Fatalf("purged %d before the retention time", len(due))
	}
	if due, _ := s.PurgeRegister(ctx, oslo("2027-02-17 12:00"), feedback.DefaultRetention, false); len(due) != 1 {
		t.Fatalf("purged %d after the retention time, want 1", len(due))
	}
	raw, _ := db.Collection("followup_register").FindOne(ctx, bson.D{{Key: "_id", Value: b.ID}}).Raw()
	if strings.Contains(raw.String(), "sealed") || strings.Contains(raw.String(), "ola@") {
		t.Fatalf("purged enrolment keeps %s", raw)
	}
	if list, _ := s.Enrolments(ctx, nil, true); len(list) != 0 {
		t.Fatalf("%d active enrolments, want 0", len(list))
	}
}

func TestClosingACaseKeepsTheWish(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := submitAt(t, s, "wish", "solbakken", "2026-11-18 10:00") // wants conversations every 6 months
	if err := s.MarkContacted(ctx, r.ID, "ola@kommune.no", oslo("2026-11-19 09:00")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, r.ID, "ola@kommune.no", "Snakket med henne.", oslo("2026-11-19 10:00")); err != nil {
		t.Fatal(err)
	}
	list, err := s.Enrolments(ctx, []string{"solbakken"}, false)
	if err != nil || len(list) != 1 {
		t.Fatalf("register after closing: %v, %v", list, err)
	}
	e := list[0]
	if e.FromCase != r.ID || e.Interval != feedback.FollowUpHalfYear || e.Started != "2026-11-19" || e.NextDue() != "2027-05-19" {
		t.Fatalf("enrolment %+v", e)
	}
	if c, err := s.RevealEnrolment(e); err != nil || c.Phone != "+47 912 34 567" {
		t.Fatalf("contact %+v, %v", c, err)
	}
	// The case's own data is purged as before; the register keeps the wish.
	if _, err := s.Purge(ctx, oslo("2027-03-01 10:00"), feedback.DefaultRetention, false); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Enrolments(ctx, nil, true); len(list) != 1 {
		t.Fatal("purging the closed case dropped the enrolment")
	}
}

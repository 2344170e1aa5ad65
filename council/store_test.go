package council

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stemme/stemme/store/storetest"
)

func TestMeetingsDecisionsAndComments(t *testing.T) {
	ctx := context.Background()
	s := NewStore(storetest.DB(t))
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	m, err := s.AddMeeting(ctx, Meeting{Kind: KindCouncil, Date: "2026-04-20", Place: "Rådhuset, møterom 2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMeeting(ctx, Meeting{Kind: KindDialogue, Date: "2026-10-01", Place: "Biblioteket"}); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.Meetings(ctx, KindDialogue); len(ds) != 1 || ds[0].Place != "Biblioteket" {
		t.Errorf("dialogue meetings %v", ds)
	}
	for _, a := range []AgendaItem{{Kind: AgendaTopic, Topic: "Besøkstider"}, {Kind: AgendaFinding, Finding: "w/solbakken/item:a"}} {
		a.Meeting = m.ID
		if _, err := s.AddAgendaItem(ctx, a, now); err != nil {
			t.Fatal(err)
		}
	}
	if ag, _ := s.Agenda(ctx, m.ID); len(ag) != 2 {
		t.Errorf("agenda %v", ag)
	}
	late, err := s.AddDecision(ctx, Decision{Meeting: m.ID, Text: "Be om ny rutine", Responsible: "Kvalitetsrådgiver", FollowUp: "2026-05-01"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDecision(ctx, Decision{Meeting: m.ID, Text: "Følge opp", Responsible: "Leder", FollowUp: "2026-09-01"}, now); err != nil {
		t.Fatal(err)
	}
	over, _ := s.OverdueDecisions(ctx, "2026-05-04")
	if len(over) != 1 || over[0].ID != late.ID {
		t.Fatalf("overdue %v, want the decision due 1 May", over)
	}
	if err := s.SetDecisionDone(ctx, late.ID, true); err != nil {
		t.Fatal(err)
	}
	if over, _ := s.OverdueDecisions(ctx, "2026-05-04"); len(over) != 0 {
		t.Errorf("a done decision is overdue: %v", over)
	}
	if err := s.SaveMinutes(ctx, m.ID, "Referat: rådet drøftet besøkstider."); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Meeting(ctx, m.ID); got.Minutes == "" {
		t.Error("minutes lost")
	}
	target := CommentTarget(TargetAction, "a1")
	for i, text := range []string{"Bra tiltak", "Når starter det?"} {
		if _, err := s.AddComment(ctx, Comment{Target: target, Author: "rad@kommune.no", Text: text}, now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if cs, _ := s.Comments(ctx, target); len(cs) != 2 || cs[0].Text != "Bra tiltak" {
		t.Errorf("comments %v", cs)
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	s := NewStore(storetest.DB(t))
	now := time.Now()
	tests := []struct {
		name  string
		do    func() error
		field string
	}{
		{"meeting without place", func() error {
			_, err := s.AddMeeting(ctx, Meeting{Kind: KindCouncil, Date: "2026-01-01"})
			return err
		}, "place"},
		{"meeting with a bad date", func() error {
			_, err := s.AddMeeting(ctx, Meeting{Kind: KindDialogue, Date: "1. mai", Place: "Her"})
			return err
		}, "date"},
		{"decision without follow-up date", func() error {
			_, err := s.AddDecision(ctx, Decision{Meeting: "m", Text: "x", Responsible: "y"}, now)
			return err
		}, "follow_up"},
		{"empty comment", func() error {
			_, err := s.AddComment(ctx, Comment{Target: "action:a", Text: " "}, now)
			return err
		}, "text"},
		{"comment on nothing", func() error {
			_, err := s.AddComment(ctx, Comment{Target: "unit:a", Text: "x"}, now)
			return err
		}, "target"},
		{"member without name", func() error {
			_, err := s.AddMember(ctx, Member{Role: "leder"}, now)
			return err
		}, "name"},
		{"settings with a bad address", func() error { return s.SaveSettings(ctx, Settings{Email: "nei"}) }, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fe *FieldError
			if err := tt.do(); !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("error %v, want a problem with %s", err, tt.field)
			}
		})
	}
	if _, err := s.AddDecision(ctx, Decision{Meeting: "none", Text: "x", Responsible: "y", FollowUp: "2026-01-01"}, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("decision of no meeting: %v", err)
	}
}

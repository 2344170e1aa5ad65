package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/staff"
)

func councilOperations() []operation {
	meeting := func(t *testing.T, w *world) string {
		t.Helper()
		m, err := w.council.AddMeeting(context.Background(), council.Meeting{Kind: council.KindCouncil, Date: "2026-04-01", Place: "Rådhuset"})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	return []operation{
		{name: "council settings", action: staff.AuditCouncil,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				return "settings", o.council.SaveSettings(ctx, who, council.Settings{Contact: "Kari"})
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				st, err := w.council.Settings(context.Background())
				must(t, err)
				return st.Contact == "Kari"
			}},
		{name: "member add", action: staff.AuditCouncil,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				m, err := o.council.AddMember(ctx, who, council.Member{Name: "Kari"})
				if err != nil {
					return "", err
				}
				return m.ID, nil
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				ms, err := w.council.Members(context.Background())
				must(t, err)
				return len(ms) == 1
			}},
		{name: "member remove", action: staff.AuditCouncil,
			setup: func(t *testing.T, w *world) string {
				m, err := w.council.AddMember(context.Background(), council.Member{Name: "Kari"}, today)
				must(t, err)
				return m.ID
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.council.RemoveMember(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				ms, err := w.council.Members(context.Background())
				must(t, err)
				return len(ms) == 0
			}},
		{name: "meeting add", action: staff.AuditCouncil,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				m, err := o.council.AddMeeting(ctx, who, council.Meeting{Kind: council.KindCouncil, Date: "2026-04-01", Place: "Rådhuset"})
				if err != nil {
					return "", err
				}
				return m.ID, nil
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				ms, err := w.council.Meetings(context.Background(), council.KindCouncil)
				must(t, err)
				return len(ms) == 1
			}},
		{name: "agenda add", action: staff.AuditCouncil, setup: meeting,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.council.AddAgendaItem(ctx, who, council.AgendaItem{Meeting: id, Kind: council.AgendaTopic, Topic: "Besøkstider"})
			},
			changed: func(t *testing.T, w *world, id string) bool {
				items, err := w.council.Agenda(context.Background(), id)
				must(t, err)
				return len(items) == 1
			}},
		{name: "minutes save", action: staff.AuditCouncil, setup: meeting,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.council.SaveMinutes(ctx, who, id, "Referat")
			},
			changed: func(t *testing.T, w *world, id string) bool {
				m, err := w.council.Meeting(context.Background(), id)
				must(t, err)
				return m.Minutes == "Referat"
			}},
		{name: "decision add", action: staff.AuditCouncil, setup: meeting,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.council.AddDecision(ctx, who, council.Decision{Meeting: id, Text: "Ny rutine", Responsible: "Leder", FollowUp: "2026-05-01"})
			},
			changed: func(t *testing.T, w *world, id string) bool {
				ds, err := w.council.Decisions(context.Background(), id)
				must(t, err)
				return len(ds) == 1
			}},
		{name: "decision done", action: staff.AuditCouncil,
			setup: func(t *testing.T, w *world) string {
				d, err := w.council.AddDecision(context.Background(), council.Decision{Meeting: meeting(t, w), Text: "Ny rutine",
					Responsible: "Leder", FollowUp: "2026-05-01"}, today)
				must(t, err)
				return d.ID
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.council.SetDecisionDone(ctx, who, id, true)
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				ds, err := w.council.OverdueDecisions(context.Background(), "2099-01-01")
				must(t, err)
				return len(ds) == 0
			}},
		{name: "meeting notice", action: staff.AuditCouncil,
			setup: func(t *testing.T, w *world) string {
				_, err := w.log.CreateUser(context.Background(), staff.User{Email: "rad@kommune.no", Name: "Rådsmedlem",
					Grants: []staff.Grant{{Role: staff.RoleCouncil}}}, "")
				must(t, err)
				return meeting(t, w)
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				_, err := o.council.SendNotice(ctx, who, id)
				return id, err
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				ms, err := w.outbox.List(context.Background(), 10)
				must(t, err)
				return len(ms) == 1
			}},
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

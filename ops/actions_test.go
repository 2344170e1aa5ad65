package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/staff"
)

func newAction() actions.Action {
	return actions.Action{Title: "Informasjonsmøte", Owner: "Virksomhetsleder", Period: "2026"}
}

func actionOperations() []operation {
	existing := func(t *testing.T, w *world) string {
		t.Helper()
		a := newAction()
		must(t, w.actions.Insert(context.Background(), &a, today))
		return a.ID
	}
	one := func(check func(a actions.Action) bool) func(t *testing.T, w *world, _ string) bool {
		return func(t *testing.T, w *world, _ string) bool {
			as, err := w.actions.List(context.Background())
			must(t, err)
			return len(as) == 1 && check(as[0])
		}
	}
	return []operation{
		{name: "action create", action: staff.AuditAction,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				a := newAction()
				err := o.actions.Create(ctx, who, &a, &actions.Finding{Wave: "w", Item: "info_given", Index: 60, Lo: 50, Hi: 70, N: 12})
				return a.ID, err
			},
			changed: one(func(a actions.Action) bool { return len(a.Findings) == 1 })},
		{name: "action import", action: staff.AuditAction,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				return "import", o.actions.Import(ctx, who, []actions.Action{newAction(), newAction()})
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				as, err := w.actions.List(context.Background())
				must(t, err)
				return len(as) == 2
			}},
		{name: "action update", action: staff.AuditAction, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				a := newAction()
				a.ID, a.Title = id, "Pårørendekafé"
				return id, o.actions.Update(ctx, who, &a)
			},
			changed: one(func(a actions.Action) bool { return a.Title == "Pårørendekafé" })},
		{name: "action status", action: staff.AuditAction, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.actions.SetStatus(ctx, who, id, actions.Done)
			},
			changed: one(func(a actions.Action) bool { return a.Status == actions.Done })},
		{name: "action note", action: staff.AuditAction, setup: existing,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.actions.AddNote(ctx, who, id, "Møtet er holdt")
			},
			changed: func(t *testing.T, w *world, id string) bool {
				ns, err := w.actions.Notes(context.Background(), id)
				must(t, err)
				return len(ns) == 1
			}},
	}
}

package ops_test

import (
	"context"
	"testing"
	"time"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

// justNow is a retention that makes everything closed before the purge
// due: the world's clock has moved on by then.
const justNow = time.Nanosecond

// closedCase stores a case closed today and returns its id.
func closedCase(t *testing.T, w *world) string {
	t.Helper()
	id := contactedCase(t, w)
	must(t, w.feedback.Close(context.Background(), id, who, "Ringt og avtalt samtaler.", today))
	return id
}

// anotherClosedCase is closedCase for a second relative's case.
func anotherClosedCase(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	_, r, err := w.feedback.Submit(ctx, feedback.Submission{SID: "sid-ops-2", Unit: "solbakken", Focus: "information",
		Text: "Mer besøkstid.", Lang: "nb", WantsContact: true,
		Contact: feedback.Contact{Name: "Per Hansen", Phone: "+47 912 34 569", Lang: "nb", Time: "morning"}}, today)
	if err != nil || r == nil {
		t.Fatalf("submit: %v", err)
	}
	must(t, w.feedback.MarkContacted(ctx, r.ID, who, today))
	must(t, w.feedback.Close(ctx, r.ID, who, "Ringt.", today))
}

// endedEnrolment stores an enrolment whose service ended today and
// returns its id.
func endedEnrolment(t *testing.T, w *world) string {
	t.Helper()
	id := enrolled(t, w)
	must(t, w.feedback.EndService(context.Background(), id, today))
	return id
}

// pastSignUp stores a sign-up for an arena event held before today and
// returns the event's id.
func pastSignUp(t *testing.T, w *world) string {
	t.Helper()
	ctx := context.Background()
	then := today.AddDate(0, -1, 0)
	e := arenas.Event{Kind: arenas.KindSchool, Title: "Pårørendeskole", Date: then.AddDate(0, 0, 7).Format(time.DateOnly),
		Time: "18:00", Place: "Biblioteket", SignUp: true}
	must(t, w.arenas.AddEvent(ctx, &e, then))
	must(t, w.arenas.SignUp(ctx, e.ID, "sid-arena", arenas.Person{Name: "Kari Nordmann", Phone: "912 34 567"}, then))
	return e.ID
}

func retentionOperations() []operation {
	purge := func(name, target string, setup func(*testing.T, *world) string, purged func(*testing.T, *world, string) time.Time) operation {
		return operation{name: name, action: staff.AuditContactPurge, setup: setup,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				_, _, err := o.retention.Purge(ctx, who, justNow)
				return target, err
			},
			changed: func(t *testing.T, w *world, id string) bool { return !purged(t, w, id).IsZero() }}
	}
	return []operation{
		purge("contact purge", "", closedCase, func(t *testing.T, w *world, id string) time.Time {
			r, err := w.feedback.Request(context.Background(), id)
			must(t, err)
			return r.Purged
		}),
		purge("register purge", "register", endedEnrolment, func(t *testing.T, w *world, id string) time.Time {
			e, err := w.feedback.Enrolment(context.Background(), id)
			must(t, err)
			return e.Purged
		}),
		purge("arena sign-up purge", "arena-signups", pastSignUp, func(t *testing.T, w *world, id string) time.Time {
			people, err := w.arenas.SignUps(context.Background(), id)
			must(t, err)
			if len(people) == 0 {
				return today // gone
			}
			return time.Time{}
		}),
	}
}

// TestPurgeEntriesCountWhatIsDue checks the purge's entries: one per kind
// of contact data with something due, naming how much; a purge that finds
// nothing writes nothing.
func TestPurgeEntriesCountWhatIsDue(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	o := w.ops(w.log)
	if _, _, err := o.retention.Purge(ctx, who, justNow); err != nil {
		t.Fatal(err)
	}
	if es := w.entries(t, staff.AuditContactPurge); len(es) != 0 {
		t.Fatalf("a purge of nothing wrote %+v", es)
	}
	closedCase(t, w)
	anotherClosedCase(t, w)
	endedEnrolment(t, w)
	event := pastSignUp(t, w)
	cases, ended, err := o.retention.Purge(ctx, who, justNow)
	if err != nil || len(cases) != 2 || len(ended) != 1 {
		t.Fatalf("purged %d cases and %d enrolments (%v), want 2 and 1", len(cases), len(ended), err)
	}
	if people, err := w.arenas.SignUps(ctx, event); err != nil || len(people) != 0 {
		t.Fatalf("%d sign-ups of a past event left (%v)", len(people), err)
	}
	es := w.entries(t, staff.AuditContactPurge)
	if len(es) != 3 || es[0].Target != "" || es[0].Detail != "2" || es[1].Target != "register" || es[1].Detail != "1" ||
		es[2].Target != "arena-signups" || es[2].Detail != "1" {
		t.Fatalf("entries %+v, want 2 cases, then 1 register entry, then 1 sign-up", es)
	}
}

// TestPurgeWithoutRetentionKeepsTheDefault: a retention left at zero means
// the default 90 days, not "everything closed".
func TestPurgeWithoutRetentionKeepsTheDefault(t *testing.T) {
	w := newWorld(t)
	closedCase(t, w)
	cases, _, err := w.ops(w.log).retention.Purge(context.Background(), who, 0)
	if err != nil || len(cases) != 0 {
		t.Fatalf("purged %d cases closed today (%v), want none", len(cases), err)
	}
}

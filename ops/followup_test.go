package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

// newCase stores a contact request from a relative who wants
// conversations every half year, and returns its id.
func newCase(t *testing.T, w *world) string {
	t.Helper()
	_, r, err := w.feedback.Submit(context.Background(), feedback.Submission{SID: "sid-ops", Unit: "solbakken", Focus: "information",
		Text: "Mer informasjon.", Lang: "nb", WantsContact: true, FollowUp: feedback.FollowUpHalfYear,
		Contact: feedback.Contact{Name: "Kari Nordmann", Phone: "+47 912 34 567", Lang: "nb", Time: "morning"}}, today)
	if err != nil || r == nil {
		t.Fatalf("submit: %v", err)
	}
	return r.ID
}

func contactedCase(t *testing.T, w *world) string {
	t.Helper()
	id := newCase(t, w)
	must(t, w.feedback.MarkContacted(context.Background(), id, who, today))
	return id
}

// enrolled enrols a relative in the follow-up register and returns the
// enrolment's id.
func enrolled(t *testing.T, w *world) string {
	t.Helper()
	e, problems, err := w.feedback.Enrol(context.Background(), "solbakken", feedback.FollowUpYearly, "2026-01-05",
		feedback.RegisterContact{Name: "Ola Nordmann", Phone: "+47 912 34 568", Lang: "nb"}, true, who, today)
	if err != nil || len(problems) > 0 {
		t.Fatalf("enrol: %v %v", err, problems)
	}
	return e.ID
}

func followUpOperations() []operation {
	request := func(t *testing.T, w *world, id string) feedback.ContactRequest {
		t.Helper()
		r, err := w.feedback.Request(context.Background(), id)
		must(t, err)
		return r
	}
	enrolment := func(t *testing.T, w *world, id string) feedback.Enrolment {
		t.Helper()
		e, err := w.feedback.Enrolment(context.Background(), id)
		must(t, err)
		return e
	}
	enrolments := func(t *testing.T, w *world) int {
		t.Helper()
		es, err := w.feedback.Enrolments(context.Background(), nil, true)
		must(t, err)
		return len(es)
	}
	change := func(name, action, change string, changed func(feedback.Enrolment) bool) operation {
		return operation{name: "register " + name, action: action, setup: enrolled,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return "register/" + id, o.followUp.ChangeEnrolment(ctx, who, id, change, "2026-02-20", "Ola", feedback.FollowUpHalfYear)
			},
			changed: func(t *testing.T, w *world, id string) bool { return changed(enrolment(t, w, id)) }}
	}
	return []operation{
		{name: "case contacted", action: staff.AuditContactChange, setup: newCase,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.followUp.MarkContacted(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, id string) bool {
				return request(t, w, id).Status == feedback.StatusContacted
			}},
		{name: "case conversation", action: staff.AuditConversation, setup: contactedCase,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.followUp.RecordConversation(ctx, who, id, "2026-03-01", "Ola")
			},
			changed: func(t *testing.T, w *world, id string) bool { return len(request(t, w, id).Talks) == 1 }},
		{name: "case close", action: staff.AuditContactChange, setup: contactedCase,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.followUp.Close(ctx, who, id, "Ringt og avtalt samtaler.")
			},
			// Closing enrols the relative in the register first: neither
			// may happen without the entry.
			changed: func(t *testing.T, w *world, id string) bool {
				return request(t, w, id).Status == feedback.StatusClosed || enrolments(t, w) > 0
			}},
		{name: "register enrol", action: staff.AuditRegister,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				e, _, err := o.followUp.Enrol(ctx, who, "solbakken", feedback.FollowUpYearly, "2026-01-05",
					feedback.RegisterContact{Name: "Ola Nordmann", Phone: "+47 912 34 568", Lang: "nb"}, true)
				return e.ID, err
			},
			changed: func(t *testing.T, w *world, _ string) bool { return enrolments(t, w) == 1 }},
		change("conversation", staff.AuditConversation, "conversation", func(e feedback.Enrolment) bool { return len(e.Talks) == 1 }),
		change("interval", staff.AuditRegister, "interval", func(e feedback.Enrolment) bool { return e.Interval == feedback.FollowUpHalfYear }),
		change("withdraw", staff.AuditContactPurge, "withdraw", func(e feedback.Enrolment) bool { return e.Status == feedback.EnrolWithdrawn }),
		change("end", staff.AuditRegister, "end", func(e feedback.Enrolment) bool { return e.Status == feedback.EnrolEnded }),
	}
}

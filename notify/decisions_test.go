package notify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/outbox/smtptest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// TestCouncilDecisionsAreRecalledWhenTheirDateComes: a decision not followed
// up is recalled to the council's members and the advisors a week before
// its follow-up date and once more after it, each once, through a real
// mail server; one followed up, or not yet near, is not.
func TestCouncilDecisionsAreRecalledWhenTheirDateComes(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	// Every date is in the past, so that the outbox (on the real clock)
	// sends at once what a tick queues.
	advisor, err := r.n.Staff.CreateUser(ctx, staff.User{Email: "radgiver@kommune.no", Name: "Rådgiver",
		Grants: []staff.Grant{{Role: staff.RoleAdvisor}, {Role: staff.RoleCouncil}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.n.Council.AddMeeting(ctx, council.Meeting{Kind: council.KindCouncil, Date: "2026-06-01", Place: "Rådhuset"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(day string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, day, surveys.Oslo)
		return d.Add(9 * time.Hour)
	}
	decide := func(text, followUp string) *council.Decision {
		d, err := r.n.Council.AddDecision(ctx, council.Decision{Meeting: m.ID, Text: text, Responsible: "Kvalitetsrådgiver",
			FollowUp: followUp}, at("2026-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	visits := decide("Rådet ber om en plan for besøkstider i helgene.", "2026-09-10")
	decide("Rådet inviterer til dialogmøte.", "2027-03-01") // not near in this test
	done := decide("Rådet sender innspill til budsjettet.", "2026-09-01")
	if err := r.n.Council.SetDecisionDone(ctx, done.ID, true); err != nil {
		t.Fatal(err)
	}
	seen := 0
	to := func(mails []smtptest.Mail) []string {
		var out []string
		for _, m := range mails {
			out = append(out, m.To)
		}
		return out
	}
	for _, tt := range []struct {
		day  string
		want string // the subject's words, "" for no mail
	}{
		{"2026-08-30", ""},
		{"2026-09-03", "skal følges opp innen 2026-09-10"},
		{"2026-09-05", ""}, // the same reminder is not sent twice
		{"2026-09-10", ""}, // the follow-up day itself is not yet late
		{"2026-09-11", "på overtid (frist 2026-09-10)"},
		{"2026-09-20", ""},
	} {
		if err := r.n.Tick(ctx, at(tt.day)); err != nil {
			t.Fatal(err)
		}
		got := r.deliver(t, &seen)
		if tt.want == "" {
			if len(got) != 0 {
				t.Fatalf("%s: %d mails to %v: %q", tt.day, len(got), to(got), got[0].Subject)
			}
			continue
		}
		// The council member and the advisor (who is also a member) each once.
		if len(got) != 2 || !strings.Contains(strings.Join(to(got), " "), "rad@kommune.no") ||
			!strings.Contains(strings.Join(to(got), " "), advisor.Email) {
			t.Fatalf("%s: mails to %v, want rad@ and %s once each", tt.day, to(got), advisor.Email)
		}
		for _, mail := range got {
			for _, w := range []string{tt.want, "besøkstider i helgene", "Kvalitetsrådgiver", "2026-06-01", "/admin/council/meetings/" + m.ID} {
				if !strings.Contains(mail.Subject+"\n"+mail.Body, w) {
					t.Errorf("%s: the mail to %s lacks %q:\n%s\n%s", tt.day, mail.To, w, mail.Subject, mail.Body)
				}
			}
		}
	}
	// Followed up at last: no more reminders.
	if err := r.n.Council.SetDecisionDone(ctx, visits.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := r.n.Tick(ctx, at("2026-10-05")); err != nil {
		t.Fatal(err)
	}
	if got := r.deliver(t, &seen); len(got) != 0 {
		t.Fatalf("a decision followed up was recalled: %v", to(got))
	}
}

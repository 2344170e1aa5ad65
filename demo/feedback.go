package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// demoFeedback is one synthetic message of the feedback form, received
// daysAgo days before the seed.
type demoFeedback struct {
	unit, focus, text string
	daysAgo           int
	young             bool
	// contact, when set, makes it a contact request in the given state.
	contact *demoContact
}

type demoContact struct {
	name, phone, email, followUp string
	// contactedAfter is the delay from receipt to contact (zero: not yet);
	// closedAfter the delay to closing (zero: still open).
	contactedAfter, closedAfter time.Duration
	talks                       []int // conversations held, in days after receipt
}

const day = 24 * time.Hour

// The names, numbers and addresses are made up.
var feedbackItems = []demoFeedback{
	{unit: "solbakken", focus: "information", text: "Vi får vite for lite om hva som skjer med mor fra dag til dag.", daysAgo: 40},
	{unit: "solbakken", focus: "respect", text: "Personalet er vennlige og tar seg tid. Takk!", daysAgo: 25},
	{unit: "fjordtun", focus: "coordination", text: "Det er nye folk hver gang, og ingen vet hva den forrige sa.", daysAgo: 12},
	{unit: "hjemme_nord", focus: "burden", text: "Jeg er sliten og trenger noen å snakke med.", daysAgo: 70},
	{unit: "bekkestua", focus: "children", text: "Det er vanskelig å vite hva jeg skal si til lillebroren min.", daysAgo: 8, young: true},
	// A request that came in today: new, inside its deadline.
	{unit: "solbakken", focus: "involvement", text: "Vi ble ikke spurt før medisinene ble endret.", daysAgo: 0,
		contact: &demoContact{name: "Kari Eksempel", phone: "400 00 001", followUp: feedback.FollowUpNone}},
	// Overdue: a week old and nobody has called.
	{unit: "fjordtun", focus: "information", text: "Jeg har ringt tre ganger uten å få svar.", daysAgo: 7,
		contact: &demoContact{name: "Per Prøve", email: "per.prove@example.no", followUp: feedback.FollowUpYearly}},
	// Contacted in time, with half-yearly conversations.
	{unit: "hjemme_sor", focus: "support", text: "Vi trenger avlastning oftere enn vi får.", daysAgo: 200,
		contact: &demoContact{name: "Aisha Demo", phone: "400 00 002", followUp: feedback.FollowUpHalfYear,
			contactedAfter: 26 * time.Hour, talks: []int{20}}},
	// Contacted too late.
	{unit: "fjordtun", focus: "respect", text: "Far ble snakket nedlatende til.", daysAgo: 30,
		contact: &demoContact{name: "Ola Test", phone: "400 00 003", followUp: feedback.FollowUpNone,
			contactedAfter: 6 * day, closedAfter: 10 * day}},
	// Closed long ago: the next purge deletes its contact data.
	{unit: "solbakken", focus: "overall", text: "", daysAgo: 140,
		contact: &demoContact{name: "Nina Gammel", phone: "400 00 004", followUp: feedback.FollowUpNone,
			contactedAfter: 3 * time.Hour, closedAfter: 5 * day}},
}

// SeedFeedback adds the demo's feedback and contact requests as of now:
// some answered in time, one late, one overdue, one due for purging.
// secret is the configured secret the contact data is encrypted with.
func SeedFeedback(ctx context.Context, db *mongo.Database, secret []byte, now time.Time) (int, error) {
	fb, err := feedback.NewStore(db, secret)
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	for i, d := range feedbackItems {
		received := now.Add(-time.Duration(d.daysAgo) * day)
		sub := feedback.Submission{SID: "demo-feedback-" + strconv.Itoa(i), Unit: d.unit, Focus: d.focus, Text: d.text,
			Lang: "nb", Young: d.young, WantsContact: d.contact != nil}
		if c := d.contact; c != nil {
			sub.FollowUp = c.followUp
			sub.Contact = feedback.Contact{Name: c.name, Phone: c.phone, Email: c.email, Lang: "nb", Time: "any"}
		}
		if errs := sub.Validate(); len(errs) > 0 {
			return 0, fmt.Errorf("demo: feedback %d: %v", i, errs)
		}
		_, r, err := fb.Submit(ctx, sub, received)
		if err != nil {
			return 0, fmt.Errorf("demo: %w", err)
		}
		if r == nil || d.contact.contactedAfter == 0 {
			continue
		}
		c := d.contact
		if err := fb.MarkContacted(ctx, r.ID, "oppfolging@stemme.local", received.Add(c.contactedAfter)); err != nil {
			return 0, fmt.Errorf("demo: %w", err)
		}
		for _, after := range c.talks {
			date := received.Add(time.Duration(after) * day)
			if err := fb.RecordConversation(ctx, r.ID, surveys.LocalDate(date), "Oppfølging Demo", now); err != nil {
				return 0, fmt.Errorf("demo: %w", err)
			}
		}
		if c.closedAfter > 0 {
			if err := fb.Close(ctx, r.ID, "oppfolging@stemme.local", "Samtale holdt, avtalt videre med avdelingen.", received.Add(c.closedAfter)); err != nil {
				return 0, fmt.Errorf("demo: %w", err)
			}
		}
	}
	return len(feedbackItems), nil
}

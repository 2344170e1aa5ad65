// Package feedback is the standing feedback form ("Hva er viktig for deg?")
// between survey waves: anonymous feedback text, requests to be contacted
// (kept apart and encrypted), the contact deadline of 2 working days,
// follow-up conversations and the purge of contact data after the case is
// closed.
package feedback

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/stemme/stemme/contact"
	"github.com/stemme/stemme/internal/field"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// Review states of a feedback text. The free-text review (in analysis)
// decides who beyond follow-up staff may read it.
const (
	ReviewPending  = "pending"
	ReviewApproved = "approved"
	ReviewRedacted = "redacted"
	ReviewHidden   = "hidden"
)

// Feedback is one anonymous message from the feedback form. It holds no
// identity and no time of day; a contact request, if any, lives in its own
// collection and points here, never the other way round.
type Feedback struct {
	ID string `bson:"_id"`
	// Unit is the service unit it is about, the municipality's own id for
	// feedback about the municipality as a whole, or empty when there is none.
	Unit  string `bson:"unit"`
	Focus string `bson:"focus,omitempty"` // a focus area key of the built-in instrument
	Text  string `bson:"text"`
	Lang  string `bson:"lang"`
	// Young is set when the plain-language path for young relatives was used.
	Young bool   `bson:"young,omitempty"`
	Date  string `bson:"date"`  // YYYY-MM-DD, Oslo
	Month string `bson:"month"` // YYYY-MM, Oslo, for counts over time
	// Review is one of the Review… states; Redacted is the reviewed text
	// when Review is ReviewRedacted.
	Review   string `bson:"review"`
	Redacted string `bson:"redacted,omitempty"`
	// ReviewedBy and ReviewedOn (a local date) record the latest decision;
	// Rev counts decisions, so a stale one can be refused.
	ReviewedBy string `bson:"reviewed_by,omitempty"`
	ReviewedOn string `bson:"reviewed_on,omitempty"`
	Rev        int    `bson:"rev,omitempty"`
}

// Follow-up conversation wishes.
const (
	FollowUpNone     = "no"
	FollowUpHalfYear = "6m"
	FollowUpYearly   = "12m"
)

// FollowUpWishes lists the wishes in the order the form shows them.
var FollowUpWishes = []string{FollowUpNone, FollowUpHalfYear, FollowUpYearly}

// Preferred contact times.
var ContactTimes = []string{"any", "morning", "afternoon"}

// Contact is what a relative who wants to be contacted tells us. It is only
// ever stored encrypted.
type Contact struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// Lang is the language they would like to be spoken to in.
	Lang string `json:"lang"`
	// Time is when they prefer to be called: one of ContactTimes.
	Time string `json:"time"`
}

// Submission is one filled-in feedback form.
type Submission struct {
	// SID is the form's submission id; ids derive from it, so a repeated
	// post stores nothing twice.
	SID   string
	Unit  string
	Focus string
	Text  string
	Lang  string
	Young bool
	// WantsContact adds a contact request with Contact and FollowUp.
	WantsContact bool
	Contact      Contact
	FollowUp     string
}

// Limits of the form's fields, in characters.
const (
	MaxText  = 4000
	MaxName  = 100
	MaxPhone = 30
	MaxEmail = 254
	MaxNote  = 1000
)

// FieldError is a problem with one field: the field's name and a message id
// the web layer translates.
type FieldError = field.Error

// Validate normalizes the submission and lists what must be corrected.
// Units are checked by the caller, who knows which exist.
func (s *Submission) Validate() []FieldError {
	var errs []FieldError
	add := func(field, msg string) { errs = append(errs, FieldError{Field: field, Message: msg}) }
	s.Text = strings.TrimSpace(strings.ReplaceAll(s.Text, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(s.Text):
		add("text", "feedback.error.encoding")
	case utf8.RuneCountInString(s.Text) > MaxText:
		add("text", "feedback.error.too_long")
	case s.Text == "" && !s.WantsContact:
		add("text", "feedback.error.empty")
	}
	if s.Focus != "" && !slices.Contains(FocusAreas(), s.Focus) {
		add("focus", "feedback.error.choice")
	}
	if !slices.Contains(surveys.Languages, s.Lang) {
		s.Lang = "nb"
	}
	if !s.WantsContact {
		s.Contact, s.FollowUp = Contact{}, FollowUpNone
		return errs
	}
	c := &s.Contact
	checkPerson(&c.Name, &c.Phone, &c.Email, add)
	if !slices.Contains(surveys.Languages, c.Lang) {
		add("contact_lang", "feedback.error.choice")
	}
	if !slices.Contains(ContactTimes, c.Time) {
		add("contact_time", "feedback.error.choice")
	}
	if !slices.Contains(FollowUpWishes, s.FollowUp) {
		add("follow_up", "feedback.error.choice")
	}
	return errs
}

// checkPerson normalizes a name, phone and e-mail and adds a problem per
// field, with the feedback form's messages.
func checkPerson(name, phone, email *string, add func(field, msg string)) {
	p := contact.Person{Name: *name, Phone: *phone, Email: *email}
	for _, pr := range contact.Check(&p, MaxName) {
		add(pr.Field, "feedback.error."+pr.Kind)
	}
	*name, *phone, *email = p.Name, p.Phone, p.Email
}

var focusAreas struct {
	once sync.Once
	keys []string
	in   *surveys.Instrument
}

func loadFocusAreas() {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		return // the builtin tests guard the embedded JSON; without it the form has no focus areas
	}
	focusAreas.in = in
	for _, f := range in.FocusAreas {
		focusAreas.keys = append(focusAreas.keys, f.Key)
	}
}

// FocusAreas lists the focus area keys feedback may name: those of the
// built-in relatives' survey, so feedback counts line up with its results.
func FocusAreas() []string {
	focusAreas.once.Do(loadFocusAreas)
	return focusAreas.keys
}

// FocusName is the name of a focus area in a language.
func FocusName(key, lang string) string {
	focusAreas.once.Do(loadFocusAreas)
	if focusAreas.in != nil {
		for _, f := range focusAreas.in.FocusAreas {
			if f.Key == key {
				return f.Name.In(lang)
			}
		}
	}
	return key
}

// Package council holds the relatives' council (pårørenderåd): its members,
// its meetings with agenda items, minutes and decisions, the comments its
// members write on findings and actions, the dialogue meetings held with
// relatives, and how relatives reach the council.
package council

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stemme/stemme/internal/field"
	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// Meeting kinds: the council's own meetings, and open dialogue meetings
// with relatives (the plans ask for one or two a year), shown publicly.
const (
	KindCouncil  = "council"
	KindDialogue = "dialogue"
)

// Settings is the one document of council settings an admin keeps: how
// relatives reach the council, shown on the public Delta page.
type Settings struct {
	ID      string `bson:"_id"`
	Contact string `bson:"contact"`
	Email   string `bson:"email,omitempty"`
	Phone   string `bson:"phone,omitempty"`
}

// Member is a member of the council.
type Member struct {
	ID   string `bson:"_id"`
	Name string `bson:"name"`
	// Role is as the council writes it: "leder", "pårørenderepresentant".
	Role  string    `bson:"role,omitempty"`
	Added time.Time `bson:"added"`
}

// Meeting is a council or dialogue meeting on a local date.
type Meeting struct {
	ID    string `bson:"_id"`
	Kind  string `bson:"kind"`
	Date  string `bson:"date"` // YYYY-MM-DD, Europe/Oslo
	Time  string `bson:"time,omitempty"`
	Place string `bson:"place"`
	Title string `bson:"title,omitempty"`
	// Minutes are written after the meeting.
	Minutes string `bson:"minutes,omitempty"`
}

// Agenda item kinds.
const (
	AgendaFinding = "finding"
	AgendaAction  = "action"
	AgendaTopic   = "topic"
)

// AgendaItem is one point of a meeting: a finding (by its key), an action
// (by its id) or a free topic. One document each, only inserted.
type AgendaItem struct {
	ID      string    `bson:"_id"`
	Meeting string    `bson:"meeting"`
	Kind    string    `bson:"kind"`
	Finding string    `bson:"finding,omitempty"`
	Action  string    `bson:"action,omitempty"`
	Topic   string    `bson:"topic,omitempty"`
	Added   time.Time `bson:"added"`
}

// Decision is what a meeting decided, who follows it up and by when.
type Decision struct {
	ID          string    `bson:"_id"`
	Meeting     string    `bson:"meeting"`
	Text        string    `bson:"text"`
	Responsible string    `bson:"responsible"`
	FollowUp    string    `bson:"follow_up"` // YYYY-MM-DD
	Done        bool      `bson:"done"`
	Added       time.Time `bson:"added"`
}

// Overdue reports whether a decision not done is past its follow-up date.
func (d Decision) Overdue(today string) bool { return !d.Done && d.FollowUp < today }

// Comment targets.
const (
	TargetFinding = "finding"
	TargetAction  = "action"
)

// Comment is a council member's (or advisor's) remark on a finding or an
// action. One document each, only inserted.
type Comment struct {
	ID     string    `bson:"_id"`
	Target string    `bson:"target"` // "finding:<key>" or "action:<id>"
	Author string    `bson:"author"`
	Name   string    `bson:"name"`
	At     time.Time `bson:"at"`
	Text   string    `bson:"text"`
}

// CommentTarget names what a comment is on.
func CommentTarget(kind, id string) string { return kind + ":" + id }

// Limits on text fields.
const (
	maxShort = 300
	maxLong  = 20000
)

// FieldError is a problem with one field; Message is a locale message id.
type FieldError = field.Error

// ErrNotFound means there is no such meeting, member or decision.
var ErrNotFound = store.NotFound("council: not found")

// ValidDate reports whether s is a date written YYYY-MM-DD.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func required(field, v string, max int) error {
	switch {
	case strings.TrimSpace(v) == "":
		return &FieldError{Field: field, Message: "council.error.required"}
	case utf8.RuneCountInString(v) > max:
		return &FieldError{Field: field, Message: "council.error.too_long"}
	}
	return nil
}

func optional(field, v string, max int) error {
	if utf8.RuneCountInString(v) > max {
		return &FieldError{Field: field, Message: "council.error.too_long"}
	}
	return nil
}

// Validate checks the settings and trims their text.
func (st *Settings) Validate() error {
	st.Contact, st.Email, st.Phone = strings.TrimSpace(st.Contact), strings.TrimSpace(st.Email), strings.TrimSpace(st.Phone)
	for _, err := range []error{optional("contact", st.Contact, maxLong), optional("email", st.Email, maxShort), optional("phone", st.Phone, 50)} {
		if err != nil {
			return err
		}
	}
	if st.Email != "" && !strings.Contains(st.Email, "@") {
		return &FieldError{Field: "email", Message: "council.error.email"}
	}
	return nil
}

// Validate checks a member and trims their name and role.
func (m *Member) Validate() error {
	m.Name, m.Role = strings.TrimSpace(m.Name), strings.TrimSpace(m.Role)
	if err := required("name", m.Name, maxShort); err != nil {
		return err
	}
	return optional("role", m.Role, maxShort)
}

// Validate checks an agenda item and trims its topic; whether its meeting
// exists is the store's to check.
func (a *AgendaItem) Validate() error {
	a.Topic = strings.TrimSpace(a.Topic)
	switch a.Kind {
	case AgendaFinding:
		if a.Finding == "" {
			return &FieldError{Field: "finding", Message: "council.error.required"}
		}
	case AgendaAction:
		if a.Action == "" {
			return &FieldError{Field: "action", Message: "council.error.required"}
		}
	case AgendaTopic:
		return required("topic", a.Topic, maxShort)
	default:
		return &FieldError{Field: "kind", Message: "council.error.kind"}
	}
	return nil
}

// CheckMinutes checks a meeting's minutes, trimmed.
func CheckMinutes(minutes string) error { return optional("minutes", minutes, maxLong) }

// Validate checks a meeting.
func (m *Meeting) Validate() error {
	m.Place, m.Title, m.Time = strings.TrimSpace(m.Place), strings.TrimSpace(m.Title), strings.TrimSpace(m.Time)
	if m.Kind != KindCouncil && m.Kind != KindDialogue {
		return &FieldError{Field: "kind", Message: "council.error.kind"}
	}
	if !ValidDate(m.Date) {
		return &FieldError{Field: "date", Message: "council.error.date"}
	}
	if err := required("place", m.Place, maxShort); err != nil {
		return err
	}
	if err := optional("title", m.Title, maxShort); err != nil {
		return err
	}
	return optional("time", m.Time, 20)
}

// Validate checks a decision.
func (d *Decision) Validate() error {
	d.Text, d.Responsible = strings.TrimSpace(d.Text), strings.TrimSpace(d.Responsible)
	if err := required("text", d.Text, maxLong); err != nil {
		return err
	}
	if err := required("responsible", d.Responsible, maxShort); err != nil {
		return err
	}
	if !ValidDate(d.FollowUp) {
		return &FieldError{Field: "follow_up", Message: "council.error.date"}
	}
	return nil
}

// NewID returns a new id for a member or a meeting, for a caller that must
// name the document before adding it (the audit entry written first).
func NewID() string { return newID() }

func newID() string { return random.Hex(12) }

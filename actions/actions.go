// Package actions holds improvement actions (tiltak): who does what, when,
// for which focus area and units, linked to the survey findings that gave
// rise to them, and the effect those findings show in the next wave. It
// also reads an existing action plan from a spreadsheet.
package actions

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stemme/stemme/internal/field"
	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// Status is where an action stands.
type Status string

// Statuses, in the order pages list them.
const (
	Planned    Status = "planned"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Dropped    Status = "dropped"
)

// Statuses lists every status in order.
var Statuses = []Status{Planned, InProgress, Done, Dropped}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Open reports whether the action is still to be carried out.
func (s Status) Open() bool { return s == Planned || s == InProgress }

// Action is one improvement action.
type Action struct {
	ID          string `bson:"_id"`
	Title       string `bson:"title"`
	Description string `bson:"description,omitempty"`
	// FocusArea is the key of a focus area of the built-in instrument, or empty.
	FocusArea string `bson:"focus_area,omitempty"`
	// Units the action is for; empty means the whole municipality.
	Units []string `bson:"units,omitempty"`
	// Owner is who answers for it as the plans write it ("Virksomhetsleder",
	// "Pleie og omsorg"); OwnerUser optionally names a staff user too.
	Owner     string `bson:"owner"`
	OwnerUser string `bson:"owner_user,omitempty"`
	// Period is as the plans write it: "2025", "2025–2026", "Løpende".
	Period string `bson:"period"`
	Status Status `bson:"status"`
	// FromFeedback is the standing feedback the action was made from, if any.
	FromFeedback string    `bson:"from_feedback,omitempty"`
	Findings     []Finding `bson:"findings,omitempty"`
	Created      time.Time `bson:"created"`
	Updated      time.Time `bson:"updated"`
}

// Finding is a result an action answers to: one measure (a question or a
// focus-area index) of one group (a unit, or the municipality) in one wave,
// with the value shown when it was linked.
type Finding struct {
	Wave string `bson:"wave"`
	// Unit is empty for the municipality (analysis.Municipality).
	Unit string `bson:"unit,omitempty"`
	// Item is a question key; Focus a focus-area key. Exactly one is set.
	Item  string `bson:"item,omitempty"`
	Focus string `bson:"focus,omitempty"`
	// Index is the 0–100 index with its interval and N when linked.
	Index  float64   `bson:"index"`
	Lo     float64   `bson:"lo"`
	Hi     float64   `bson:"hi"`
	N      int64     `bson:"n"`
	Linked time.Time `bson:"linked"`
}

// Measure is the finding's question or focus-area key.
func (f Finding) Measure() string {
	if f.Item != "" {
		return f.Item
	}
	return f.Focus
}

// Key names the finding (wave, unit, measure) for comments and agenda items.
func (f Finding) Key() string { return FindingKey(f.Wave, f.Unit, f.Item, f.Focus) }

// FindingKey is the stable name of a finding: "wave/unit/item:key" or "…/focus:key".
func FindingKey(wave, unit, item, focus string) string {
	if item != "" {
		return wave + "/" + unit + "/item:" + item
	}
	return wave + "/" + unit + "/focus:" + focus
}

// ParseFindingKey splits a FindingKey; ok is false when it is not one.
func ParseFindingKey(k string) (wave, unit, item, focus string, ok bool) {
	parts := strings.Split(k, "/")
	if len(parts) != 3 || parts[0] == "" {
		return "", "", "", "", false
	}
	kind, key, found := strings.Cut(parts[2], ":")
	if !found || key == "" {
		return "", "", "", "", false
	}
	switch kind {
	case "item":
		return parts[0], parts[1], key, "", true
	case "focus":
		return parts[0], parts[1], "", key, true
	}
	return "", "", "", "", false
}

// Note is a dated progress note on an action. Each note is a document of
// its own, only ever inserted, so two people writing at once lose nothing.
type Note struct {
	ID     string    `bson:"_id"`
	Action string    `bson:"action"`
	At     time.Time `bson:"at"`
	Author string    `bson:"author"`
	Text   string    `bson:"text"`
}

// Limits on what an action holds.
const (
	MaxTitle       = 300
	MaxDescription = 5000
	MaxOwner       = 200
	MaxNote        = 5000
)

// FieldError is a problem with one field; Message is a locale message id.
type FieldError = field.Error

// FieldErrors are every problem of one submitted action.
type FieldErrors []*FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Validate checks an action's fields and normalizes its status and text.
func (a *Action) Validate() error {
	var errs FieldErrors
	a.Title = strings.TrimSpace(a.Title)
	a.Owner = strings.TrimSpace(a.Owner)
	a.Period = strings.TrimSpace(a.Period)
	a.Description = strings.TrimSpace(a.Description)
	if a.Status == "" {
		a.Status = Planned
	}
	switch {
	case a.Title == "":
		errs = append(errs, &FieldError{Field: "title", Message: "actions.error.title_required"})
	case utf8.RuneCountInString(a.Title) > MaxTitle:
		errs = append(errs, &FieldError{Field: "title", Message: "actions.error.too_long"})
	}
	if utf8.RuneCountInString(a.Description) > MaxDescription {
		errs = append(errs, &FieldError{Field: "description", Message: "actions.error.too_long"})
	}
	switch {
	case a.Owner == "":
		errs = append(errs, &FieldError{Field: "owner", Message: "actions.error.owner_required"})
	case utf8.RuneCountInString(a.Owner) > MaxOwner:
		errs = append(errs, &FieldError{Field: "owner", Message: "actions.error.too_long"})
	}
	if _, err := ParsePeriod(a.Period); err != nil {
		errs = append(errs, &FieldError{Field: "period", Message: "actions.error.period"})
	}
	if !a.Status.Valid() {
		errs = append(errs, &FieldError{Field: "status", Message: "actions.error.status"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Check refuses a status that is not one of the four.
func (s Status) Check() error {
	if !s.Valid() {
		return FieldErrors{&FieldError{Field: "status", Message: "actions.error.status"}}
	}
	return nil
}

// CheckNote checks the text of a progress note, trimmed.
func CheckNote(text string) error {
	switch {
	case text == "":
		return &FieldError{Field: "note", Message: "actions.error.note_required"}
	case utf8.RuneCountInString(text) > MaxNote:
		return &FieldError{Field: "note", Message: "actions.error.too_long"}
	}
	return nil
}

// ErrNotFound means there is no action with the id.
var ErrNotFound = store.NotFound("actions: no such action")

// NewID returns a new action id, for a caller that must name the action
// before inserting it (the audit entry written first).
func NewID() string { return newID() }

func newID() string { return random.Hex(12) }

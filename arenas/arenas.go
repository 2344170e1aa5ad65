// Package arenas gathers every place where relatives take part, so they are
// "samlet ett sted … tilgjengelig digitalt" (seed 000): the relatives'
// council, dialogue meetings, the school for relatives (pårørendeskole),
// conversation groups and cafés. Admins write each arena's introduction and
// add its dates; relatives sign up with a name and a way to reach them,
// stored sealed and deleted the day after the event.
package arenas

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/contact"
	"github.com/stemme/stemme/internal/field"
	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/seal"
	"github.com/stemme/stemme/store"
)

// Kinds of arena, in the order /delta shows them.
const (
	KindCouncil  = "council"
	KindDialogue = "dialogue"
	KindSchool   = "school"
	KindGroups   = "groups"
	KindCafe     = "cafe"
)

// Kinds lists every kind.
var Kinds = []string{KindCouncil, KindDialogue, KindSchool, KindGroups, KindCafe}

const (
	colSections = "arena_sections"
	colEvents   = "arena_events"
	colSignUps  = "arena_signups"
	sealLabel   = "stemme/arenas/signup/v1"
)

// Limits on text, in characters.
const (
	MaxIntro = 3000
	MaxShort = 300
	MaxName  = 100
)

// Section is the admin's text about one arena.
type Section struct {
	Kind    string `bson:"_id"`
	Intro   string `bson:"intro"`
	Contact string `bson:"contact,omitempty"`
}

// Event is one date of an arena: a meeting, a course evening, a café.
type Event struct {
	ID          string `bson:"_id"`
	Kind        string `bson:"kind"`
	Title       string `bson:"title"`
	Date        string `bson:"date"` // YYYY-MM-DD, Oslo
	Time        string `bson:"time,omitempty"`
	Place       string `bson:"place"`
	Description string `bson:"description,omitempty"`
	// SignUp opens sign-up; Capacity (0: no limit) bounds it.
	SignUp   bool      `bson:"signup"`
	Capacity int       `bson:"capacity,omitempty"`
	Created  time.Time `bson:"created"`
}

// SignUp is one person signed up for an event, sealed.
type SignUp struct {
	ID    string `bson:"_id"`
	Event string `bson:"event"`
	// Date is the event's date: the sign-up is deleted after it.
	Date    string    `bson:"date"`
	Sealed  []byte    `bson:"sealed"`
	Created time.Time `bson:"created"`
}

// Person is what a sign-up holds.
type Person struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// FieldError is a problem with one field; Message is a locale message id.
type FieldError = field.Error

// FieldErrors are every problem of one form.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Message
	}
	return "arenas: " + strings.Join(parts, "; ")
}

// Errors of sign-up.
var (
	ErrNotFound = store.NotFound("arenas: no such event")
	ErrClosed   = errors.New("arenas: sign-up is closed for this event")
	ErrFull     = errors.New("arenas: the event is full")
)

// Store reads and writes arenas.
type Store struct {
	db   *mongo.Database
	seal *seal.Sealer
}

// NewStore returns the arenas store; secret seals sign-ups.
func NewStore(db *mongo.Database, secret []byte) (*Store, error) {
	s, err := seal.New(secret, sealLabel)
	if err != nil {
		return nil, err
	}
	return &Store{db: db, seal: s}, nil
}

// Indexes lists the indexes of the arenas domain.
func Indexes() []store.Index {
	return []store.Index{{Collection: colSignUps, Keys: bson.D{{Key: "event", Value: 1}}}}
}

// Sections returns the text of every arena that has some, by kind.
func (s *Store) Sections(ctx context.Context) (map[string]Section, error) {
	ss, err := store.FindAll[Section](ctx, s.db.Collection(colSections), bson.D{})
	if err != nil {
		return nil, fmt.Errorf("arenas: unable to read sections: %w", err)
	}
	out := map[string]Section{}
	for _, x := range ss {
		out[x.Kind] = x
	}
	return out, nil
}

// Validate checks a section and trims its text.
func (sec *Section) Validate() error {
	sec.Intro, sec.Contact = strings.TrimSpace(sec.Intro), strings.TrimSpace(sec.Contact)
	var errs FieldErrors
	if !slices.Contains(Kinds, sec.Kind) {
		errs = append(errs, FieldError{Field: "kind", Message: "arenas.error.kind"})
	}
	if utf8.RuneCountInString(sec.Intro) > MaxIntro {
		errs = append(errs, FieldError{Field: "intro", Message: "arenas.error.too_long"})
	}
	if utf8.RuneCountInString(sec.Contact) > MaxShort {
		errs = append(errs, FieldError{Field: "contact", Message: "arenas.error.too_long"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// SaveSection replaces the text of one arena.
func (s *Store) SaveSection(ctx context.Context, sec Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	_, err := s.db.Collection(colSections).ReplaceOne(ctx, bson.D{{Key: "_id", Value: sec.Kind}}, sec,
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("arenas: unable to save section: %w", err)
	}
	return nil
}

// Validate checks an event and trims its text.
func (e *Event) Validate() error {
	e.Title, e.Place, e.Time = contact.OneLine(e.Title), contact.OneLine(e.Place), contact.OneLine(e.Time)
	e.Description = strings.TrimSpace(e.Description)
	var errs FieldErrors
	add := func(f, m string) { errs = append(errs, FieldError{Field: f, Message: m}) }
	if !slices.Contains(Kinds, e.Kind) {
		add("kind", "arenas.error.kind")
	}
	if e.Title == "" || utf8.RuneCountInString(e.Title) > MaxShort {
		add("title", "arenas.error.title")
	}
	if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
		add("date", "arenas.error.date")
	}
	if e.Place == "" || utf8.RuneCountInString(e.Place) > MaxShort {
		add("place", "arenas.error.place")
	}
	if utf8.RuneCountInString(e.Time) > 50 || utf8.RuneCountInString(e.Description) > MaxIntro {
		add("description", "arenas.error.too_long")
	}
	if e.Capacity < 0 || e.Capacity > 10000 {
		add("capacity", "arenas.error.capacity")
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// AddEvent stores a new event, with e.ID when it is set (from NewID) or
// a new id.
func (s *Store) AddEvent(ctx context.Context, e *Event, now time.Time) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.ID == "" {
		e.ID = newID()
	}
	e.Created = now.UTC()
	if _, err := s.db.Collection(colEvents).InsertOne(ctx, e); err != nil {
		return fmt.Errorf("arenas: unable to add event: %w", err)
	}
	return nil
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, id string) (Event, error) {
	var e Event
	err := s.db.Collection(colEvents).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&e)
	if store.IsNotFound(err) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, fmt.Errorf("arenas: unable to read event: %w", err)
	}
	return e, nil
}

// Events returns the events on or after the local date from, soonest first.
func (s *Store) Events(ctx context.Context, from string) ([]Event, error) {
	es, err := store.FindAll[Event](ctx, s.db.Collection(colEvents), bson.D{{Key: "date", Value: bson.D{{Key: "$gte", Value: from}}}})
	if err != nil {
		return nil, fmt.Errorf("arenas: unable to list events: %w", err)
	}
	slices.SortFunc(es, func(a, b Event) int { return strings.Compare(a.Date+a.Time, b.Date+b.Time) })
	return es, nil
}

// RemoveEvent deletes an event and everyone signed up for it.
func (s *Store) RemoveEvent(ctx context.Context, id string) error {
	if _, err := s.db.Collection(colSignUps).DeleteMany(ctx, bson.D{{Key: "event", Value: id}}); err != nil {
		return fmt.Errorf("arenas: unable to delete sign-ups: %w", err)
	}
	res, err := s.db.Collection(colEvents).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("arenas: unable to delete event: %w", err)
	}
	if res.DeletedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// NewID returns a new event id, for a caller that must name the event
// before adding it (the audit entry written first).
func NewID() string { return newID() }

func newID() string { return random.Hex(12) }

func derived(kind, s string) string {
	sum := sha256.Sum256([]byte("stemme-arenas\x00" + kind + "\x00" + s))
	return hex.EncodeToString(sum[:12])
}

func (s *Store) open(u SignUp) (Person, error) {
	var p Person
	plain, err := s.seal.Open(u.Sealed, u.ID)
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(plain, &p)
}

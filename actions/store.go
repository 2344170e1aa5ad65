package actions

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Collections: actions are few (tens to hundreds per municipality), so
// lists read them whole; notes are one insert-only document each.
const (
	colActions = "actions"
	colNotes   = "action_notes"
)

// Store reads and writes actions and their notes.
type Store struct {
	db *mongo.Database
	// actionLocks is the process's table (see below); it only spares the
	// embedded store's non-atomic updates. Tests give a Store a table of
	// its own to play a second instance.
	actionLocks *store.KeyedMutex
	// beforeSharedWrite, when set, runs between the read of an action and
	// its conditional write: tests let a second instance act exactly there.
	beforeSharedWrite func(id string)
}

// NewStore returns an action store on db.
func NewStore(db *mongo.Database) *Store { return &Store{db: db, actionLocks: &actionLocks} }

// actionLocks serializes changes of one action document across every Store
// of the process: the embedded store's updates of a document are not atomic.
var actionLocks store.KeyedMutex

// Indexes lists the indexes the action domain needs.
func Indexes() []store.Index {
	return []store.Index{{Collection: colNotes, Keys: bson.D{{Key: "action", Value: 1}, {Key: "at", Value: 1}}}}
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// Insert validates and stores a new action, keeping a.ID when it is set
// (from NewID) or giving it one.
func (s *Store) Insert(ctx context.Context, a *Action, now time.Time) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.ID == "" {
		a.ID = newID()
	}
	a.Created, a.Updated = now.UTC(), now.UTC()
	if _, err := s.db.Collection(colActions).InsertOne(ctx, a); err != nil {
		return fmt.Errorf("actions: unable to insert action: %w", err)
	}
	return nil
}

// Get returns one action, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id string) (*Action, error) {
	var a Action
	err := s.db.Collection(colActions).FindOne(ctx, byID(id)).Decode(&a)
	if store.IsNotFound(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("actions: unable to read action %s: %w", id, err)
	}
	return &a, nil
}

// List returns every action by focus area, then title.
func (s *Store) List(ctx context.Context) ([]Action, error) {
	as, err := store.FindAll[Action](ctx, s.db.Collection(colActions), bson.D{},
		options.Find().SetSort(bson.D{{Key: "focus_area", Value: 1}, {Key: "title", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("actions: unable to list actions: %w", err)
	}
	return as, nil
}

// ForWave lists the actions linked to at least one finding of a wave, for
// the council's view of that wave's results and the public results page.
func (s *Store) ForWave(ctx context.Context, wave string) ([]Action, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Action
	for _, a := range all {
		if slices.ContainsFunc(a.Findings, func(f Finding) bool { return f.Wave == wave }) {
			out = append(out, a)
		}
	}
	return out, nil
}

// Overdue lists the open actions past their period in year.
func (s *Store) Overdue(ctx context.Context, year int) ([]Action, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []Action
	for _, a := range all {
		if a.Overdue(year) {
			out = append(out, a)
		}
	}
	return out, nil
}

// Update replaces an action's editable fields (not its findings).
func (s *Store) Update(ctx context.Context, a *Action, now time.Time) error {
	if err := a.Validate(); err != nil {
		return err
	}
	defer s.actionLocks.Lock(a.ID)()
	res, err := s.db.Collection(colActions).UpdateOne(ctx, byID(a.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "title", Value: a.Title}, {Key: "description", Value: a.Description},
		{Key: "focus_area", Value: a.FocusArea}, {Key: "units", Value: a.Units},
		{Key: "owner", Value: a.Owner}, {Key: "owner_user", Value: a.OwnerUser},
		{Key: "period", Value: a.Period}, {Key: "status", Value: a.Status}, {Key: "updated", Value: now.UTC()},
	}}})
	if err != nil {
		return fmt.Errorf("actions: unable to update action %s: %w", a.ID, err)
	}
	if res.MatchedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// SetStatus changes only an action's status: what its owner and the
// leaders of its units may do.
func (s *Store) SetStatus(ctx context.Context, id string, status Status, now time.Time) error {
	if err := status.Check(); err != nil {
		return err
	}
	defer s.actionLocks.Lock(id)()
	res, err := s.db.Collection(colActions).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: status}, {Key: "updated", Value: now.UTC()}}}})
	if err != nil {
		return fmt.Errorf("actions: unable to set the status of %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// AddFinding links a finding to an action; linking the same finding twice
// keeps the first (and its value at that time). Findings are only ever
// appended, so their number is the list's version: the push names it, and
// when another instance linked one meanwhile, the list is read again.
func (s *Store) AddFinding(ctx context.Context, id string, f Finding, now time.Time) error {
	defer s.actionLocks.Lock(id)()
	f.Linked = now.UTC()
	for range 5 {
		a, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(a.Findings, func(g Finding) bool { return g.Key() == f.Key() }) {
			return nil
		}
		if s.beforeSharedWrite != nil {
			s.beforeSharedWrite(id)
		}
		res, err := s.db.Collection(colActions).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "findings." + strconv.Itoa(len(a.Findings)), Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "$push", Value: bson.D{{Key: "findings", Value: f}}},
				{Key: "$set", Value: bson.D{{Key: "updated", Value: now.UTC()}}}})
		if err != nil {
			return fmt.Errorf("actions: unable to link a finding to %s: %w", id, err)
		}
		if res.MatchedCount == 1 {
			return nil
		}
	}
	return fmt.Errorf("actions: unable to link a finding to %s: its findings kept changing", id)
}

// AddNote stores a dated progress note on an action.
func (s *Store) AddNote(ctx context.Context, action, author, text string, now time.Time) (*Note, error) {
	n := &Note{ID: newID(), Action: action, At: now.UTC(), Author: author, Text: strings.TrimSpace(text)}
	if err := CheckNote(n.Text); err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, action); err != nil {
		return nil, err
	}
	if _, err := s.db.Collection(colNotes).InsertOne(ctx, n); err != nil {
		return nil, fmt.Errorf("actions: unable to add a note to %s: %w", action, err)
	}
	return n, nil
}

// Notes returns an action's notes, oldest first.
func (s *Store) Notes(ctx context.Context, action string) ([]Note, error) {
	ns, err := store.FindAll[Note](ctx, s.db.Collection(colNotes), bson.D{{Key: "action", Value: action}})
	if err != nil {
		return nil, fmt.Errorf("actions: unable to read notes of %s: %w", action, err)
	}
	slices.SortFunc(ns, func(a, b Note) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return ns, nil
}

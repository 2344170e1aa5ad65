package surveys

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Unit kinds. Municipality and sector are levels of the hierarchy; the rest
// are service units (virksomheter). Schools and kindergartens are where
// children and young people who are relatives are met.
const (
	KindMunicipality  = "municipality"
	KindSector        = "sector"
	KindNursingHome   = "nursing_home"
	KindHomeCare      = "home_care"
	KindHousing       = "housing"
	KindRespite       = "respite"
	KindDayCentre     = "day_centre"
	KindHealthStation = "health_station"
	KindSchool        = "school"
	KindKindergarten  = "kindergarten"
)

// UnitKinds lists every kind in the order forms offer them.
var UnitKinds = []string{KindMunicipality, KindSector, KindNursingHome, KindHomeCare, KindHousing,
	KindRespite, KindDayCentre, KindHealthStation, KindSchool, KindKindergarten}

// Unit is a municipality, a sector or a service unit (virksomhet). Units
// are never deleted: a unit that closes is deactivated, and the waves,
// answers and actions that name it keep doing so.
type Unit struct {
	ID     string `bson:"_id"`
	Name   string `bson:"name"`
	Kind   string `bson:"kind"`
	Parent string `bson:"parent,omitempty"`
	Active bool   `bson:"active"`
	// Contact details and hours, shown to relatives on the public overview
	// of units (seed 004: "oversikt over kontaktinformasjon, telefon- og
	// besøkstider").
	Address       string `bson:"address,omitempty"`
	Phone         string `bson:"phone,omitempty"`
	Email         string `bson:"email,omitempty"`
	PhoneHours    string `bson:"phone_hours,omitempty"`
	VisitingHours string `bson:"visiting_hours,omitempty"`
	// Deactivated is the local date the unit was deactivated, if it is.
	Deactivated string `bson:"deactivated,omitempty"`
}

// unitWrites serializes changes to units: each change is checked against
// the whole hierarchy (parents, cycles) before it is written.
var unitWrites sync.Mutex

// InsertUnit stores a new unit as it is, checking only its key; seeding and
// tests use it. Staff changes go through AddUnit, which checks the hierarchy.
func (s *Store) InsertUnit(ctx context.Context, u Unit) error {
	if !ValidKey(u.ID) {
		return fmt.Errorf("surveys: unit id %q is not a valid key", u.ID)
	}
	if _, err := s.db.Collection(colUnits).InsertOne(ctx, u); err != nil {
		return fmt.Errorf("surveys: unable to insert unit %s: %w", u.ID, err)
	}
	return nil
}

// Unit returns one unit.
func (s *Store) Unit(ctx context.Context, id string) (Unit, error) {
	var u Unit
	if err := s.db.Collection(colUnits).FindOne(ctx, byID(id)).Decode(&u); err != nil {
		return Unit{}, fmt.Errorf("surveys: unable to find unit %s: %w", id, err)
	}
	return u, nil
}

// Units lists every unit by name.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	us, err := store.FindAll[Unit](ctx, s.db.Collection(colUnits), bson.D{}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to list units: %w", err)
	}
	return us, nil
}

// ErrNoUnit means there is no unit with the id.
var ErrNoUnit = errors.New("surveys: no such unit")

// AddUnit checks a new unit against the hierarchy and stores it active.
func (s *Store) AddUnit(ctx context.Context, u Unit) error {
	return s.AddUnitWith(ctx, u, nil)
}

// AddUnitWith is AddUnit calling commit just before the unit is stored.
func (s *Store) AddUnitWith(ctx context.Context, u Unit, commit Commit) error {
	unitWrites.Lock()
	defer unitWrites.Unlock()
	all, err := s.Units(ctx)
	if err != nil {
		return err
	}
	NormalizeUnit(&u)
	u.Active, u.Deactivated = true, ""
	if err := CheckUnitChange(all, u, true); err != nil {
		return err
	}
	if err := commit.run(); err != nil {
		return err
	}
	return s.InsertUnit(ctx, u)
}

// UpdateUnit replaces a unit's name, kind, parent and contact details
// after checking the hierarchy; its active state is kept.
func (s *Store) UpdateUnit(ctx context.Context, u Unit) error {
	return s.UpdateUnitWith(ctx, u, nil)
}

// UpdateUnitWith is UpdateUnit calling commit just before the unit is stored.
func (s *Store) UpdateUnitWith(ctx context.Context, u Unit, commit Commit) error {
	NormalizeUnit(&u)
	return s.changeUnit(ctx, u.ID, func(old *Unit) bool {
		u.Active, u.Deactivated = old.Active, old.Deactivated
		*old = u
		return true
	}, commit)
}

// MoveUnit gives a unit a new parent.
func (s *Store) MoveUnit(ctx context.Context, id, parent string) error {
	return s.MoveUnitWith(ctx, id, parent, nil)
}

// MoveUnitWith is MoveUnit calling commit just before the unit is stored.
func (s *Store) MoveUnitWith(ctx context.Context, id, parent string, commit Commit) error {
	return s.changeUnit(ctx, id, func(u *Unit) bool {
		u.Parent = parent
		return true
	}, commit)
}

// SetUnitActive deactivates a unit (on the local date of today) or makes it
// active again. A unit with active units under it cannot be deactivated,
// and one under an inactive parent cannot be reactivated.
func (s *Store) SetUnitActive(ctx context.Context, id string, active bool, today string) error {
	return s.SetUnitActiveWith(ctx, id, active, today, nil)
}

// SetUnitActiveWith is SetUnitActive calling commit just before the unit
// is stored; a unit already in that state is not stored, and commit is
// not called.
func (s *Store) SetUnitActiveWith(ctx context.Context, id string, active bool, today string, commit Commit) error {
	return s.changeUnit(ctx, id, func(u *Unit) bool {
		if active == u.Active {
			return false
		}
		u.Active, u.Deactivated = active, ""
		if !active {
			u.Deactivated = today
		}
		return true
	}, commit)
}

// changeUnit applies change to the stored unit and stores the result if
// the hierarchy allows it, calling commit just before; change returns
// false when there is nothing to do.
func (s *Store) changeUnit(ctx context.Context, id string, change func(*Unit) bool, commit Commit) error {
	unitWrites.Lock()
	defer unitWrites.Unlock()
	all, err := s.Units(ctx)
	if err != nil {
		return err
	}
	u, ok := findUnit(all, id)
	if !ok {
		return ErrNoUnit
	}
	if !change(&u) {
		return nil
	}
	if err := CheckUnitChange(all, u, false); err != nil {
		return err
	}
	if err := commit.run(); err != nil {
		return err
	}
	return s.replaceUnit(ctx, u)
}

func (s *Store) replaceUnit(ctx context.Context, u Unit) error {
	res, err := s.db.Collection(colUnits).ReplaceOne(ctx, byID(u.ID), u)
	if err != nil {
		return fmt.Errorf("surveys: unable to save unit %s: %w", u.ID, err)
	}
	if res.MatchedCount == 0 {
		return ErrNoUnit
	}
	return nil
}

func findUnit(all []Unit, id string) (Unit, bool) {
	for _, u := range all {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

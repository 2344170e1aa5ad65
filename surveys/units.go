package surveys

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Unit kinds. Municipality and sector are levels of the hierarchy; the rest are service units.
const (
	KindMunicipality  = "municipality"
	KindSector        = "sector"
	KindNursingHome   = "nursing_home"
	KindHomeCare      = "home_care"
	KindHousing       = "housing"
	KindRespite       = "respite"
	KindDayCentre     = "day_centre"
	KindHealthStation = "health_station"
)

// Unit is a municipality, a sector or a service unit (virksomhet).
type Unit struct {
	ID     string `bson:"_id"`
	Name   string `bson:"name"`
	Kind   string `bson:"kind"`
	Parent string `bson:"parent,omitempty"`
	Active bool   `bson:"active"`
}

// InsertUnit stores a new unit.
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

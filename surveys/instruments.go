package surveys

import (
	"context"
	"fmt"
	"sync"
)

// InsertInstrument stores a valid instrument version; an existing version is
// never overwritten. A draft may lack translations; a published version may not.
func (s *Store) InsertInstrument(ctx context.Context, in *Instrument) error {
	validate := in.Validate
	if in.Status != InstrumentPublished {
		validate = in.ValidateDraft
	}
	if err := validate(); err != nil {
		return fmt.Errorf("surveys: instrument %s is not valid: %w", in.Key, err)
	}
	in.ID = InstrumentID(in.Key, in.Version)
	if _, err := s.db.Collection(colInstruments).InsertOne(ctx, in); err != nil {
		return fmt.Errorf("surveys: unable to insert instrument %s: %w", in.ID, err)
	}
	return nil
}

// Instrument returns one instrument version by id ("key@version").
// Published versions never change, so they are read once per process and
// database (a version with nine languages takes the embedded store a
// noticeable time to decode); callers must not modify what they get.
func (s *Store) Instrument(ctx context.Context, id string) (*Instrument, error) {
	key := s.db.Name() + "\x00" + id
	if in, ok := published.Load(key); ok {
		return in.(*Instrument), nil
	}
	var in Instrument
	if err := s.db.Collection(colInstruments).FindOne(ctx, byID(id)).Decode(&in); err != nil {
		return nil, fmt.Errorf("surveys: unable to find instrument %s: %w", id, err)
	}
	if in.Status == InstrumentPublished {
		published.Store(key, &in)
	}
	return &in, nil
}

// published caches published instrument versions by database and id.
var published sync.Map

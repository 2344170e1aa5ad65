package surveys

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// An XLSForm uploaded in the browser is read and checked first; the
// advisor sees every problem and warning, and only a confirmation makes it
// a draft. Between the two the instrument waits here, under a random id,
// for the advisor who uploaded it: the file need not travel twice, and a
// form of any size fits (a hidden field would not).

const (
	colImports = "instrument_imports"
	// importTTL is how long an unconfirmed import waits.
	importTTL = 24 * time.Hour
)

type pendingImport struct {
	ID         string     `bson:"_id"`
	By         string     `bson:"by"`
	At         time.Time  `bson:"at"`
	Instrument Instrument `bson:"instrument"`
}

// ErrNoSuchImport means the import was confirmed already, has expired or
// belongs to someone else.
var ErrNoSuchImport = store.NotFound("surveys: no such import waiting")

// SaveImport keeps a checked instrument for the staff member by until they
// confirm it, and returns the id to confirm with. Imports older than a day
// are dropped on the way (the collection holds a handful at most).
func (s *Store) SaveImport(ctx context.Context, by string, in *Instrument, now time.Time) (string, error) {
	col := s.db.Collection(colImports)
	if _, err := col.DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: now.Add(-importTTL)}}}}); err != nil {
		return "", fmt.Errorf("surveys: unable to drop old imports: %w", err)
	}
	p := pendingImport{ID: random.Hex(16), By: by, At: now, Instrument: *in}
	if _, err := col.InsertOne(ctx, p); err != nil {
		return "", fmt.Errorf("surveys: unable to keep the import: %w", err)
	}
	return p.ID, nil
}

// TakeImport returns and forgets the instrument kept under id for by.
func (s *Store) TakeImport(ctx context.Context, id, by string, now time.Time) (*Instrument, error) {
	var p pendingImport
	err := s.db.Collection(colImports).FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: id}, {Key: "by", Value: by}}).Decode(&p)
	switch {
	case store.IsNotFound(err):
		return nil, ErrNoSuchImport
	case err != nil:
		return nil, fmt.Errorf("surveys: unable to read the import: %w", err)
	case now.Sub(p.At) > importTTL:
		return nil, ErrNoSuchImport
	}
	in := p.Instrument
	in.ID, in.Status, in.Rev = "", "", 0
	return &in, nil
}

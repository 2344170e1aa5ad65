package branding

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// colBranding holds one document: the logo.
const (
	colBranding = "branding"
	logoID      = "logo"
)

// Store keeps the logo.
type Store struct{ db *mongo.Database }

// NewStore returns the store on db.
func NewStore(db *mongo.Database) *Store { return &Store{db: db} }

type logoDoc struct {
	ID      string    `bson:"_id"`
	Logo    Logo      `bson:"logo"`
	Updated time.Time `bson:"updated"`
	By      string    `bson:"by"`
}

// Logo returns the logo, or ok false when none is uploaded.
func (s *Store) Logo(ctx context.Context) (Logo, bool, error) {
	var d logoDoc
	err := s.db.Collection(colBranding).FindOne(ctx, bson.D{{Key: "_id", Value: logoID}}).Decode(&d)
	if store.IsNotFound(err) {
		return Logo{}, false, nil
	}
	if err != nil {
		return Logo{}, false, fmt.Errorf("branding: unable to read the logo: %w", err)
	}
	return d.Logo, true, nil
}

// SaveLogo replaces the logo.
func (s *Store) SaveLogo(ctx context.Context, l Logo, by string, now time.Time) error {
	_, err := s.db.Collection(colBranding).ReplaceOne(ctx, bson.D{{Key: "_id", Value: logoID}},
		logoDoc{ID: logoID, Logo: l, Updated: now.UTC(), By: by}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("branding: unable to save the logo: %w", err)
	}
	return nil
}

// RemoveLogo removes the logo; pages show the name alone.
func (s *Store) RemoveLogo(ctx context.Context) error {
	if _, err := s.db.Collection(colBranding).DeleteOne(ctx, bson.D{{Key: "_id", Value: logoID}}); err != nil {
		return fmt.Errorf("branding: unable to remove the logo: %w", err)
	}
	return nil
}

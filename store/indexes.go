package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Index is one index a domain package needs.
type Index struct {
	Collection string
	Keys       bson.D
	Unique     bool
}

// EnsureIndexes creates the indexes that do not exist yet; running it again changes nothing.
func EnsureIndexes(ctx context.Context, db *mongo.Database, indexes ...Index) error {
	for _, ix := range indexes {
		model := mongo.IndexModel{Keys: ix.Keys, Options: options.Index().SetUnique(ix.Unique)}
		if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, model); err != nil {
			return fmt.Errorf("store: unable to create index on %s: %w", ix.Collection, err)
		}
	}
	return nil
}

// IsDuplicate reports whether err is a unique-key violation.
func IsDuplicate(err error) bool {
	return err != nil && mongo.IsDuplicateKeyError(err)
}

// FindAll returns every document matching filter, decoded as T.
func FindAll[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, err
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, err
	}
	return out, nil
}

package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ReshuffleSteps exposes Reshuffle's first two steps, for tests that stop
// it half-way.
func ReshuffleSteps(db *mongo.Database, collection, name string, filter bson.D) (stage, restore func(context.Context) error) {
	r := reshuffle{db: db, col: db.Collection(collection), staging: db.Collection(collection + "_reshuffle"),
		states: db.Collection("reshuffles"), id: collection + "/" + name, name: name, filter: filter}
	return r.stage, r.restore
}

// InterruptMigration makes a migration write batches of size documents
// and stop with err at the step named stop ("staged", "batch put back",
// "restored"), for tests; the returned function undoes it.
func InterruptMigration(size int, stop string, err error) (undo func()) {
	migrationBatch = size
	migrationStep = func(step string) error {
		if step == stop {
			return err
		}
		return nil
	}
	return func() { migrationBatch, migrationStep = 1000, nil }
}

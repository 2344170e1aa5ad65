package staff_test

import (
	"context"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store/storetest"
)

// watchedDB is a fresh database reached through a second client that counts
// the update commands sent for one collection.
func watchedDB(t *testing.T, collection string) (*mongo.Database, func() int64) {
	t.Helper()
	var n atomic.Int64
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName == "update" {
			if c, ok := e.Command.Lookup("update").StringValueOK(); ok && c == collection {
				n.Add(1)
			}
		}
	}}
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.Store(t).URI).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	db := client.Database(storetest.NewName())
	t.Cleanup(func() { _ = db.Drop(context.Background()) })
	return db, n.Load
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// toyMigration turns documents whose v is "old" into v "new", keeping
// their other fields.
func toyMigration() store.Migration {
	return store.Migration{Name: "toy", Collections: []string{"things", "absent"}, Convert: func(raw bson.Raw) (bson.Raw, error) {
		var d bson.D
		if err := bson.Unmarshal(raw, &d); err != nil {
			return nil, err
		}
		for i, e := range d {
			if e.Key == "v" && e.Value == "old" {
				d[i].Value = "new"
				return bson.Marshal(d)
			}
		}
		return nil, nil
	}}
}

// TestMigrateRewritesOnceAndResumes: a migration converts every old
// document, keeps the current ones and the stored order, runs only once,
// and one stopped at any step (as by kill -9) is completed by the next
// run, without losing or doubling a document — through the embedded
// store's staging copy and through MongoDB's replacements alike.
func TestMigrateRewritesOnceAndResumes(t *testing.T) {
	ctx := context.Background()
	const n = 25
	stopped := errors.New("stopped")
	for _, embedded := range []bool{true, false} {
		for _, stop := range []string{"", "convert", "staged", "batch put back", "restored"} {
			if !embedded && stop != "" && stop != "convert" {
				continue
			}
			t.Run(fmt.Sprintf("embedded=%v/stop=%s", embedded, stop), func(t *testing.T) {
				st := *storetest.New(t)
				st.Embedded = embedded
				col := st.DB.Collection("things")
				docs := make([]any, n)
				for i := range docs {
					v := "old"
					if i%3 == 0 {
						v = "new"
					}
					docs[i] = bson.D{{Key: "_id", Value: fmt.Sprintf("d%02d", i)}, {Key: "i", Value: i}, {Key: "v", Value: v}}
				}
				if _, err := col.InsertMany(ctx, docs); err != nil {
					t.Fatal(err)
				}
				if err := store.EnsureIndexes(ctx, st.DB, store.Index{Collection: "things", Keys: bson.D{{Key: "i", Value: 1}}, Unique: true}); err != nil {
					t.Fatal(err)
				}
				m := toyMigration()
				if stop != "" {
					undo := store.InterruptMigration(4, stop, stopped)
					if stop == "convert" {
						convert, seen := m.Convert, 0
						m.Convert = func(raw bson.Raw) (bson.Raw, error) {
							if seen++; seen > n/2 {
								return nil, stopped
							}
							return convert(raw)
						}
					}
					err := st.Migrate(ctx, nil, m)
					undo()
					if !errors.Is(err, stopped) {
						t.Fatalf("interrupted run: %v", err)
					}
					m = toyMigration()
				}
				if err := st.Migrate(ctx, nil, m); err != nil {
					t.Fatal(err)
				}
				got, err := store.FindAll[struct {
					ID string `bson:"_id"`
					I  int    `bson:"i"`
					V  string `bson:"v"`
				}](ctx, col, bson.D{})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != n {
					t.Fatalf("%d documents after the migration, want %d", len(got), n)
				}
				for k, d := range got {
					if d.V != "new" || d.ID != fmt.Sprintf("d%02d", d.I) {
						t.Errorf("document %+v not migrated", d)
					}
					if embedded && d.I != k {
						t.Errorf("stored order changed: %d at %d", d.I, k)
					}
				}
				specs, err := col.Indexes().ListSpecifications(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(specs, func(s mongo.IndexSpecification) bool {
					return s.Name == "i_1" && s.Unique != nil && *s.Unique
				}) {
					t.Errorf("the unique index is gone after the migration: %+v", specs)
				}
				for _, c := range []string{"things_migration", "absent_migration"} {
					if left, _ := st.DB.Collection(c).CountDocuments(ctx, bson.D{}); left != 0 {
						t.Errorf("%d documents left in %s", left, c)
					}
				}
				// Done once: a document put back in the old form stays so.
				if _, err := col.InsertOne(ctx, bson.D{{Key: "_id", Value: "late"}, {Key: "v", Value: "old"}}); err != nil {
					t.Fatal(err)
				}
				if err := st.Migrate(ctx, nil, toyMigration()); err != nil {
					t.Fatal(err)
				}
				if err := col.FindOne(ctx, bson.D{{Key: "_id", Value: "late"}, {Key: "v", Value: "old"}}).Err(); err != nil {
					t.Errorf("the migration ran twice: %v", err)
				}
				states, _ := st.DB.Collection("migrations").CountDocuments(ctx, bson.D{})
				if states != 1 {
					t.Errorf("%d migration states, want the one marker", states)
				}
			})
		}
	}
}

package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestFreshDatabasePerTest(t *testing.T) {
	ctx := context.Background()
	a, b := storetest.DB(t), storetest.DB(t)
	if a.Name() == b.Name() {
		t.Fatalf("two tests share database %s", a.Name())
	}
	if _, err := a.Collection("things").InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}, {Key: "n", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	n, err := b.Collection("things").CountDocuments(ctx, bson.D{})
	if err != nil || n != 0 {
		t.Fatalf("second database sees %d documents (err %v), want 0", n, err)
	}
	var got struct{ N int }
	if err := a.Collection("things").FindOne(ctx, bson.D{{Key: "_id", Value: "x"}}).Decode(&got); err != nil || got.N != 1 {
		t.Fatalf("read back %+v, %v", got, err)
	}
}

func TestEnsureIndexesIsIdempotentAndUnique(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	spec := store.Index{Collection: "users", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true}
	for range 2 {
		if err := store.EnsureIndexes(ctx, db, spec); err != nil {
			t.Fatal(err)
		}
	}
	c := db.Collection("users")
	if _, err := c.InsertOne(ctx, bson.M{"email": "a@example.no"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(ctx, bson.M{"email": "a@example.no"}); !store.IsDuplicate(err) {
		t.Fatalf("second insert with the same email: err %v, want a duplicate-key error", err)
	}
}

func TestEmbeddedDataSurvivesReopenAndIsLocked(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Skip("embedded store only")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	cfg := store.Config{DataDir: dir, Database: "reopen"}
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Collection("c").InsertOne(ctx, bson.M{"_id": "kept"}); err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(ctx, cfg)
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "another stemme") {
		t.Fatalf("second open of the same directory: %v, want ErrLocked naming the holder", err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	defer s.Close(ctx)
	if n, _ := s.DB.Collection("c").CountDocuments(ctx, bson.M{"_id": "kept"}); n != 1 {
		t.Fatalf("document after reopen: %d, want 1", n)
	}
}

func TestOpenErrors(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere; use a path below a regular file instead of permissions.
		t.Log("running as root: unwritable directory simulated with a file in the path")
	}
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  store.Config
		want string
	}{
		{"data dir below a file", store.Config{DataDir: filepath.Join(file, "data"), Database: "x"}, "cannot be created"},
		{"unreachable uri", store.Config{URI: "mongodb://user:secret@127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300", Database: "x"}, "cannot reach MongoDB at 127.0.0.1:1"},
		{"malformed uri", store.Config{URI: "postgres://nope", Database: "x"}, "MONGODB_URI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := store.Open(ctx, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("error leaks the password: %v", err)
			}
		})
	}
}

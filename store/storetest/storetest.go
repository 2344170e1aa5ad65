// Package storetest gives tests a real store: one embedded FerretDB per test
// package (or the server named by MONGODB_URI) and a fresh database per test.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

var shared *store.Store

// Main starts the package's store, runs the tests and stops it. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "stemme-store-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	s, err := store.Open(ctx, store.Config{URI: os.Getenv("MONGODB_URI"), DataDir: dir, Database: "unused"})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		return 1
	}
	shared = s
	if os.Getenv("MONGODB_URI") == "" {
		dataDir = dir
	}
	code := m.Run()
	closeCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = s.Close(closeCtx)
	return code
}

// dataDir is the embedded store's data directory, empty with MONGODB_URI.
var dataDir string

// DataDir returns the embedded store's data directory (its databases are
// db/NAME.sqlite), or "" when the tests run against MONGODB_URI.
func DataDir() string { return dataDir }

// Store returns the package's store. Tests must not close it.
func Store(t testing.TB) *store.Store {
	t.Helper()
	if shared == nil {
		t.Fatal("storetest: call storetest.Main from TestMain")
	}
	return shared
}

// DB returns a new, empty database that is dropped when the test ends.
func DB(t testing.TB) *mongo.Database {
	t.Helper()
	return New(t).DB
}

// New returns the package's store bound to a new, empty database that is
// dropped when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	s := Store(t).WithDatabase(NewName())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.DB.Drop(ctx)
		// The invitation codes' database (surveys.CodesDB).
		_ = s.DB.Client().Database(s.DB.Name() + "_codes").Drop(ctx)
	})
	return s
}

// NewName returns a database name that no other test uses.
func NewName() string {
	return "test_" + random.Hex(6)
}

// SecondClient returns db through a client of its own (its own connection
// pool), as a second server instance would reach it; the client is closed
// when the test ends.
func SecondClient(t testing.TB, db *mongo.Database) *mongo.Database {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(Store(t).URI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client.Database(db.Name())
}

// OnFerretDB reports whether the tests run on FerretDB (embedded, or named
// by MONGODB_URI), whose buildInfo names its own version. FerretDB v1 does
// not apply a conditional update atomically: two instances with lock
// tables of their own can both win one (docs/SCALING.md).
func OnFerretDB(t testing.TB) bool {
	t.Helper()
	var info bson.M
	err := Store(t).DB.RunCommand(context.Background(), bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info)
	if err != nil {
		t.Fatal(err)
	}
	_, ok := info["ferretdbVersion"]
	return ok
}

// RaceForOne runs op from n goroutines at once (i is the goroutine's
// number, to pick an instance by) and fails the test unless exactly one
// returns nil and every other returns an error matching lost.
func RaceForOne(t testing.TB, n int, lost error, op func(i int) error) {
	t.Helper()
	var wins, losses atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			switch err := op(i); {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, lost):
				losses.Add(1)
			default:
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if wins.Load() != 1 || int(losses.Load()) != n-1 {
		t.Fatalf("%d won and %d lost of %d racers, want exactly one winner", wins.Load(), losses.Load(), n)
	}
}

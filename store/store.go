// Package store opens the database: an embedded FerretDB (SQLite under the
// data directory) when no MONGODB_URI is given, or a MongoDB server when it is.
// Everything above this package uses the same mongo-driver code path for both.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// Config says which store to open.
type Config struct {
	// URI of a MongoDB server; empty starts the embedded store.
	URI string
	// DataDir holds the embedded store's files and its lock file.
	DataDir string
	// Database is the name of the database to use.
	Database string
	// Logger receives the store's warnings; nil discards them.
	Logger *slog.Logger
}

// Store is an open database.
type Store struct {
	Client *mongo.Client
	DB     *mongo.Database
	// Embedded is true when the store runs inside this process.
	Embedded bool
	// URI is where the store answers; for tests and tools that need a second client.
	URI string

	stopEmbedded func()
	lock         *Lock
	// borrowed handles share another Store's connection and never close it.
	borrowed bool
}

// Open connects to MONGODB_URI or starts the embedded store, and waits until it answers.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Database == "" {
		return nil, errors.New("store: database name is empty")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.URI != "" {
		return openRemote(ctx, cfg)
	}
	return openEmbedded(ctx, cfg)
}

// authenticationFailed is the server's error code for a refused login.
const authenticationFailed = 18

func openRemote(ctx context.Context, cfg Config) (*Store, error) {
	hosts := redactedHosts(cfg.URI)
	opts := options.Client().
		SetServerSelectionTimeout(10 * time.Second).
		SetWriteConcern(writeconcern.Majority()).
		ApplyURI(cfg.URI)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("store: MONGODB_URI %s is not usable: %w", hosts, err)
	}
	if err := client.Ping(ctx, readpref.Primary()); err != nil {
		_ = client.Disconnect(context.Background())
		// The server was reached but refused the login: saying it could
		// not be reached would send an operator to the network, not the password.
		if ce := (mongo.CommandError{}); errors.As(err, &ce) && ce.Code == authenticationFailed {
			return nil, fmt.Errorf("store: MongoDB at %s refused the user and password in MONGODB_URI (check them and authSource): %w", hosts, errors.Unwrap(err))
		}
		return nil, fmt.Errorf("store: cannot reach MongoDB at %s (MONGODB_URI): %w", hosts, errors.Unwrap(err))
	}
	return &Store{Client: client, DB: client.Database(cfg.Database), URI: cfg.URI}, nil
}

func openEmbedded(ctx context.Context, cfg Config) (*Store, error) {
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("store: data directory %s: %w", cfg.DataDir, err)
	}
	if err := ensureWritableDir(dir); err != nil {
		return nil, err
	}
	lock, err := AcquireLock(dir)
	if err != nil {
		return nil, err
	}
	dbDir := filepath.Join(dir, "db")
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		lock.Release()
		return nil, fmt.Errorf("store: cannot create %s: %w", dbDir, err)
	}
	s, err := startFerret(ctx, dbDir, cfg)
	if err != nil {
		lock.Release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// startFerret runs FerretDB on a free loopback port over SQLite files in dir.
func startFerret(ctx context.Context, dir string, cfg Config) (*Store, error) {
	// FerretDB logs every connection with its addresses at INFO, and warns
	// about the driver's routine endSessions at every disconnect: keep errors only.
	logger := slog.New(levelFilter{min: slog.LevelError, next: cfg.Logger.Handler()})
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:   logger,
		Handler:  "sqlite",
		// Every commit reaches the disk before the write is acknowledged.
		// Deleted rows are overwritten with zeros (secure_delete), and the
		// write-ahead log is cut back after each checkpoint: an answer taken
		// from the inbox, or withdrawn, leaves no copy behind in the files
		// for long (docs/PRIVACY.md).
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/",
			RawQuery: "_pragma=synchronous(full)&_pragma=secure_delete(on)&_pragma=journal_size_limit(0)"}).String(),
	})
	if err != nil {
		return nil, fmt.Errorf("store: cannot start the embedded store in %s: %w", dir, err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(runCtx)
	}()
	stop := func() { cancel(); <-done }

	uri := f.MongoDBURI()
	client, err := mongo.Connect(options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(10 * time.Second))
	if err == nil {
		err = client.Ping(ctx, readpref.Primary())
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("store: the embedded store did not answer: %w", err)
	}
	return &Store{Client: client, DB: client.Database(cfg.Database), Embedded: true, URI: uri, stopEmbedded: stop}, nil
}

// WithDatabase returns a handle on another database of the same connection.
// Closing it is not allowed; close the original.
func (s *Store) WithDatabase(name string) *Store {
	return &Store{Client: s.Client, DB: s.Client.Database(name), Embedded: s.Embedded, URI: s.URI, borrowed: true}
}

// Ready reports whether the store answers within the context's deadline.
func (s *Store) Ready(ctx context.Context) error {
	return s.Client.Ping(ctx, readpref.Primary())
}

// Close disconnects, stops the embedded store and releases the data directory.
func (s *Store) Close(ctx context.Context) error {
	if s.borrowed {
		return nil
	}
	err := s.Client.Disconnect(ctx)
	if s.stopEmbedded != nil {
		s.stopEmbedded()
	}
	if s.lock != nil {
		s.lock.Release()
	}
	return err
}

func ensureWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store: data directory %s cannot be created: %w", dir, unwrapPath(err))
	}
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("store: data directory %s is not writable: %w", dir, unwrapPath(err))
	}
	name := probe.Name()
	_ = probe.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// redactedHosts names the hosts of a MongoDB URI without its credentials or options.
func redactedHosts(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		if i := strings.Index(uri, "@"); i >= 0 {
			return "(credentials hidden)" + uri[i+1:]
		}
		return "(unparseable URI)"
	}
	return u.Host
}

// levelFilter drops records below min before they reach next. Attributes
// and groups are applied to next only when a record passes: FerretDB adds
// every SQL statement's arguments (whole documents) to its logger before
// logging the statement at debug level, and a text or JSON handler formats
// attributes as soon as they are added — a few percent of every write's
// CPU time for records that are then dropped.
type levelFilter struct {
	min  slog.Level
	next slog.Handler
	// pending are WithAttrs and WithGroup calls not yet applied to next.
	pending []func(slog.Handler) slog.Handler
}

func (h levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.next.Enabled(ctx, l)
}

func (h levelFilter) Handle(ctx context.Context, r slog.Record) error {
	next := h.next
	for _, apply := range h.pending {
		next = apply(next)
	}
	return next.Handle(ctx, r)
}

func (h levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return h.with(func(next slog.Handler) slog.Handler { return next.WithAttrs(a) })
}

func (h levelFilter) WithGroup(name string) slog.Handler {
	return h.with(func(next slog.Handler) slog.Handler { return next.WithGroup(name) })
}

func (h levelFilter) with(apply func(slog.Handler) slog.Handler) slog.Handler {
	return levelFilter{min: h.min, next: h.next, pending: append(slices.Clip(h.pending), apply)}
}

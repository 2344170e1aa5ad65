package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/stemme/stemme/store"
)

// withStore opens the store a command works on (indexes ensured, see
// openStore), runs do with it and closes it, so that no command opens it
// differently or forgets to close it.
func withStore(ctx context.Context, cfg config, do func(st *store.Store) error) error {
	st, err := openStore(ctx, cfg, newLogger())
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	return do(st)
}

// storeCommand is a command that needs nothing but its flags (loadConfig)
// before the store is opened: it parses them and runs do with the store.
func storeCommand(ctx context.Context, name string, args []string, out io.Writer, flags func(*flag.FlagSet),
	do func(cfg config, st *store.Store) error) error {
	cfg, err := loadConfig(name, args, out, flags)
	if err != nil {
		return err
	}
	return withStore(ctx, cfg, func(st *store.Store) error { return do(cfg, st) })
}

// whileServing adds to the error of a store held by the running server
// where the same work is done in its pages (what, a sentence after
// "while the server runs, "); any other error is returned as it is.
func whileServing(err error, what string) error {
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w; while the server runs, %s", err, what)
	}
	return err
}

// flushInbox counts the answers still waiting in the inbox, so that what
// a command reads next (a comparison, an export) holds every accepted answer.
func flushInbox(ctx context.Context, st *store.Store) error {
	tallier := newTallier(st)
	stop := tallier.Start()
	defer stop()
	return tallier.Flush(ctx)
}

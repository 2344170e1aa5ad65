package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stemme/stemme/store"
)

// runBackup copies the embedded store, consistently, while the server runs.
func runBackup(ctx context.Context, args []string, out io.Writer) error {
	dir, args, err := dirArgument("backup", args)
	if err != nil {
		return err
	}
	cfg, err := loadConfig("backup", args, out, nil)
	if err != nil {
		return err
	}
	if cfg.MongoURI != "" {
		return store.ErrRemoteBackup
	}
	began := time.Now()
	files, err := store.Backup(ctx, cfg.DataDir, dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(out, f)
	}
	fmt.Fprintf(out, "Backed up %d database(s) in %s.\n", len(files), time.Since(began).Round(time.Millisecond))
	return nil
}

// runRestore puts a backup in place of the embedded store; the server must be stopped.
func runRestore(ctx context.Context, args []string, out io.Writer) error {
	dir, args, err := dirArgument("restore", args)
	if err != nil {
		return err
	}
	cfg, err := loadConfig("restore", args, out, nil)
	if err != nil {
		return err
	}
	if cfg.MongoURI != "" {
		return errors.New("with MONGODB_URI, restore MongoDB with mongorestore (see the README)")
	}
	kept, err := store.Restore(cfg.DataDir, dir, time.Now())
	if err != nil {
		return err
	}
	if kept != "" {
		fmt.Fprintf(out, "The databases that were there are kept in %s.\n", kept)
	}
	fmt.Fprintf(out, "Restored %s into %s. Start the server as usual.\n", dir, cfg.DataDir)
	return nil
}

// dirArgument takes the directory that comes first, before any flags.
func dirArgument(cmd string, args []string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, usageError{fmt.Errorf("%s needs a directory: stemme %s DIR", cmd, cmd)}
	}
	return args[0], args[1:], nil
}

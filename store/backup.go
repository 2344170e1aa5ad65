package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB uses; backups read its files directly
)

// Backup writes a consistent copy of the embedded store's databases in
// dataDir into dir, while a server may be running on them: each SQLite
// file is copied with VACUUM INTO, which reads one snapshot in a read
// transaction, so concurrent writes are either wholly in the copy or not
// at all. It returns the files written.
func Backup(ctx context.Context, dataDir, dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dataDir, "db", "*.sqlite"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("store: no embedded database in %s", filepath.Join(dataDir, "db"))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: cannot create %s: %w", dir, err)
	}
	var written []string
	for _, src := range files {
		dst := filepath.Join(dir, filepath.Base(src))
		if _, err := os.Stat(dst); err == nil {
			return written, fmt.Errorf("store: %s exists already; back up into an empty directory", dst)
		}
		if err := vacuumInto(ctx, src, dst); err != nil {
			return written, err
		}
		written = append(written, dst)
	}
	return written, nil
}

func vacuumInto(ctx context.Context, src, dst string) error {
	// Read-write open (not mode=ro) so SQLite can take part in the WAL
	// protocol; nothing is written to src.
	u := url.URL{Scheme: "file", Path: src, RawQuery: "_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("store: cannot open %s: %w", src, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("store: cannot back up %s: %w", src, err)
	}
	return nil
}

// Restore replaces the embedded store in dataDir with a backup from dir.
// No server may run on dataDir (its lock is taken for the duration). The
// databases replaced are kept in db.before-restore-<time> beside them.
func Restore(dataDir, dir string, now time.Time) (kept string, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil {
		return "", err
	}
	if len(files) == 0 {
		return "", fmt.Errorf("store: no backup (*.sqlite) in %s", dir)
	}
	for _, f := range files {
		if err := checkSQLite(f); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	lock, err := AcquireLock(dataDir)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	dbDir := filepath.Join(dataDir, "db")
	if _, err := os.Stat(dbDir); err == nil {
		kept = filepath.Join(dataDir, "db.before-restore-"+now.UTC().Format("20060102T150405Z"))
		if err := os.Rename(dbDir, kept); err != nil {
			return "", fmt.Errorf("store: cannot move the current databases aside: %w", err)
		}
	}
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		return kept, err
	}
	for _, f := range files {
		if err := copyFile(f, filepath.Join(dbDir, filepath.Base(f))); err != nil {
			return kept, err
		}
	}
	return kept, nil
}

// checkSQLite refuses a file that is not an SQLite database.
func checkSQLite(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil || !strings.HasPrefix(string(head), "SQLite format 3") {
		return fmt.Errorf("store: %s is not an SQLite database", path)
	}
	return nil
}

func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("store: cannot copy %s: %w", src, err)
	}
	return out.Sync()
}

// ErrRemoteBackup means the store is a MongoDB server: back it up with its own tools.
var ErrRemoteBackup = errors.New("store: with MONGODB_URI, back up MongoDB with mongodump (see the README)")

package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// TestDeletedDocumentsLeaveNoCopyInTheFiles: an answer taken out of the
// inbox (or withdrawn) must not stay readable in the database files, where
// a copy of the data directory would find it next to what was written
// around it. The text is found in the files while the document exists (so
// the search works), and not after it is deleted and the write-ahead log
// checkpointed.
func TestDeletedDocumentsLeaveNoCopyInTheFiles(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Skip("embedded store only")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	s, err := store.Open(ctx, store.Config{DataDir: dir, Database: "erase"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	marker := []byte("Fru Hansen på rom 12 svarte dette-7f3a9c")
	col := s.DB.Collection("response_inbox")
	for i := range 20 { // neighbours that stay
		if _, err := col.InsertOne(ctx, bson.M{"_id": i, "text": "annet svar"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := col.InsertOne(ctx, bson.M{"_id": "x", "text": string(marker)}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "db", "erase.sqlite")
	checkpoint(t, file)
	if !inFiles(t, filepath.Join(dir, "db"), marker) {
		t.Fatal("the text is not in the files even while stored: the search proves nothing")
	}
	if _, err := col.DeleteOne(ctx, bson.M{"_id": "x"}); err != nil {
		t.Fatal(err)
	}
	checkpoint(t, file)
	if inFiles(t, filepath.Join(dir, "db"), marker) {
		t.Error("a deleted document is still readable in the database files")
	}
}

// checkpoint copies the write-ahead log into the database file and cuts it
// back, as SQLite does on its own every thousand pages.
func checkpoint(t *testing.T, file string) {
	t.Helper()
	u := url.URL{Scheme: "file", Path: file, RawQuery: "_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
}

func inFiles(t *testing.T, dir string, needle []byte) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		if bytes.Contains(b, needle) {
			return true
		}
	}
	return false
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

// unreachableAuditEnv, set to 1 in the environment of a command that
// stemme runs, gives the command an audit log it cannot write: the same
// store, reached through a second client that has been disconnected, as
// ops' own tests do. Everything else the command does works as usual.
const unreachableAuditEnv = "STEMME_TEST_AUDIT_UNREACHABLE"

func init() {
	if os.Getenv(unreachableAuditEnv) == "1" {
		auditLogOf = unreachableAuditLog
	}
}

func unreachableAuditLog(st *store.Store) *staff.Store {
	client, err := mongo.Connect(options.Client().ApplyURI(st.URI))
	if err != nil {
		panic(err)
	}
	if err := client.Disconnect(context.Background()); err != nil {
		panic(err)
	}
	return staff.NewStore(client.Database(st.DB.Name()))
}

// failsWithoutAuditLog runs args with an audit log that cannot be written
// and fails the test unless the command exits 1 with the audit log's
// error and each of the read-only command lines in unchanged prints the
// same before and after it.
func failsWithoutAuditLog(t *testing.T, env []string, unchanged [][]string, args ...string) {
	t.Helper()
	show := func() []string {
		var outs []string
		for _, c := range unchanged {
			code, out, errOut := stemme(t, env, c...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", c, code, errOut)
			}
			outs = append(outs, out)
		}
		return outs
	}
	before := show()
	withoutAuditLog(t, env, args...)
	for i, after := range show() {
		if after != before[i] {
			t.Fatalf("%v changed what %v shows though its audit entry could not be written:\nbefore:\n%s\nafter:\n%s",
				args, unchanged[i], before[i], after)
		}
	}
}

// withoutAuditLog runs args with an audit log that cannot be written,
// fails the test unless the command exits 1 with the audit log's error,
// and returns what it wrote to standard output.
func withoutAuditLog(t *testing.T, env []string, args ...string) (stdout string) {
	t.Helper()
	code, out, errOut := stemme(t, append([]string{unreachableAuditEnv + "=1"}, env...), args...)
	if code != 1 || !strings.Contains(errOut, "unable to write audit entry") {
		t.Fatalf("%v with the audit log unreachable: exit %d, want 1 naming the audit log\nstdout: %s\nstderr: %s", args, code, out, errOut)
	}
	return out
}

// TestUserCommandsChangeNothingWithoutTheirEntry: neither a new user nor
// a reset (its second factor removed, a password link issued) happens
// when the audit log cannot be written.
func TestUserCommandsChangeNothingWithoutTheirEntry(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + dir, "STEMME_DEMO=false"}
	if code, _, errOut := stemme(t, env, "user", "add", "--email", "admin@kommune.no", "--name", "A", "--role", "admin"); code != 0 {
		t.Fatal(errOut)
	}
	failsWithoutAuditLog(t, env, [][]string{{"user", "list"}},
		"user", "add", "--email", "ny@kommune.no", "--name", "Ny", "--role", "advisor")

	ctx := context.Background()
	open := func() *store.Store {
		st, err := store.Open(ctx, store.Config{DataDir: dir, Database: "stemme"})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	users := staff.NewStore(st.DB)
	u, err := users.UserByEmail(ctx, "admin@kommune.no")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = st.DB.Collection("users").UpdateOne(ctx, bson.D{{Key: "_id", Value: u.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "totp", Value: staff.TOTP{Secret: []byte("sealed"), Enabled: time.Now()}}}}})
	_ = st.Close(ctx)

	failsWithoutAuditLog(t, env, nil, "user", "reset", "--2fa", "--email", "admin@kommune.no")
	st = open()
	defer st.Close(ctx)
	if u, _ := staff.NewStore(st.DB).User(ctx, u.ID); !u.HasTOTP() {
		t.Error("the second factor was removed though its audit entry could not be written")
	}
	if n, _ := st.DB.Collection("password_links").CountDocuments(ctx, bson.D{}); n != 1 {
		t.Errorf("%d password links, want only the one of user add", n)
	}
	// The user added with a working audit log is there, by the command line.
	es, err := staff.NewStore(st.DB).AuditLog(ctx, staff.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("audit entries %+v, want the user's creation and its link", es)
	}
	for _, e := range es {
		if e.Actor != cliActor || e.Target != "admin@kommune.no" || strings.Contains(e.Detail, "failed") {
			t.Errorf("entry %+v, want one by %s for admin@kommune.no", e, cliActor)
		}
	}
}

// TestUnitCommandsChangeNothingWithoutTheirEntry: no unit is added,
// moved, deactivated or imported when the audit log cannot be written.
func TestUnitCommandsChangeNothingWithoutTheirEntry(t *testing.T) {
	env := []string{"STEMME_DATA_DIR=" + t.TempDir()}
	header := []string{"Nøkkel", "Navn", "Type", "Overordnet", "Telefon", "E-post", "Besøkstid"}
	tree := writeUnitSheet(t, [][]string{header,
		{"kommune", "Fjordvik kommune", "kommune", "", "", "", ""},
		{"helse", "Helse og omsorg", "sektor", "kommune", "", "", ""},
		{"fjell", "Fjell sykehjem", "sykehjem", "helse", "", "", ""},
	})
	more := writeUnitSheet(t, [][]string{header, {"lia", "Lia", "avlastning", "helse", "", "", ""}})
	if code, _, errOut := stemme(t, env, "unit", "import", tree); code != 0 {
		t.Fatal(errOut)
	}
	list := [][]string{{"unit", "list"}}
	for _, args := range [][]string{
		{"unit", "add", "--id", "lia", "--name", "Lia", "--kind", "avlastning", "--parent", "helse"},
		{"unit", "move", "fjell", "--parent", "kommune"},
		{"unit", "deactivate", "fjell"},
		{"unit", "import", more},
	} {
		failsWithoutAuditLog(t, env, list, args...)
	}
}

// TestPurgeChangesNothingWithoutItsEntry: the demo's case past the
// retention keeps its contact data when the purge cannot be audited.
func TestPurgeChangesNothingWithoutItsEntry(t *testing.T) {
	env := []string{"STEMME_DATA_DIR=" + t.TempDir()}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	failsWithoutAuditLog(t, env, [][]string{{"purge", "--dry-run"}}, "purge")
	if _, out, _ := stemme(t, env, "purge", "--dry-run"); !strings.Contains(out, "of 1 closed case(s)") {
		t.Fatalf("the case past the retention is no longer due:\n%s", out)
	}
}

// TestWaveAndInstrumentCommandsChangeNothingWithoutTheirEntry: a wave is
// not closed or opened, and no instrument imported, when the audit log
// cannot be written.
func TestWaveAndInstrumentCommandsChangeNothingWithoutTheirEntry(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + filepath.Join(dir, "data")}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	open, draft := lastWave(t, env, "", "open"), lastWave(t, env, "", "draft")
	failsWithoutAuditLog(t, env, [][]string{{"wave", "list"}}, "wave", "close", open)
	failsWithoutAuditLog(t, env, [][]string{{"wave", "list"}}, "wave", "open", draft)

	form := filepath.Join(dir, "p.xlsx")
	if code, _, errOut := stemme(t, env, "instrument", "export", "parorende", form); code != 0 {
		t.Fatal(errOut)
	}
	failsWithoutAuditLog(t, env, [][]string{{"instrument", "list"}}, "instrument", "import", form)
}

// TestViewCommandsShowNothingWithoutTheirEntry: an export or a dump of
// answers is in the audit log before any of it is out. With the audit log
// unreachable, "export" and "responses dump --out" leave no file (not even
// a partial one beside it) and "responses dump" writes not one line.
func TestViewCommandsShowNothingWithoutTheirEntry(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + filepath.Join(dir, "data")}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := stemme(t, env, "verify"); code != 0 { // files the seeded answers
		t.Fatalf("verify: exit %d\n%s%s", code, out, errOut)
	}
	closed := lastWave(t, env, "overall", "closed")
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"export", "--wave", closed, filepath.Join(out, "results.xlsx")},
		{"export", "--wave", closed, "--raw", "--format", "csv-raw", filepath.Join(out, "raw.csv")},
		{"responses", "dump", "--wave", closed, "--out", filepath.Join(out, "dump.jsonl")},
		{"responses", "dump", "--wave", closed},
	} {
		if stdout := withoutAuditLog(t, env, args...); strings.Contains(stdout, `"answers"`) {
			t.Errorf("%v wrote answers to standard output though its entry could not be written:\n%.300s", args, stdout)
		}
		left, _ := os.ReadDir(out)
		for _, f := range left {
			t.Errorf("%v left %s though its entry could not be written", args, f.Name())
			_ = os.Remove(filepath.Join(out, f.Name())) // so the next command is judged alone
		}
	}
	// The same commands with the audit log in reach put the data out.
	if code, stdout, errOut := stemme(t, env, "responses", "dump", "--wave", closed); code != 0 || !strings.Contains(stdout, `"answers"`) {
		t.Fatalf("dump with the audit log in reach: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := stemme(t, env, "export", "--wave", closed, filepath.Join(out, "results.xlsx")); code != 0 {
		t.Fatalf("export with the audit log in reach: exit %d\n%s", code, errOut)
	}
}

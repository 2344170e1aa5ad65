package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// TestInvitationsCannotBeJoinedToAnswers plays someone who holds the
// mail-merge list of invitation codes and a copy of the database (a backup,
// and the live files with their write-ahead logs): nothing there joins a
// code to an answer. No code, and no unkeyed hash of one, is stored; no
// answer carries a date, a batch or anything of its invitation; the codes
// are not stored in the order of the list, and once the wave is closed the
// answers are not stored in the order they came.
func TestInvitationsCannotBeJoinedToAnswers(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	resp, csv := staffRequest(t, f, s, http.MethodPost, "/admin/invitations",
		url.Values{"wave": {"open"}, "unit": {"solbakken"}, "count": {"60"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("issuing codes: status %d", resp.StatusCode)
	}
	var codes []string
	for _, line := range strings.Split(strings.TrimPrefix(csv, "\ufeff"), "\r\n")[1:] {
		if code, _, ok := strings.Cut(line, ";"); ok {
			codes = append(codes, code)
		}
	}
	if len(codes) != 60 {
		t.Fatalf("%d codes in the list", len(codes))
	}
	// Twenty relatives answer, in an order of their own; each answer says
	// in its free text which it was, for this test only.
	rng := rand.New(rand.NewPCG(1, 2))
	used := rng.Perm(len(codes))[:20]
	for i, n := range used {
		v := newVisitor(f)
		_, body := v.Get(t, "/i?kode="+url.QueryEscape(codes[n]))
		form := formOf(body)
		form.Set("relation", "child")
		form.Set("info_given", "5")
		form.Set("has_children", "no")
		form.Set("important", fmt.Sprintf("svar nummer %02d", i))
		form.Set("_action", "submit")
		if resp, _ := v.Post(t, "/s/"+f.Open, form); resp.StatusCode >= 400 {
			t.Fatalf("answer %d: status %d", i, resp.StatusCode)
		}
		f.Filed(t) // one at a time: the worst case for the order of filing
	}
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.CloseWave(context.Background(), "open", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)

	// What the holder of the list would look for.
	var needles [][]byte
	for _, c := range codes {
		n := surveys.NormalizeCode(c)
		// Plain SHA-256 of the code, alone or as Stemme hashed it before 2026-12.
		for _, h := range []string{n, "invitation:" + n, "response\x00INVITATION:" + n} {
			sum := sha256.Sum256([]byte(h))
			needles = append(needles, []byte(hex.EncodeToString(sum[:])))
		}
		needles = append(needles, []byte(n), []byte(c))
	}
	dump := dumpDatabases(t, f.Store.DB, surveys.CodesDB(f.Store.DB))
	for _, n := range needles {
		if bytes.Contains(dump, n) {
			t.Fatalf("the database holds %q, computable from the list", n)
		}
	}
	if dir := storetest.DataDir(); dir != "" {
		files := databaseFiles(t, dir, f.Store.DB.Name())
		backup := t.TempDir()
		if _, err := store.Backup(context.Background(), dir, backup); err != nil {
			t.Fatal(err)
		}
		files = append(files, databaseFiles(t, backup, f.Store.DB.Name())...)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range needles {
				if bytes.Contains(b, n) {
					t.Fatalf("%s holds %q, computable from the list", filepath.Base(file), n)
				}
			}
		}
	}

	// No answer carries a field that orders it in time or names its code.
	var invIDs []string
	for _, inv := range findRaw(t, surveys.CodesDB(f.Store.DB).Collection("invitations")) {
		invIDs = append(invIDs, inv.Lookup("_id").StringValue())
	}
	responses := findRaw(t, f.Store.DB.Collection("responses"))
	if len(responses) != 20 {
		t.Fatalf("%d answers stored, want 20", len(responses))
	}
	var order []int
	for _, r := range responses {
		elems, _ := r.Elements()
		for _, e := range elems {
			switch e.Key() {
			case "_id", "wave", "unit", "instrument", "lang", "segments", "answers", "gen":
			default:
				t.Errorf("an answer carries %q", e.Key())
			}
			if s, ok := e.Value().StringValueOK(); ok {
				for _, id := range invIDs {
					if s == id {
						t.Fatalf("an answer carries its invitation's id in %q", e.Key())
					}
				}
			}
		}
		var resp surveys.Response
		if err := bson.Unmarshal(r, &resp); err != nil {
			t.Fatal(err)
		}
		var n int
		if _, err := fmt.Sscanf(stored(resp, "important"), "svar nummer %d", &n); err != nil {
			t.Fatal(err)
		}
		order = append(order, n)
	}
	// Twenty answers filed one by one: stored in the order they came they
	// would have no inversion; a random order has about 95.
	if inv := inversionsOf(order); inv < 40 {
		t.Errorf("answers stored in nearly the order they came (%d inversions): %v", inv, order)
	}
	// The codes are not stored in the order of the list either.
	position := map[string]int{}
	for i, c := range codes {
		position[invitationIDFor(t, c)] = i
	}
	var stored []int
	for _, id := range invIDs {
		stored = append(stored, position[id])
	}
	if inv := inversionsOf(stored); inv < 500 {
		t.Errorf("codes stored in nearly the list's order (%d inversions of about 885)", inv)
	}
}

// invitationIDFor is the stored id of a code, as the server computes it
// with the instance secret (the holder of the list does not have it).
func invitationIDFor(t *testing.T, code string) string {
	t.Helper()
	ss := surveys.NewStore(storetest.DB(t))
	ss.SetSecret(webtest.Secret)
	return ss.InvitationID(code)
}

func inversionsOf(xs []int) int {
	n := 0
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[i] > xs[j] {
				n++
			}
		}
	}
	return n
}

func findRaw(t *testing.T, col *mongo.Collection) []bson.Raw {
	t.Helper()
	cur, err := col.Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var out []bson.Raw
	for cur.Next(context.Background()) {
		out = append(out, append(bson.Raw(nil), cur.Current...))
	}
	return out
}

// dumpDatabases is every document of every collection, as extended JSON.
func dumpDatabases(t *testing.T, dbs ...*mongo.Database) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, db := range dbs {
		names, err := db.ListCollectionNames(context.Background(), bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			for _, d := range findRaw(t, db.Collection(n)) {
				b.WriteString(d.String())
				b.Write(d) // and the raw bytes, binary fields as stored
			}
		}
	}
	return b.Bytes()
}

// databaseFiles are a database's files in an embedded store's data
// directory (or a backup), its invitation codes' included.
func databaseFiles(t *testing.T, dir, name string) []string {
	t.Helper()
	var out []string
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `(_codes)?\.sqlite(-wal|-shm)?$`)
	for _, sub := range []string{dir, filepath.Join(dir, "db")} {
		entries, _ := os.ReadDir(sub)
		for _, e := range entries {
			if re.MatchString(e.Name()) {
				out = append(out, filepath.Join(sub, e.Name()))
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no database files of %s in %s", name, dir)
	}
	return out
}

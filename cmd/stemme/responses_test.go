package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// TestResponsesDump: "responses dump" writes every filed response of a
// wave as one JSON object a line, with nothing but its identity,
// background and typed answers — including a response stored in the first
// format, which opening the store migrated — to standard output or to an
// owner-only file; a wave that does not exist, or none given, is refused.
func TestResponsesDump(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + dir}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := stemme(t, env, "verify"); code != 0 { // files the seeded answers
		t.Fatalf("verify: exit %d\n%s%s", code, out, errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir, Database: "stemme"})
	if err != nil {
		t.Fatal(err)
	}
	var first bson.M
	err = st.DB.Collection("responses").FindOne(ctx, bson.D{}).Decode(&first)
	var filed int64
	if err == nil {
		filed, err = st.DB.Collection("responses").CountDocuments(ctx, bson.D{{Key: "wave", Value: first["wave"]}})
	}
	wave, _ := first["wave"].(string)
	if err == nil {
		_, err = st.DB.Collection("responses").InsertOne(ctx, bson.M{"_id": "legacy", "wave": wave, "unit": first["unit"],
			"instrument": first["instrument"], "lang": "nn", "date": "2026-11-18",
			"answers": bson.M{"relation": "child", "tick": bson.A{"a", "c"}, "age": int32(54), "text": "Takk, \"alle\"!\n"}})
	}
	if err == nil {
		// As a store written by the version before migrations: none done.
		_, err = st.DB.Collection("migrations").DeleteMany(ctx, bson.D{})
	}
	_ = st.Close(ctx)
	if err != nil || wave == "" {
		t.Fatalf("reading the seeded answers: %v %v", err, first)
	}
	filed++

	code, out, errOut := stemme(t, env, "responses", "dump", "--wave", wave)
	if code != 0 {
		t.Fatalf("dump: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "migrated stored documents") || strings.Contains(errOut, "Takk") || strings.Contains(errOut, "legacy") {
		t.Errorf("the migration's log, which names no answer or id:\n%s", errOut)
	}
	lines := checkDump(t, out, wave)
	if int64(len(lines)) != filed {
		t.Fatalf("%d lines, want the wave's %d filed responses", len(lines), filed)
	}
	i := slices.IndexFunc(lines, func(l map[string]any) bool { return l["id"] == "legacy" })
	if i < 0 {
		t.Fatal("the response stored in the first format is not in the dump")
	}
	answers := lines[i]["answers"].(map[string]any)
	if answers["age"] != 54.0 || answers["text"] != "Takk, \"alle\"!\n" || !slices.Equal(toStrings(answers["tick"]), []string{"a", "c"}) {
		t.Errorf("answers of the migrated response dumped as %#v", answers)
	}

	file := filepath.Join(t.TempDir(), "dump.jsonl")
	code, out, errOut = stemme(t, env, "responses", "dump", "--wave", wave, "--out", file)
	if code != 0 || !strings.Contains(out, "Wrote ") {
		t.Fatalf("dump --out: exit %d\n%s%s", code, out, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := checkDump(t, string(b), wave); len(got) != len(lines) {
		t.Errorf("%d lines in the file, %d on standard output", len(got), len(lines))
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("dump file mode %v (%v), want 0600", info.Mode().Perm(), err)
	}

	if code, _, errOut = stemme(t, env, "responses", "dump", "--wave", "no_such_wave"); code != 1 || !strings.Contains(errOut, `no wave "no_such_wave"`) {
		t.Errorf("dump of an unknown wave: exit %d %s", code, errOut)
	}
	if code, _, errOut = stemme(t, env, "responses", "dump"); code != 2 || !strings.Contains(errOut, "--wave is required") {
		t.Errorf("dump without a wave: exit %d %s", code, errOut)
	}
	if code, _, _ = stemme(t, env, "responses"); code != 2 {
		t.Errorf("responses without a subcommand: exit %d, want 2", code)
	}
}

// checkDump parses JSON Lines and checks each holds the fields of a
// response of wave and nothing else.
func checkDump(t *testing.T, out, wave string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		for k := range l {
			if !slices.Contains([]string{"id", "wave", "unit", "instrument", "lang", "segments", "answers"}, k) {
				t.Errorf("a dumped response carries %q", k)
			}
		}
		if l["wave"] != wave || l["id"] == "" || l["unit"] == "" {
			t.Errorf("dumped line %v", l)
		}
		lines = append(lines, l)
	}
	return lines
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

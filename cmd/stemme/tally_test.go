package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

func TestVerifyAndRetally(t *testing.T) {
	dir := t.TempDir()
	env := []string{"STEMME_DATA_DIR=" + dir}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	// The seeded answers wait in the inbox; verify counts them first.
	code, out, errOut := stemme(t, env, "verify")
	if code != 0 || !regexp.MustCompile(`Tallies equal a recount of \d{3} answers`).MatchString(out) {
		t.Fatalf("verify after seeding: exit %d\n%s%s", code, out, errOut)
	}

	// Damage one tally behind the tallier's back.
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir, Database: "stemme"})
	if err != nil {
		t.Fatal(err)
	}
	names, err := st.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var tallies string
	for _, n := range names {
		if strings.HasPrefix(n, "tallies_overall_") {
			tallies = n
		}
	}
	if tallies == "" {
		t.Fatalf("no tallies among %v", names)
	}
	res, err := st.DB.Collection(tallies).UpdateOne(ctx, bson.D{}, bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 3}}}})
	_ = st.Close(ctx)
	if err != nil || res.ModifiedCount != 1 {
		t.Fatalf("damaging a tally: %v %+v", err, res)
	}

	code, out, errOut = stemme(t, env, "verify")
	if code != 1 || !strings.Contains(errOut, "differences between the tallies and a recount") || !strings.Contains(out, " n: ") {
		t.Fatalf("verify of a damaged tally: exit %d, want 1\n%s%s", code, out, errOut)
	}
	code, out, errOut = stemme(t, env, "retally")
	if code != 0 || !strings.Contains(out, "Recounting [") || !regexp.MustCompile(`Recounted \d{3} answers`).MatchString(out) {
		t.Fatalf("retally: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = stemme(t, env, "verify"); code != 0 {
		t.Fatalf("verify after retally: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = stemme(t, env, "retally", "--from-responses")
	if code != 0 || !regexp.MustCompile(`Recounted \d{3} answers`).MatchString(out) {
		t.Fatalf("retally --from-responses: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut = stemme(t, env, "verify"); code != 0 {
		t.Fatalf("verify after retally --from-responses: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut = stemme(t, env, "retally", "--wave", "no_such_wave"); code != 0 {
		t.Fatalf("retally of a wave without answers: exit %d %s", code, errOut)
	}
}

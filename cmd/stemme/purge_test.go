package main

import (
	"context"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

// TestPurgeCommand seeds the demo, whose follow-up cases include one closed
// 135 days ago and one closed 20 days ago, and purges with several retentions.
func TestPurgeCommand(t *testing.T) {
	env := []string{"STEMME_DATA_DIR=" + t.TempDir()}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 || !strings.Contains(out, "feedback messages") {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	for _, tt := range []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"dry run, default 90 days", nil, []string{"purge", "--dry-run"}, 0, "Would delete the contact data of 1 closed case(s), closed more than 90 days ago:\n  "},
		{"dry run, 10 days", []string{"STEMME_CONTACT_RETENTION=10d"}, []string{"purge", "--dry-run"}, 0, "of 2 closed case(s)"},
		{"dry run, flag wins", []string{"STEMME_CONTACT_RETENTION=10d"}, []string{"purge", "--dry-run", "--contact-retention", "200"}, 0, "of 0 closed case(s), closed more than 200 days ago"},
		{"purge", nil, []string{"purge"}, 0, "Deleted the contact data of 1 closed case(s)"},
		{"nothing left", nil, []string{"purge", "--dry-run"}, 0, "of 0 closed case(s)"},
		{"bad retention", []string{"STEMME_CONTACT_RETENTION=soon"}, []string{"purge"}, 2, `STEMME_CONTACT_RETENTION: "soon" is not a number of days`},
		{"zero retention", nil, []string{"purge", "--contact-retention", "0d"}, 2, "--contact-retention"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := stemme(t, append(append([]string{}, env...), tt.env...), tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("exit %d (want %d), output %q%q, want %q", code, tt.code, out, errOut, tt.want)
			}
		})
	}
}

// TestServePurgesAtStartUp starts the server on a fresh demo, whose oldest
// closed case is past the default retention: it is purged before the first
// request, and the purge is in the audit log.
func TestServePurgesAtStartUp(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, testConfig(t, dir), nil)
	s.stop(t)
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir, Database: "stemme"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	entries, err := staff.NewStore(st.DB).AuditLog(ctx, staff.AuditFilter{Action: staff.AuditContactPurge})
	if err != nil || len(entries) != 1 || entries[0].Actor != "system" || entries[0].Detail != "1" {
		t.Fatalf("purge audit entries %+v, %v; want one by system for 1 case", entries, err)
	}
	n, err := st.DB.Collection("contact_requests").CountDocuments(ctx, bson.M{"purged": bson.M{"$exists": true}})
	if err != nil || n != 1 {
		t.Fatalf("%d purged cases, want 1 (%v)", n, err)
	}
}

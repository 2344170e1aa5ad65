package staff_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store/storetest"
)

var unsentSecret = []byte("0123456789abcdef0123456789abcdef")

// TestUnsentFormGoesBackOnlyToItsUser: a form sent after a timeout is kept
// sealed, without its CSRF token or any password or code, and given back
// once, to the user whose session it came with, within UnsentLifetime.
func TestUnsentFormGoesBackOnlyToItsUser(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	u, err := staff.NewUnsentForms(db, unsentSecret)
	if err != nil {
		t.Fatal(err)
	}
	note := "Ringte datteren, avtalt møte torsdag"
	fields := url.Values{"_csrf": {"tok"}, "text": {note}, "status": {"done"}, "password": {"hemmelig"}, "code": {"123456"}}
	id, ok, err := u.Keep(ctx, "user-a", "/admin/actions/a1/notes", fields, t0)
	if err != nil || !ok || id == "" {
		t.Fatalf("Keep: %q %v %v", id, ok, err)
	}
	// At rest: no plain text, no id the browser holds.
	var raw bson.M
	if err := db.Collection("unsent_forms").FindOne(ctx, bson.M{}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	b, _ := bson.Marshal(raw)
	for _, leak := range []string{note, "Ringte", id, "hemmelig", "123456"} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("the stored form holds %q in the clear", leak)
		}
	}
	if _, err := u.Take(ctx, id, "user-b", t0.Add(time.Minute)); !errors.Is(err, staff.ErrNoUnsent) {
		t.Fatalf("another user took the form: %v", err)
	}
	got, err := u.Take(ctx, id, "user-a", t0.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got.Path != "/admin/actions/a1/notes" || got.Fields.Get("text") != note || got.Fields.Get("status") != "done" {
		t.Errorf("taken back: %+v", got)
	}
	for _, k := range []string{"_csrf", "password", "code"} {
		if got.Fields.Has(k) {
			t.Errorf("the kept form has %s", k)
		}
	}
	if _, err := u.Take(ctx, id, "user-a", t0.Add(3*time.Minute)); !errors.Is(err, staff.ErrNoUnsent) {
		t.Errorf("the form was taken twice: %v", err)
	}

	late, _, _ := u.Keep(ctx, "user-a", "/admin/x", url.Values{"text": {"x"}}, t0)
	if _, err := u.Take(ctx, late, "user-a", t0.Add(staff.UnsentLifetime+time.Second)); !errors.Is(err, staff.ErrNoUnsent) {
		t.Errorf("a stale form was given back: %v", err)
	}
	if _, ok, _ := u.Keep(ctx, "user-a", "/admin/x", url.Values{"_csrf": {"t"}}, t0); ok {
		t.Error("a form with nothing but its token was kept")
	}
	if _, ok, _ := u.Keep(ctx, "user-a", "/admin/x", url.Values{"text": {strings.Repeat("x", staff.MaxUnsent+1)}}, t0); ok {
		t.Error("a form over MaxUnsent was kept")
	}
	if _, ok, _ := u.Keep(ctx, "", "/admin/x", url.Values{"text": {"x"}}, t0); ok {
		t.Error("a form was kept for nobody")
	}
}

// TestEndedSessionNamesItsUser: the request that finds a session ended
// learns whose it was, and the session is gone.
func TestEndedSessionNamesItsUser(t *testing.T) {
	ctx := context.Background()
	st := staff.NewStore(storetest.DB(t))
	a := newUser(t, st, "a@kommune.no")
	token, err := st.StartSession(ctx, a.ID, t0)
	if err != nil {
		t.Fatal(err)
	}
	life := staff.Lifetimes{Idle: time.Minute, Absolute: time.Hour}
	s, _, err := st.Session(ctx, token, t0.Add(30*time.Second), life)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Expires(life); !got.Equal(t0.Add(30 * time.Second).Add(time.Minute)) {
		t.Errorf("expires %v", got)
	}
	s, _, err = st.Session(ctx, token, t0.Add(5*time.Minute), life)
	if !errors.Is(err, staff.ErrNoSession) || s.UserID != a.ID {
		t.Fatalf("ended session: %+v, %v", s, err)
	}
	if s, _, err = st.Session(ctx, token, t0.Add(5*time.Minute), life); !errors.Is(err, staff.ErrNoSession) || s.UserID != "" {
		t.Fatalf("the ended session is still there: %+v, %v", s, err)
	}
}

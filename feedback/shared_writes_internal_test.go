package feedback

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

// twoInstances returns two feedback stores on one database as two server
// instances would have them: each with its own client and lock table.
func twoInstances(t *testing.T) (a, b *Store) {
	t.Helper()
	db := storetest.DB(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	var err error
	if a, err = NewStore(db, secret); err != nil {
		t.Fatal(err)
	}
	if b, err = NewStore(storetest.SecondClient(t, db), secret); err != nil {
		t.Fatal(err)
	}
	b.caseLocks = &store.KeyedMutex{}
	return a, b
}

var sharedT0 = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

func contactedCase(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	_, r, err := s.Submit(ctx, Submission{SID: "sid-shared", Unit: "solbakken", Focus: "information", Text: "Mer informasjon.",
		Lang: "nb", WantsContact: true, FollowUp: FollowUpHalfYear,
		Contact: Contact{Name: "Kari Nordmann", Phone: "+47 912 34 567", Lang: "nb", Time: "morning"}}, sharedT0)
	if err != nil || r == nil {
		t.Fatalf("submit: %v", err)
	}
	return r.ID
}

// TestASecondInstanceActsBetweenReadAndWrite: a second instance closes a
// case, or withdraws an enrolment, between this instance's read and its
// write; the write names the state it read, so it puts nothing back.
func TestASecondInstanceActsBetweenReadAndWrite(t *testing.T) {
	ctx := context.Background()
	t.Run("conversation on a case closed meanwhile", func(t *testing.T) {
		a, b := twoInstances(t)
		id := contactedCase(t, a)
		if err := a.MarkContacted(ctx, id, "ola@kommune.no", sharedT0); err != nil {
			t.Fatal(err)
		}
		var other error
		a.beforeSharedWrite = func(string) { other = b.Close(ctx, id, "ola@kommune.no", "Ringt.", sharedT0) }
		err := a.RecordConversation(ctx, id, "2026-11-18", "Ola", sharedT0)
		if other != nil || !errors.Is(err, ErrConversation) {
			t.Fatalf("second instance: %v; this one: %v, want ErrConversation", other, err)
		}
		if r, _ := a.Request(ctx, id); len(r.Talks) != 0 || r.Status != StatusClosed {
			t.Fatalf("case %s with %d conversations after closing", r.Status, len(r.Talks))
		}
	})
	t.Run("conversation after consent was withdrawn", func(t *testing.T) {
		a, b := twoInstances(t)
		e, _, err := a.Enrol(ctx, "solbakken", FollowUpYearly, "2026-01-10", RegisterContact{Name: "Kari Nordmann",
			Email: "kari@example.no", Lang: "nb"}, true, "ola@kommune.no", sharedT0)
		if err != nil {
			t.Fatal(err)
		}
		var other error
		a.beforeSharedWrite = func(string) { other = b.Withdraw(ctx, e.ID, sharedT0) }
		err = a.RecordTalk(ctx, e.ID, "2026-11-17", "Ola", sharedT0)
		if other != nil || !errors.Is(err, ErrEnrolment) {
			t.Fatalf("second instance: %v; this one: %v, want ErrEnrolment", other, err)
		}
		var raw bson.M
		if err := a.db.Collection(colRegister).FindOne(ctx, bson.D{{Key: "_id", Value: e.ID}}).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if _, kept := raw["conversations"]; kept || raw["status"] != EnrolWithdrawn {
			t.Fatalf("a withdrawn enrolment got a conversation back: %v", raw)
		}
	})
}

// TestTwoInstancesRaceToMarkOneCase: many goroutines on two clients mark
// one case contacted; exactly one wins. On MongoDB the two keep their own
// lock tables, so only the conditional update decides; FerretDB v1 does
// not apply it atomically, and admits one process, so there they share it.
func TestTwoInstancesRaceToMarkOneCase(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	if storetest.OnFerretDB(t) {
		b.caseLocks = a.caseLocks
	}
	id := contactedCase(t, a)
	storetest.RaceForOne(t, 16, ErrTransition, func(i int) error {
		return []*Store{a, b}[i%2].MarkContacted(ctx, id, "ola@kommune.no", sharedT0)
	})
}

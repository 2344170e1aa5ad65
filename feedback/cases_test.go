package feedback_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

func submitAt(t *testing.T, s *feedback.Store, sid, unit, at string) feedback.ContactRequest {
	t.Helper()
	_, r, err := s.Submit(context.Background(), contactSubmission(sid, unit), oslo(at))
	if err != nil {
		t.Fatal(err)
	}
	return *r
}

func TestCaseLifecycle(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	r := submitAt(t, s, "a", "solbakken", "2026-11-20 19:00") // Friday evening: due Tuesday
	if r.Overdue(oslo("2026-11-24 23:59")) || !r.Overdue(oslo("2026-11-25 00:00")) {
		t.Error("overdue must start at midnight after Tuesday 24 November")
	}
	if err := s.RecordConversation(ctx, r.ID, "2026-11-21", "Ola", oslo("2026-11-25 10:00")); !errors.Is(err, feedback.ErrConversation) {
		t.Errorf("a conversation before first contact: %v", err)
	}
	if err := s.MarkContacted(ctx, r.ID, "ola@kommune.no", oslo("2026-11-24 15:00")); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkContacted(ctx, r.ID, "ola@kommune.no", oslo("2026-11-24 15:00")); !errors.Is(err, feedback.ErrTransition) {
		t.Errorf("contacted twice: %v", err)
	}
	got, _ := s.Request(ctx, r.ID)
	if !got.InTime() || got.Overdue(oslo("2026-12-01 00:00")) || got.ContactedBy != "ola@kommune.no" {
		t.Errorf("after contact: %+v", got)
	}
	// Half-yearly conversations: the next is due six months after the last.
	if got.NextConversation() != "2027-05-24" {
		t.Errorf("next conversation %q, want 2027-05-24", got.NextConversation())
	}
	for _, bad := range []string{"2026-13-01", "2027-01-01", ""} {
		if err := s.RecordConversation(ctx, r.ID, bad, "Ola", oslo("2026-12-10 10:00")); !errors.Is(err, feedback.ErrConversation) {
			t.Errorf("conversation on %q: %v", bad, err)
		}
	}
	if err := s.RecordConversation(ctx, r.ID, "2026-12-10", "Ola Hansen", oslo("2026-12-10 10:00")); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Request(ctx, r.ID)
	if len(got.Talks) != 1 || got.Talks[0] != (feedback.Conversation{Date: "2026-12-10", By: "Ola Hansen"}) || got.NextConversation() != "2027-06-10" {
		t.Errorf("after a conversation: %+v, next %s", got.Talks, got.NextConversation())
	}

	for _, note := range []string{"", "   "} {
		if err := s.Close(ctx, r.ID, "ola@kommune.no", note, oslo("2026-12-11 10:00")); !errors.Is(err, feedback.ErrNote) {
			t.Errorf("close with note %q: %v", note, err)
		}
	}
	if err := s.Close(ctx, r.ID, "ola@kommune.no", "Avtalt videre oppfølging med avdelingen.", oslo("2026-12-11 10:00")); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Request(ctx, r.ID)
	if _, note, err := s.Reveal(got); err != nil || note != "Avtalt videre oppfølging med avdelingen." {
		t.Errorf("note %q, %v", note, err)
	}
	if got.NextConversation() != "" {
		t.Error("a closed case still has a conversation due")
	}
	for _, err := range []error{
		s.MarkContacted(ctx, r.ID, "x", oslo("2026-12-12 10:00")),
		s.Close(ctx, r.ID, "x", "igjen", oslo("2026-12-12 10:00")),
		s.RecordConversation(ctx, r.ID, "2026-12-12", "x", oslo("2026-12-12 10:00")),
	} {
		if err == nil {
			t.Error("a closed case changed")
		}
	}
	if err := s.MarkContacted(ctx, "nope", "x", oslo("2026-12-12 10:00")); !store.IsNotFound(err) {
		t.Errorf("missing case: %v", err)
	}
}

func TestQueueIsSortedByDeadlineAndScoped(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	late := submitAt(t, s, "late", "solbakken", "2026-11-18 10:00") // due Fri 20
	early := submitAt(t, s, "early", "solbakken", "2026-11-16 10:00")
	other := submitAt(t, s, "other", "fjordtun", "2026-11-17 10:00")
	done := submitAt(t, s, "done", "solbakken", "2026-11-10 10:00")
	if err := s.Close(ctx, done.ID, "x", "Ingen svar på telefon tre ganger.", oslo("2026-11-12 10:00")); err != nil {
		t.Fatal(err)
	}
	ids := func(rs []feedback.ContactRequest) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	all, _ := s.Requests(ctx, nil, true, false)
	if got, want := ids(all), []string{early.ID, other.ID, late.ID}; !slices.Equal(got, want) {
		t.Errorf("queue %v, want %v", got, want)
	}
	mine, _ := s.Requests(ctx, []string{"solbakken"}, false, false)
	if got, want := ids(mine), []string{early.ID, late.ID}; !slices.Equal(got, want) {
		t.Errorf("solbakken's queue %v, want %v", got, want)
	}
	closed, _ := s.Requests(ctx, []string{"solbakken"}, false, true)
	if got := ids(closed); !slices.Equal(got, []string{done.ID}) {
		t.Errorf("closed %v", got)
	}
}

func TestDeadlineShare(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	now := oslo("2026-11-25 12:00")
	s.Now = func() time.Time { return now }
	inTime := submitAt(t, s, "1", "solbakken", "2026-11-16 10:00") // due Wed 18
	late := submitAt(t, s, "2", "solbakken", "2026-11-16 11:00")
	submitAt(t, s, "3", "solbakken", "2026-11-17 10:00")         // never contacted, overdue
	submitAt(t, s, "4", "solbakken", "2026-11-24 10:00")         // due Thu 26: no outcome yet
	other := submitAt(t, s, "5", "fjordtun", "2026-11-16 10:00") // another unit
	submitAt(t, s, "6", "solbakken", "2026-10-01 10:00")         // before the period
	for id, at := range map[string]string{inTime.ID: "2026-11-18 23:00", late.ID: "2026-11-19 08:00", other.ID: "2026-11-17 09:00"} {
		if err := s.MarkContacted(ctx, id, "x", oslo(at)); err != nil {
			t.Fatal(err)
		}
	}
	from, to := oslo("2026-11-01 00:00"), oslo("2026-12-01 00:00")
	got, err := s.DeadlineShare(ctx, "solbakken", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if got != (feedback.Share{Unit: "solbakken", Within: 1, Total: 3}) || got.Percent() != 33 {
		t.Errorf("solbakken: %+v (%d%%), want 1 of 3", got, got.Percent())
	}
	all, _ := s.DeadlineShares(ctx, from, to)
	if len(all) != 2 || all[0] != (feedback.Share{Unit: "fjordtun", Within: 1, Total: 1}) {
		t.Errorf("all units: %+v", all)
	}
	if none, _ := s.DeadlineShare(ctx, "lia", from, to); none.Total != 0 || none.Percent() != 0 {
		t.Errorf("a unit without requests: %+v", none)
	}
}

func TestPurge(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	old := submitAt(t, s, "old", "solbakken", "2026-06-01 10:00")
	recent := submitAt(t, s, "recent", "solbakken", "2026-09-01 10:00")
	open := submitAt(t, s, "open", "solbakken", "2026-05-01 10:00")
	_ = s.MarkContacted(ctx, old.ID, "ola@kommune.no", oslo("2026-06-02 14:30"))
	_ = s.RecordConversation(ctx, old.ID, "2026-07-01", "Ola", oslo("2026-07-01 12:00"))
	_ = s.Close(ctx, old.ID, "ola@kommune.no", "Ferdig.", oslo("2026-08-01 10:00"))
	_ = s.Close(ctx, recent.ID, "ola@kommune.no", "Ferdig.", oslo("2026-10-01 10:00"))
	now := oslo("2026-11-01 12:00") // 92 days after the old case was closed, 31 after the recent one

	would, err := s.Purge(ctx, now, feedback.DefaultRetention, true)
	if err != nil || len(would) != 1 || would[0].ID != old.ID {
		t.Fatalf("dry run: %v, %v", would, err)
	}
	if r, _ := s.Request(ctx, old.ID); len(r.Sealed) == 0 {
		t.Fatal("the dry run deleted contact data")
	}
	purged, err := s.Purge(ctx, now, feedback.DefaultRetention, false)
	if err != nil || len(purged) != 1 {
		t.Fatalf("purge: %v, %v", purged, err)
	}
	var raw bson.M
	if err := db.Collection("contact_requests").FindOne(ctx, bson.M{"_id": old.ID}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"sealed", "note", "conversations", "feedback", "contacted_by", "closed_by", "follow_up"} {
		if _, ok := raw[gone]; ok {
			t.Errorf("purged case still has %q", gone)
		}
	}
	r, _ := s.Request(ctx, old.ID)
	if _, _, err := s.Reveal(r); err == nil {
		t.Error("purged contact data can still be revealed")
	}
	if h, m, _ := r.Contacted.In(oslo("2026-01-01 00:00").Location()).Clock(); h != 0 || m != 0 || !r.InTime() {
		t.Errorf("purged case keeps contact time %s (in time %v); want its day only, still in time", r.Contacted, r.InTime())
	}
	for _, id := range []string{recent.ID, open.ID} {
		if r, _ := s.Request(ctx, id); len(r.Sealed) == 0 {
			t.Errorf("case %s lost its contact data too early", id)
		}
	}
	// Purging again finds nothing; the purged case is out of the lists but still in the statistics.
	if again, _ := s.Purge(ctx, now, feedback.DefaultRetention, false); len(again) != 0 {
		t.Errorf("second purge: %d cases", len(again))
	}
	if closed, _ := s.Requests(ctx, nil, true, true); len(closed) != 1 || closed[0].ID != recent.ID {
		t.Errorf("closed list: %+v", closed)
	}
	s.Now = func() time.Time { return now }
	if sh, _ := s.DeadlineShare(ctx, "solbakken", oslo("2026-06-01 00:00"), oslo("2026-07-01 00:00")); sh.Within != 1 || sh.Total != 1 {
		t.Errorf("share after purge: %+v", sh)
	}
	// The feedback text was anonymous and stays.
	if n, _ := db.Collection("feedback").CountDocuments(ctx, bson.M{}); n != 3 {
		t.Errorf("%d feedback texts, want 3", n)
	}
}

func TestCanHandle(t *testing.T) {
	user := func(gs ...staff.Grant) staff.User { return staff.User{Grants: gs} }
	for _, tt := range []struct {
		name string
		u    staff.User
		unit string
		want bool
	}{
		{"admin", user(staff.Grant{Role: staff.RoleAdmin}), "solbakken", true},
		{"follow-up of the unit", user(staff.Grant{Role: staff.RoleFollowUp, Units: []string{"solbakken"}}), "solbakken", true},
		{"follow-up of another unit", user(staff.Grant{Role: staff.RoleFollowUp, Units: []string{"fjordtun"}}), "solbakken", false},
		{"advisor", user(staff.Grant{Role: staff.RoleAdvisor}), "solbakken", false},
		{"unit leader of the unit", user(staff.Grant{Role: staff.RoleUnitLeader, Units: []string{"solbakken"}}), "solbakken", false},
		{"advisor and follow-up elsewhere", user(staff.Grant{Role: staff.RoleAdvisor},
			staff.Grant{Role: staff.RoleFollowUp, Units: []string{"fjordtun"}}), "solbakken", false},
		{"municipality-wide without a unit", user(staff.Grant{Role: staff.RoleFollowUp, Units: []string{"solbakken"}}), "", false},
	} {
		if got := feedback.CanHandle(tt.u, tt.unit); got != tt.want {
			t.Errorf("%s: CanHandle = %v, want %v", tt.name, got, tt.want)
		}
	}
}

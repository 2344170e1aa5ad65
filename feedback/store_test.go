package feedback_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func newStore(t *testing.T) (*feedback.Store, *mongo.Database) {
	t.Helper()
	db := storetest.DB(t)
	s, err := feedback.NewStore(db, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func contactSubmission(sid, unit string) feedback.Submission {
	return feedback.Submission{SID: sid, Unit: unit, Focus: "information", Text: "Vi får for lite informasjon.",
		Lang: "nb", WantsContact: true, FollowUp: feedback.FollowUpHalfYear,
		Contact: feedback.Contact{Name: "Kari Nordmann", Phone: "+47 912 34 567", Email: "kari@example.no", Lang: "nb", Time: "morning"}}
}

func TestValidate(t *testing.T) {
	ok := contactSubmission("x", "solbakken")
	for _, tt := range []struct {
		name   string
		edit   func(*feedback.Submission)
		fields []string
	}{
		{"complete", func(*feedback.Submission) {}, nil},
		{"text only", func(s *feedback.Submission) { s.WantsContact = false; s.Contact = feedback.Contact{} }, nil},
		{"contact without text", func(s *feedback.Submission) { s.Text = "  " }, nil},
		{"nothing at all", func(s *feedback.Submission) { s.Text = ""; s.WantsContact = false }, []string{"text"}},
		{"text too long", func(s *feedback.Submission) { s.Text = strings.Repeat("å", feedback.MaxText+1) }, []string{"text"}},
		{"unknown focus area", func(s *feedback.Submission) { s.Focus = "weather" }, []string{"focus"}},
		{"no name", func(s *feedback.Submission) { s.Contact.Name = " " }, []string{"name"}},
		{"no way to reach", func(s *feedback.Submission) { s.Contact.Phone, s.Contact.Email = "", "" }, []string{"phone"}},
		{"phone only", func(s *feedback.Submission) { s.Contact.Email = "" }, nil},
		{"e-mail only", func(s *feedback.Submission) { s.Contact.Phone = "" }, nil},
		{"short phone", func(s *feedback.Submission) { s.Contact.Phone = "1234" }, []string{"phone"}},
		{"letters in phone", func(s *feedback.Submission) { s.Contact.Phone = "9123 456 ab" }, []string{"phone"}},
		{"bad e-mail", func(s *feedback.Submission) { s.Contact.Email = "kari@" }, []string{"email"}},
		{"unknown time", func(s *feedback.Submission) { s.Contact.Time = "night" }, []string{"contact_time"}},
		{"unknown language", func(s *feedback.Submission) { s.Contact.Lang = "xx" }, []string{"contact_lang"}},
		{"unknown follow-up wish", func(s *feedback.Submission) { s.FollowUp = "weekly" }, []string{"follow_up"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			var got []string
			for _, e := range s.Validate() {
				got = append(got, e.Field)
				if !strings.HasPrefix(e.Message, "feedback.error.") {
					t.Errorf("message id %q", e.Message)
				}
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("errors on %v, want %v", got, tt.fields)
			}
		})
	}
	// Without a contact wish, contact fields typed and then unticked are dropped.
	s := ok
	s.WantsContact = false
	if errs := s.Validate(); len(errs) > 0 || s.Contact.Name != "" || s.FollowUp != feedback.FollowUpNone {
		t.Errorf("unticked contact kept: %+v %v", s.Contact, errs)
	}
}

// TestContactDataIsEncryptedAtRest reads the raw stored documents: neither
// the contact request nor the feedback holds a name, phone number or e-mail
// address in the clear, and only the store with the right secret reads them.
func TestContactDataIsEncryptedAtRest(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	now := oslo("2026-11-18 10:00")
	sub := contactSubmission("sid-1", "solbakken")
	if errs := sub.Validate(); len(errs) > 0 {
		t.Fatal(errs)
	}
	f, r, err := s.Submit(ctx, sub, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"contact_requests", "feedback"} {
		var raw bson.M
		if err := db.Collection(col).FindOne(ctx, bson.M{}).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		dump, err := bson.MarshalExtJSON(raw, false, false)
		if err != nil {
			t.Fatal(err)
		}
		bin, _ := bson.Marshal(raw)
		for _, secret := range []string{"Kari", "Nordmann", "912 34 567", "91234567", "kari@example.no", "example"} {
			if strings.Contains(string(dump), secret) || strings.Contains(string(bin), secret) {
				t.Errorf("%s holds %q in the clear: %s", col, secret, dump)
			}
		}
	}
	var raw bson.M
	_ = db.Collection("feedback").FindOne(ctx, bson.M{}).Decode(&raw)
	for k := range raw {
		if k != "_id" && !slices.Contains([]string{"unit", "focus", "text", "lang", "date", "month", "review"}, k) {
			t.Errorf("feedback holds field %q", k)
		}
	}

	got, err := s.Request(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := s.Reveal(got)
	if err != nil || c != sub.Contact {
		t.Fatalf("Reveal = %+v, %v", c, err)
	}
	other, _ := feedback.NewStore(db, []byte("a different secret, 32 bytes long!"))
	if _, _, err := other.Reveal(got); err == nil {
		t.Fatal("another secret decrypted the contact data")
	}
	if got.Feedback != f.ID || got.Status != feedback.StatusNew || got.DueDate != "2026-11-20" || got.Unit != "solbakken" {
		t.Errorf("stored request %+v", got)
	}
}

func TestSubmitTwiceStoresOnce(t *testing.T) {
	s, db := newStore(t)
	ctx := context.Background()
	sub := contactSubmission("sid-2", "solbakken")
	for range 2 {
		if _, _, err := s.Submit(ctx, sub, oslo("2026-11-18 10:00")); err != nil {
			t.Fatal(err)
		}
	}
	for _, col := range []string{"feedback", "contact_requests"} {
		if n, _ := db.Collection(col).CountDocuments(ctx, bson.M{}); n != 1 {
			t.Errorf("%s: %d documents, want 1", col, n)
		}
	}
	sub.SID, sub.WantsContact = "sid-3", false
	if _, r, err := s.Submit(ctx, sub, oslo("2026-11-18 10:00")); err != nil || r != nil {
		t.Fatalf("text-only submit: request %v, %v", r, err)
	}
	if n, _ := db.Collection("contact_requests").CountDocuments(ctx, bson.M{}); n != 1 {
		t.Errorf("a text-only submission made a contact request")
	}
}

func TestTextsCountsAndReview(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	add := func(sid, unit, focus, text, at string) string {
		f, _, err := s.Submit(ctx, feedback.Submission{SID: sid, Unit: unit, Focus: focus, Text: text, Lang: "nb"}, oslo(at))
		if err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	first := add("a", "solbakken", "information", "Mer informasjon", "2026-10-30 10:00")
	add("b", "solbakken", "information", "Bedre informasjon", "2026-11-02 10:00")
	add("c", "solbakken", "", "Takk", "2026-11-03 10:00")
	add("d", "fjordtun", "respect", "Respekt", "2026-11-04 10:00")
	add("e", "fjordtun", "respect", "Utenfor perioden", "2026-12-01 00:30")

	counts, err := s.Counts(ctx, oslo("2026-10-01 00:00"), oslo("2026-12-01 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	want := []feedback.Count{
		{Unit: "solbakken", Focus: "information", Month: "2026-10", N: 1},
		{Unit: "fjordtun", Focus: "respect", Month: "2026-11", N: 1},
		{Unit: "solbakken", Focus: "", Month: "2026-11", N: 1},
		{Unit: "solbakken", Focus: "information", Month: "2026-11", N: 1},
	}
	if !slices.Equal(counts, want) {
		t.Errorf("counts\n got %+v\nwant %+v", counts, want)
	}

	texts, err := s.Texts(ctx, oslo("2026-11-01 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range texts {
		got = append(got, f.Text)
		if f.Review != feedback.ReviewPending {
			t.Errorf("%q: review %q, want pending", f.Text, f.Review)
		}
	}
	if !slices.Equal(got, []string{"Bedre informasjon", "Takk", "Respekt", "Utenfor perioden"}) {
		t.Errorf("texts since 1 November: %v", got)
	}

	if err := s.SetReviewBy(ctx, first, feedback.ReviewRedacted, "Mer [navn]", "", "", 0); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Feedback(ctx, first); f.Review != feedback.ReviewRedacted || f.Redacted != "Mer [navn]" {
		t.Errorf("after review: %+v", f)
	}
	for _, bad := range [][2]string{{"maybe", ""}, {feedback.ReviewRedacted, ""}, {feedback.ReviewApproved, "x"}} {
		if err := s.SetReviewBy(ctx, first, bad[0], bad[1], "", "", 0); err == nil {
			t.Errorf("SetReviewBy(%q, %q) accepted", bad[0], bad[1])
		}
	}
	if err := s.SetReviewBy(ctx, "nope", feedback.ReviewHidden, "", "", "", 0); !store.IsNotFound(err) {
		t.Errorf("SetReviewBy of a missing feedback: %v", err)
	}

	mine, err := s.List(ctx, []string{"fjordtun"}, false, 10)
	if err != nil || len(mine) != 2 || mine[0].Text != "Utenfor perioden" {
		t.Errorf("List(fjordtun) = %+v, %v", mine, err)
	}
}

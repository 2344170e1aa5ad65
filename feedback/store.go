package feedback

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Collections. Contact requests are a collection of their own, so nothing
// that reads feedback text or survey answers ever touches contact data.
const (
	colFeedback = "feedback"
	colContacts = "contact_requests"
)

// Store reads and writes feedback and contact requests.
type Store struct {
	db   *mongo.Database
	seal *sealer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// caseLocks is the process's table (see below). It only spares the
	// embedded store's non-atomic updates: every change of a case or an
	// enrolment also names the state it changes from in its filter, so a
	// second instance, with a table of its own, cannot interleave. Tests
	// give a Store a table of its own to play that instance.
	caseLocks *store.KeyedMutex
	// beforeSharedWrite, when set, runs between the read of a case or an
	// enrolment and its conditional write: tests let a second instance act
	// exactly there.
	beforeSharedWrite func(id string)
}

func (s *Store) interleave(id string) {
	if s.beforeSharedWrite != nil {
		s.beforeSharedWrite(id)
	}
}

// caseLocks serializes status changes of one contact request across every
// Store of the process: the embedded store's updates are not atomic.
var caseLocks store.KeyedMutex

// NewStore returns a feedback store on db; secret (at least 32 bytes) is
// the configured secret the contact-data key is derived from.
func NewStore(db *mongo.Database, secret []byte) (*Store, error) {
	s, err := newSealer(secret)
	if err != nil {
		return nil, err
	}
	return &Store{db: db, seal: s, caseLocks: &caseLocks}, nil
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Indexes lists the indexes the feedback domain needs.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: colFeedback, Keys: bson.D{{Key: "date", Value: 1}}},
		{Collection: colContacts, Keys: bson.D{{Key: "status", Value: 1}}},
		{Collection: colRegister, Keys: bson.D{{Key: "status", Value: 1}}},
	}
}

// derivedID makes a record id from the form's submission id, so a repeated
// post of the same form finds the record it already stored.
func derivedID(kind, sid string) string {
	sum := sha256.Sum256([]byte("stemme-feedback\x00" + kind + "\x00" + sid))
	return hex.EncodeToString(sum[:12])
}

// Submit stores a validated submission received at now: the feedback, and
// a contact request if one was asked for. Repeating it with the same SID
// stores nothing twice. Without transactions the order matters: the
// feedback first, then the contact request; a retry after a failure in
// between completes the pair.
func (s *Store) Submit(ctx context.Context, sub Submission, now time.Time) (Feedback, *ContactRequest, error) {
	if sub.SID == "" {
		return Feedback{}, nil, errors.New("feedback: submission without an id")
	}
	date := surveys.LocalDate(now)
	f := Feedback{ID: derivedID("feedback", sub.SID), Unit: sub.Unit, Focus: sub.Focus, Text: sub.Text,
		Lang: sub.Lang, Young: sub.Young, Date: date, Month: date[:7], Review: ReviewPending}
	if _, err := s.db.Collection(colFeedback).InsertOne(ctx, f); err != nil && !store.IsDuplicate(err) {
		return Feedback{}, nil, fmt.Errorf("feedback: unable to store feedback: %w", err)
	}
	if !sub.WantsContact {
		return f, nil, nil
	}
	r := &ContactRequest{ID: derivedID("contact", sub.SID), Feedback: f.ID, Unit: sub.Unit, Received: now.UTC(),
		Deadline: Deadline(now).UTC(), DueDate: DueDate(now), Status: StatusNew, FollowUp: sub.FollowUp}
	plain, err := json.Marshal(sub.Contact)
	if err != nil {
		return Feedback{}, nil, fmt.Errorf("feedback: %w", err)
	}
	r.Sealed = s.seal.seal(plain, r.ID)
	if _, err := s.db.Collection(colContacts).InsertOne(ctx, r); err != nil && !store.IsDuplicate(err) {
		return Feedback{}, nil, fmt.Errorf("feedback: unable to store contact request: %w", err)
	}
	return f, r, nil
}

// Feedback returns one feedback by id.
func (s *Store) Feedback(ctx context.Context, id string) (Feedback, error) {
	var f Feedback
	if err := s.db.Collection(colFeedback).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&f); err != nil {
		return Feedback{}, fmt.Errorf("feedback: unable to find feedback: %w", err)
	}
	return f, nil
}

// Texts returns the feedback with text received on or after the Oslo day of
// since, oldest first: what the free-text review reads.
func (s *Store) Texts(ctx context.Context, since time.Time) ([]Feedback, error) {
	q := bson.D{{Key: "date", Value: bson.D{{Key: "$gte", Value: surveys.LocalDate(since)}}},
		{Key: "text", Value: bson.D{{Key: "$ne", Value: ""}}}}
	fs, err := store.FindAll[Feedback](ctx, s.db.Collection(colFeedback), q,
		options.Find().SetSort(bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to read texts: %w", err)
	}
	return fs, nil
}

// ErrReview means an unknown review state or a redaction without text.
var ErrReview = errors.New("feedback: review must be pending, approved, redacted (with the redacted text) or hidden")

// SetReviewBy records a decision with who made it, on which local date, and
// the feedback's new decision count. The caller serializes decisions on one
// feedback and checks rev against what it read (the free-text review does).
func (s *Store) SetReviewBy(ctx context.Context, id, review, redacted, by, on string, rev int) error {
	if !slices.Contains([]string{ReviewPending, ReviewApproved, ReviewRedacted, ReviewHidden}, review) ||
		(review == ReviewRedacted) != (redacted != "") {
		return ErrReview
	}
	res, err := s.db.Collection(colFeedback).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "review", Value: review}, {Key: "redacted", Value: redacted},
			{Key: "reviewed_by", Value: by}, {Key: "reviewed_on", Value: on}, {Key: "rev", Value: rev}}}})
	if err != nil {
		return fmt.Errorf("feedback: unable to set review: %w", err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("feedback: unable to set review: %w", mongo.ErrNoDocuments)
	}
	return nil
}

// List returns the latest feedback about the units (every unit when all is
// set), newest first, at most limit.
func (s *Store) List(ctx context.Context, units []string, all bool, limit int64) ([]Feedback, error) {
	q := bson.D{}
	if !all {
		q = bson.D{{Key: "unit", Value: bson.D{{Key: "$in", Value: append([]string{}, units...)}}}}
	}
	fs, err := store.FindAll[Feedback](ctx, s.db.Collection(colFeedback), q,
		options.Find().SetSort(bson.D{{Key: "date", Value: -1}, {Key: "_id", Value: 1}}).SetLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to list feedback: %w", err)
	}
	return fs, nil
}

// Count is how many feedback messages one unit got about one focus area
// ("" for none named) in one month.
type Count struct {
	Unit  string `bson:"unit"`
	Focus string `bson:"focus"`
	Month string `bson:"month"` // YYYY-MM
	N     int    `bson:"n"`
}

// Counts returns feedback counts by unit, focus area and month for feedback
// received in [from, to) (Oslo days), sorted by month, unit and focus.
func (s *Store) Counts(ctx context.Context, from, to time.Time) ([]Count, error) {
	pipe := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "date", Value: bson.D{
			{Key: "$gte", Value: surveys.LocalDate(from)}, {Key: "$lt", Value: surveys.LocalDate(to)}}}}}},
		{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{{Key: "unit", Value: "$unit"}, {Key: "focus", Value: "$focus"}, {Key: "month", Value: "$month"}}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	}
	cur, err := s.db.Collection(colFeedback).Aggregate(ctx, pipe)
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to count feedback: %w", err)
	}
	var rows []struct {
		ID struct {
			Unit  string `bson:"unit"`
			Focus string `bson:"focus"`
			Month string `bson:"month"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("feedback: unable to count feedback: %w", err)
	}
	out := make([]Count, len(rows))
	for i, r := range rows {
		out[i] = Count{Unit: r.ID.Unit, Focus: r.ID.Focus, Month: r.ID.Month, N: r.N}
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Focus, b.Focus))
	})
	return out, nil
}

// Reviewed returns the feedback about the units (every unit when all is
// set) that the free-text review passed, newest first, at most limit, with
// the reviewed text in Text: a redaction replaces the original. Unreviewed
// and hidden text never leaves this function.
func (s *Store) Reviewed(ctx context.Context, units []string, all bool, limit int64) ([]Feedback, error) {
	q := bson.D{{Key: "review", Value: bson.D{{Key: "$in", Value: []string{ReviewApproved, ReviewRedacted}}}}}
	if !all {
		q = append(q, bson.E{Key: "unit", Value: bson.D{{Key: "$in", Value: append([]string{}, units...)}}})
	}
	fs, err := store.FindAll[Feedback](ctx, s.db.Collection(colFeedback), q,
		options.Find().SetSort(bson.D{{Key: "date", Value: -1}, {Key: "_id", Value: 1}}).SetLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to list reviewed feedback: %w", err)
	}
	for i := range fs {
		if fs[i].Review == ReviewRedacted {
			fs[i].Text = fs[i].Redacted
		}
		fs[i].Redacted = ""
	}
	return slices.DeleteFunc(fs, func(f Feedback) bool { return f.Text == "" }), nil
}

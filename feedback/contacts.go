package feedback

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Case statuses: new → contacted → closed, or new → closed (with a note
// saying why there was no contact). Closed is final.
const (
	StatusNew       = "new"
	StatusContacted = "contacted"
	StatusClosed    = "closed"
)

// Conversation is one follow-up conversation held: when and by whom. It has
// no free text, so no health details end up here.
type Conversation struct {
	Date string `bson:"date"` // YYYY-MM-DD, Oslo
	By   string `bson:"by"`
}

// ContactRequest is a relative's wish to be contacted: a case for follow-up
// staff. The contact data and the closing note are stored encrypted; the
// rest is what the queue, the deadline and the statistics need.
type ContactRequest struct {
	ID       string    `bson:"_id"`
	Feedback string    `bson:"feedback,omitempty"` // the feedback it came with
	Unit     string    `bson:"unit"`
	Received time.Time `bson:"received"`
	// Deadline is when the Oslo day after the second working day begins;
	// DueDate is that second working day.
	Deadline    time.Time      `bson:"deadline"`
	DueDate     string         `bson:"due_date"`
	Status      string         `bson:"status"`
	Contacted   time.Time      `bson:"contacted,omitempty"`
	ContactedBy string         `bson:"contacted_by,omitempty"`
	Closed      time.Time      `bson:"closed,omitempty"`
	ClosedBy    string         `bson:"closed_by,omitempty"`
	FollowUp    string         `bson:"follow_up,omitempty"`
	Talks       []Conversation `bson:"conversations,omitempty"`
	Sealed      []byte         `bson:"sealed,omitempty"`
	SealedNote  []byte         `bson:"note,omitempty"`
	// Purged is when the contact data was deleted; what is left counts in
	// the deadline statistics and nothing else.
	Purged time.Time `bson:"purged,omitempty"`
}

// Overdue reports whether the case is still waiting for contact after its deadline.
func (r ContactRequest) Overdue(now time.Time) bool {
	return r.Status == StatusNew && !now.Before(r.Deadline)
}

// InTime reports whether the relative was contacted before the deadline.
func (r ContactRequest) InTime() bool {
	return !r.Contacted.IsZero() && r.Contacted.Before(r.Deadline)
}

// NextConversation is the date the next follow-up conversation is due, or
// "" when none is: about six months or a year after the last one (or after
// the first contact), while the case is open and the relative wants them.
func (r ContactRequest) NextConversation() string {
	months := map[string]int{FollowUpHalfYear: 6, FollowUpYearly: 12}[r.FollowUp]
	if months == 0 || r.Status != StatusContacted || r.Contacted.IsZero() {
		return ""
	}
	last := surveys.LocalDate(r.Contacted)
	for _, c := range r.Talks {
		last = max(last, c.Date)
	}
	d, err := time.Parse(time.DateOnly, last)
	if err != nil {
		return ""
	}
	return d.AddDate(0, months, 0).Format(time.DateOnly)
}

// Errors of case changes, for the web layer to translate.
var (
	ErrTransition   = errors.New("feedback: the case is not in a state that allows this")
	ErrNote         = errors.New("feedback: a closing note of 1 to 1000 characters is required")
	ErrConversation = errors.New("feedback: a conversation needs a date not in the future, and the case must want follow-up conversations")
)

// Requests lists contact requests of the units (every unit when all is
// set), open ones or closed ones, by deadline (closed: newest first).
// Purged cases are never listed.
func (s *Store) Requests(ctx context.Context, units []string, all, closed bool) ([]ContactRequest, error) {
	q := bson.D{{Key: "status", Value: bson.D{{Key: "$in", Value: []string{StatusNew, StatusContacted}}}}}
	if closed {
		q = bson.D{{Key: "status", Value: StatusClosed}}
	}
	rs, err := store.FindAll[ContactRequest](ctx, s.db.Collection(colContacts), q)
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to list contact requests: %w", err)
	}
	rs = slices.DeleteFunc(rs, func(r ContactRequest) bool {
		return !r.Purged.IsZero() || (!all && !slices.Contains(units, r.Unit))
	})
	slices.SortFunc(rs, func(a, b ContactRequest) int {
		if closed {
			return b.Closed.Compare(a.Closed)
		}
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return a.Received.Compare(b.Received)
	})
	return rs, nil
}

// Request returns one contact request.
func (s *Store) Request(ctx context.Context, id string) (ContactRequest, error) {
	var r ContactRequest
	if err := s.db.Collection(colContacts).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return ContactRequest{}, fmt.Errorf("feedback: unable to find contact request: %w", err)
	}
	return r, nil
}

// Reveal decrypts a case's contact data and closing note. Callers check
// access and write the audit entry first.
func (s *Store) Reveal(r ContactRequest) (Contact, string, error) {
	var c Contact
	if len(r.Sealed) == 0 {
		return c, "", ErrUnsealable
	}
	plain, err := s.seal.open(r.Sealed, r.ID)
	if err != nil {
		return c, "", err
	}
	if err := json.Unmarshal(plain, &c); err != nil {
		return c, "", fmt.Errorf("feedback: %w", err)
	}
	var note string
	if len(r.SealedNote) > 0 {
		b, err := s.seal.open(r.SealedNote, r.ID+"/note")
		if err != nil {
			return c, "", err
		}
		note = string(b)
	}
	return c, note, nil
}

// change applies an update to one case if its status is one of from.
func (s *Store) change(ctx context.Context, id string, from []string, set bson.D, commit surveys.Commit) error {
	defer s.caseLocks.Lock(id)()
	r, err := s.Request(ctx, id)
	if err != nil {
		return err
	}
	if !slices.Contains(from, r.Status) || !r.Purged.IsZero() {
		return ErrTransition
	}
	if err := run(commit); err != nil {
		return err
	}
	s.interleave(id)
	res, err := s.db.Collection(colContacts).UpdateOne(ctx, unpurged(id, r.Status), bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("feedback: unable to update contact request: %w", err)
	}
	if res.MatchedCount == 0 {
		return ErrTransition
	}
	return nil
}

// MarkContacted records that the relative was contacted at by staff member by.
func (s *Store) MarkContacted(ctx context.Context, id, by string, at time.Time) error {
	return s.MarkContactedWith(ctx, id, by, at, nil)
}

// MarkContactedWith is MarkContacted calling commit once the case is found
// new, just before it changes.
func (s *Store) MarkContactedWith(ctx context.Context, id, by string, at time.Time, commit surveys.Commit) error {
	return s.change(ctx, id, []string{StatusNew}, bson.D{{Key: "status", Value: StatusContacted},
		{Key: "contacted", Value: at.UTC()}, {Key: "contacted_by", Value: by}}, commit)
}

// Close ends a case with a note (stored encrypted). From then on the purge
// counts the retention time. A wish for follow-up conversations is kept in
// the follow-up register.
func (s *Store) Close(ctx context.Context, id, by, note string, at time.Time) error {
	return s.CloseWith(ctx, id, by, note, at, nil)
}

// closable are the statuses a case is closed from.
var closable = []string{StatusNew, StatusContacted}

// CloseWith is Close calling commit once the note is valid and the case
// open, before the relative is enrolled in the register and the case
// closes.
func (s *Store) CloseWith(ctx context.Context, id, by, note string, at time.Time, commit surveys.Commit) error {
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > MaxNote || !utf8.ValidString(note) {
		return ErrNote
	}
	// A relative who wants regular conversations moves to the register
	// first, so that closing the case (and purging it later) keeps the wish.
	r, err := s.Request(ctx, id)
	if err != nil {
		return err
	}
	if !slices.Contains(closable, r.Status) || !r.Purged.IsZero() {
		return ErrTransition
	}
	if err := run(commit); err != nil {
		return err
	}
	if err := s.enrolFromCase(ctx, r, at); err != nil {
		return err
	}
	return s.change(ctx, id, closable, bson.D{{Key: "status", Value: StatusClosed},
		{Key: "closed", Value: at.UTC()}, {Key: "closed_by", Value: by},
		{Key: "note", Value: s.seal.seal([]byte(note), id+"/note")}}, nil)
}

// RecordConversation adds a follow-up conversation held on date (YYYY-MM-DD)
// by a staff member, to a contacted case whose relative wants them.
func (s *Store) RecordConversation(ctx context.Context, id, date, by string, now time.Time) error {
	return s.RecordConversationWith(ctx, id, date, by, now, nil)
}

// RecordConversationWith is RecordConversation calling commit once the
// case is found to take the conversation, just before it is recorded.
func (s *Store) RecordConversationWith(ctx context.Context, id, date, by string, now time.Time, commit surveys.Commit) error {
	d, err := time.ParseInLocation(time.DateOnly, date, surveys.Oslo)
	if err != nil || d.After(now) || strings.TrimSpace(by) == "" {
		return ErrConversation
	}
	defer s.caseLocks.Lock(id)()
	r, err := s.Request(ctx, id)
	if err != nil {
		return err
	}
	if r.Status != StatusContacted || r.FollowUp == FollowUpNone || r.FollowUp == "" || !r.Purged.IsZero() {
		return ErrConversation
	}
	if err := run(commit); err != nil {
		return err
	}
	s.interleave(id)
	// Only while the case is still contacted and unpurged: a conversation
	// recorded as another instance closes or purges the case must not put a
	// staff name back into it.
	res, err := s.db.Collection(colContacts).UpdateOne(ctx, unpurged(id, StatusContacted),
		bson.D{{Key: "$push", Value: bson.D{{Key: "conversations", Value: Conversation{Date: date, By: strings.TrimSpace(by)}}}}})
	if err != nil {
		return fmt.Errorf("feedback: unable to record conversation: %w", err)
	}
	if res.MatchedCount == 0 {
		return ErrConversation
	}
	return nil
}

// unpurged filters case id while it has status and is not purged.
func unpurged(id, status string) bson.D {
	return bson.D{{Key: "_id", Value: id}, {Key: "status", Value: status}, {Key: "purged", Value: bson.D{{Key: "$exists", Value: false}}}}
}

// run calls commit, if there is one (a surveys.Commit: package ops writes
// a change's audit entry there).
func run(commit surveys.Commit) error {
	if commit == nil {
		return nil
	}
	return commit()
}

package feedback

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// DefaultRetention is how long contact data is kept after a case is closed.
const DefaultRetention = 90 * 24 * time.Hour

// Purge deletes the contact data of every case closed at least retention
// before now, and returns the cases it purged (with dryRun, the cases it
// would purge, changing nothing). A retention that is not positive means
// DefaultRetention.
//
// What goes: the encrypted contact data and note, the follow-up
// conversations, the link to the feedback text, staff names, the follow-up
// wish. What stays, so the share contacted within the deadline can still be
// reported: unit, deadline, and the days (not times) of receipt, contact and
// closing. The feedback text itself was anonymous all along and stays.
func (s *Store) Purge(ctx context.Context, now time.Time, retention time.Duration, dryRun bool) ([]ContactRequest, error) {
	if dryRun {
		return s.casesDue(ctx, now, retention)
	}
	return s.PurgeWith(ctx, now, retention, nil)
}

// PurgeWith is Purge calling commit with the number of cases due once they
// are found, before the first is purged (package ops writes the purge's
// audit entry there); when commit fails, nothing is purged. With no case
// due, commit is not called.
func (s *Store) PurgeWith(ctx context.Context, now time.Time, retention time.Duration, commit func(due int) error) ([]ContactRequest, error) {
	due, err := s.casesDue(ctx, now, retention)
	if err != nil || len(due) == 0 {
		return due, err
	}
	if commit != nil {
		if err := commit(len(due)); err != nil {
			return nil, err
		}
	}
	for i, r := range due {
		set := bson.D{{Key: "purged", Value: now.UTC()}, {Key: "received", Value: day(r.Received)}, {Key: "closed", Value: day(r.Closed)}}
		if !r.Contacted.IsZero() {
			set = append(set, bson.E{Key: "contacted", Value: day(r.Contacted)})
		}
		unset := bson.D{}
		for _, f := range []string{"sealed", "note", "conversations", "feedback", "contacted_by", "closed_by", "follow_up"} {
			unset = append(unset, bson.E{Key: f, Value: ""})
		}
		unlock := s.caseLocks.Lock(r.ID)
		_, err := s.db.Collection(colContacts).UpdateOne(ctx, bson.D{{Key: "_id", Value: r.ID}},
			bson.D{{Key: "$set", Value: set}, {Key: "$unset", Value: unset}})
		unlock()
		if err != nil {
			return due[:i], fmt.Errorf("feedback: unable to purge case %s: %w", r.ID, err)
		}
	}
	return due, nil
}

// kept is the retention a purge keeps contact data for: one that is not
// positive means DefaultRetention, never "everything closed" by omission.
func kept(retention time.Duration) time.Duration {
	if retention <= 0 {
		return DefaultRetention
	}
	return retention
}

// casesDue lists the closed cases whose contact data is due for purging.
func (s *Store) casesDue(ctx context.Context, now time.Time, retention time.Duration) ([]ContactRequest, error) {
	rs, err := store.FindAll[ContactRequest](ctx, s.db.Collection(colContacts), bson.D{{Key: "status", Value: StatusClosed}})
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to find closed cases: %w", err)
	}
	cutoff := now.Add(-kept(retention))
	var due []ContactRequest
	for _, r := range rs {
		if r.Purged.IsZero() && !r.Closed.After(cutoff) {
			due = append(due, r)
		}
	}
	return due, nil
}

// day truncates t to the start of its Oslo day. Deadlines fall at Oslo
// midnight, so a contact's day alone still tells whether it was in time.
func day(t time.Time) time.Time {
	y, m, d := t.In(surveys.Oslo).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, surveys.Oslo).UTC()
}

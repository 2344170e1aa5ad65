package feedback

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// Share is how many contact requests of a unit were answered within the
// deadline (Within) out of those whose outcome is known (Total).
//
// A request's outcome is known once the relative was contacted, or once its
// deadline has passed without contact. Requests still inside their deadline
// and not yet contacted are left out, so a request that arrived yesterday
// does not count against the unit before it could be handled.
type Share struct {
	Unit   string
	Within int
	Total  int
}

// Percent is the share in whole percent, rounded down; 0 when Total is 0.
func (s Share) Percent() int {
	if s.Total == 0 {
		return 0
	}
	return s.Within * 100 / s.Total
}

// DeadlineShare is the share of one unit's contact requests received in
// [from, to) that were answered within the deadline.
func (s *Store) DeadlineShare(ctx context.Context, unit string, from, to time.Time) (Share, error) {
	shares, err := s.DeadlineShares(ctx, from, to)
	if err != nil {
		return Share{}, err
	}
	for _, sh := range shares {
		if sh.Unit == unit {
			return sh, nil
		}
	}
	return Share{Unit: unit}, nil
}

// DeadlineShares is DeadlineShare for every unit that had requests, by unit.
// Purged requests still count: the purge keeps what this needs.
func (s *Store) DeadlineShares(ctx context.Context, from, to time.Time) ([]Share, error) {
	q := bson.D{{Key: "received", Value: bson.D{{Key: "$gte", Value: from.UTC()}, {Key: "$lt", Value: to.UTC()}}}}
	rs, err := store.FindAll[ContactRequest](ctx, s.db.Collection(colContacts), q)
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to read contact requests: %w", err)
	}
	now := s.now()
	by := map[string]*Share{}
	for _, r := range rs {
		if r.Contacted.IsZero() && now.Before(r.Deadline) {
			continue // still in time: no outcome yet
		}
		sh := by[r.Unit]
		if sh == nil {
			sh = &Share{Unit: r.Unit}
			by[r.Unit] = sh
		}
		sh.Total++
		if r.InTime() {
			sh.Within++
		}
	}
	out := make([]Share, 0, len(by))
	for _, sh := range by {
		out = append(out, *sh)
	}
	slices.SortFunc(out, func(a, b Share) int { return cmp.Compare(a.Unit, b.Unit) })
	return out, nil
}

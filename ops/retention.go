package ops

import (
	"context"
	"strconv"
	"time"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

// Retention deletes contact data kept past its retention: that of
// follow-up cases closed, and of follow-up register entries whose service
// ended, longer ago than the retention; and the sign-ups for arena events
// once the event is over, whatever the retention. The command line runs
// it on demand (actor "cli"), the server daily (actor "system").
//
// What is due is only known once the store has looked, so each of the
// three purges writes its entry there (its commit point), before the
// first deletion: the count as detail, the target "" for cases,
// "register" for the register and "arena-signups" for the sign-ups. A
// purge that finds nothing writes nothing.
type Retention struct {
	area
	feedback *feedback.Store
	arenas   *arenas.Store
}

// NewRetention returns the purge of the contact data in fb and, unless as
// is nil, of the sign-ups in as.
func NewRetention(j *Journal, fb *feedback.Store, as *arenas.Store) *Retention {
	return &Retention{area: area{j, staff.AuditContactPurge}, feedback: fb, arenas: as}
}

// Purge deletes the contact data due for deletion at the journal's time,
// kept for retention, and returns the cases and register entries it
// purged. A retention that is not positive means the default
// (feedback.DefaultRetention, as the feedback store applies it), never
// "everything closed". The register is purged after the cases, the
// sign-ups after the register, each not when the one before failed.
func (o *Retention) Purge(ctx context.Context, who string, retention time.Duration) ([]feedback.ContactRequest, []feedback.Enrolment, error) {
	now := o.now()
	var cases []feedback.ContactRequest
	err := o.purge(ctx, who, "", func(commit func(int) error) (err error) {
		cases, err = o.feedback.PurgeWith(ctx, now, retention, commit)
		return err
	})
	if err != nil {
		return cases, nil, err
	}
	var ended []feedback.Enrolment
	err = o.purge(ctx, who, "register", func(commit func(int) error) (err error) {
		ended, err = o.feedback.PurgeRegisterWith(ctx, now, retention, commit)
		return err
	})
	if err != nil || o.arenas == nil {
		return cases, ended, err
	}
	err = o.purge(ctx, who, "arena-signups", func(commit func(int) error) error {
		_, err := o.arenas.PurgeWith(ctx, now, commit)
		return err
	})
	return cases, ended, err
}

// purge runs one purge whose store calls commit with the number due; the
// entry, written there, names that number.
func (o *Retention) purge(ctx context.Context, who, target string, change func(commit func(due int) error) error) error {
	var due int
	return o.journal.recordAtCommitOf(ctx, who, func() entry { return entry{o.action, target, strconv.Itoa(due)} },
		func(commit func() error) error {
			return change(func(n int) error {
				due = n
				return commit()
			})
		})
}

package ops

import (
	"context"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

// FollowUp runs the follow-up staff's changes: of a contact request's case
// (contacted, a conversation held, closed) and of the follow-up register
// (an enrolment, a conversation, a new interval, consent withdrawn, the
// service ended). The feedback store decides each against the case or
// enrolment as stored, under its lock, and the entry is written at that
// point (a surveys.Commit): a refused change (feedback.ErrTransition,
// ErrNote, ErrConversation, ErrEnrolment) leaves no entry.
type FollowUp struct {
	journal  *Journal
	feedback *feedback.Store
}

// NewFollowUp returns the follow-up operations on fb.
func NewFollowUp(j *Journal, fb *feedback.Store) *FollowUp {
	return &FollowUp{journal: j, feedback: fb}
}

// MarkContacted records that the relative of case id has been contacted.
func (o *FollowUp) MarkContacted(ctx context.Context, who, id string) error {
	return o.journal.recordAtCommit(ctx, who, entry{staff.AuditContactChange, id, "contacted"}, func(commit func() error) error {
		return o.feedback.MarkContactedWith(ctx, id, who, o.journal.now(), commit)
	})
}

// Close closes case id with a note.
func (o *FollowUp) Close(ctx context.Context, who, id, note string) error {
	return o.journal.recordAtCommit(ctx, who, entry{staff.AuditContactChange, id, "closed"}, func(commit func() error) error {
		return o.feedback.CloseWith(ctx, id, who, note, o.journal.now(), commit)
	})
}

// RecordConversation records a follow-up conversation of case id held on
// date by a staff member.
func (o *FollowUp) RecordConversation(ctx context.Context, who, id, date, by string) error {
	return o.journal.recordAtCommit(ctx, who, entry{staff.AuditConversation, id, "conversation"}, func(commit func() error) error {
		return o.feedback.RecordConversationWith(ctx, id, date, by, o.journal.now(), commit)
	})
}

// Enrol enrols a relative in the follow-up register; a form with problems
// returns them, and changes and writes nothing.
func (o *FollowUp) Enrol(ctx context.Context, who, unit, interval, started string, c feedback.RegisterContact,
	consent bool) (feedback.Enrolment, []feedback.FieldError, error) {
	var (
		e        feedback.Enrolment
		problems []feedback.FieldError
	)
	id := feedback.NewRegisterID()
	err := o.journal.recordAtCommit(ctx, who, entry{staff.AuditRegister, id, "enrol " + unit + " " + interval},
		func(commit func() error) error {
			var err error
			e, problems, err = o.feedback.EnrolWith(ctx, id, unit, interval, started, c, consent, who, o.journal.now(), commit)
			return err
		})
	return e, problems, err
}

// Register changes of an enrolment, as the register's routes name them.
const (
	RegisterConversation = "conversation"
	RegisterInterval     = "interval"
	RegisterWithdraw     = "withdraw"
	RegisterEnd          = "end"
)

// ChangeEnrolment makes one change of enrolment id: a conversation held
// on date by a staff member, a new interval, consent withdrawn (its data
// deleted at once) or the service ended; date, by and interval are read
// by the change that needs them. An unknown change is feedback.ErrEnrolment.
func (o *FollowUp) ChangeEnrolment(ctx context.Context, who, id, change, date, by, interval string) error {
	now := o.journal.now()
	action := staff.AuditRegister
	var run func(commit func() error) error
	switch change {
	case RegisterConversation:
		action = staff.AuditConversation
		run = func(commit func() error) error {
			return o.feedback.RecordTalkWith(ctx, id, date, by, now, commit)
		}
	case RegisterInterval:
		run = func(commit func() error) error { return o.feedback.SetIntervalWith(ctx, id, interval, commit) }
	case RegisterWithdraw:
		action = staff.AuditContactPurge
		run = func(commit func() error) error { return o.feedback.WithdrawWith(ctx, id, now, commit) }
	case RegisterEnd:
		run = func(commit func() error) error { return o.feedback.EndServiceWith(ctx, id, now, commit) }
	default:
		return feedback.ErrEnrolment
	}
	return o.journal.recordAtCommit(ctx, who, entry{action, "register/" + id, change}, run)
}

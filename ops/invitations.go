package ops

import (
	"context"
	"strconv"

	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Invitations issues invitation codes for a unit of a wave: as a list for
// letters, or sent to each recipient by e-mail or SMS. Whether the unit is
// in the wave is decided by the surveys store; the entry is written once it
// is (a surveys.Commit), just before the codes are stored, so a refused
// batch leaves no entry and a batch whose entry cannot be written is not
// issued.
type Invitations struct {
	area
	surveys *surveys.Store
	notify  *notify.Notifier
}

// NewInvitations returns the invitation operations on ss, sending through n.
func NewInvitations(j *Journal, ss *surveys.Store, n *notify.Notifier) *Invitations {
	return &Invitations{area: area{j, staff.AuditInvitations}, surveys: ss, notify: n}
}

// Issue creates count codes for unit in wave and returns them, to be shown
// once; only their hashes are stored.
func (o *Invitations) Issue(ctx context.Context, who, wave, unit string, count int) ([]string, error) {
	var codes []string
	err := o.atCommit(ctx, who, wave+"/"+unit, strconv.Itoa(count), func(commit func() error) error {
		var err error
		codes, err = o.surveys.IssueInvitationsWith(ctx, wave, unit, count, who, o.now(), commit)
		return err
	})
	return codes, err
}

// Send issues one code per recipient and queues a message with it in lang
// by channel; it returns how many were queued.
func (o *Invitations) Send(ctx context.Context, who, wave, unit, lang, channel string, recipients []string) (int, error) {
	var n int
	detail := strconv.Itoa(len(recipients)) + " by " + channel
	err := o.atCommit(ctx, who, wave+"/"+unit, detail, func(commit func() error) error {
		var err error
		n, err = o.notify.SendInvitationsWith(ctx, wave, unit, lang, channel, recipients, who, o.now(), commit)
		return err
	})
	return n, err
}

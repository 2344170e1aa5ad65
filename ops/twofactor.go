package ops

import (
	"context"

	"github.com/stemme/stemme/staff"
)

// TwoFactor runs the changes of a staff user's second factor: setting one
// up, and, after a confirmed code, removing it and renewing its recovery
// codes, and an admin removing another user's. Each writes its entry first
// (see the package doc); setting one up checks the first code in the same
// step as it stores the factor, so its entry is written once the code has
// matched (staff.Store.EnableTOTPWith) and a wrong code leaves none.
type TwoFactor struct {
	journal *Journal
	staff   *staff.Store
}

// NewTwoFactor returns the second-factor operations on the users in ss.
func NewTwoFactor(j *Journal, ss *staff.Store) *TwoFactor {
	return &TwoFactor{journal: j, staff: ss}
}

// Enable stores the pending second factor of u, the user signed in, when
// code is a current code of it, and returns the recovery codes, shown once
// (staff.ErrTOTPCode for a wrong code, staff.ErrTOTPPending without one).
func (o *TwoFactor) Enable(ctx context.Context, u staff.User, code string) ([]string, error) {
	var codes []string
	err := o.journal.recordAtCommit(ctx, u.Email, entry{staff.AuditTOTPEnable, u.Email, ""}, func(commit func() error) (err error) {
		codes, err = o.staff.EnableTOTPWith(ctx, u.ID, code, o.journal.now(), commit)
		return err
	})
	return codes, err
}

// Disable removes the second factor of u, the user signed in, whose
// current code the caller has checked.
func (o *TwoFactor) Disable(ctx context.Context, u staff.User) error {
	return o.journal.record(ctx, u.Email, entry{staff.AuditTOTPDisable, u.Email, ""}, func() error {
		return o.staff.DisableTOTP(ctx, u.ID)
	})
}

// RenewRecoveryCodes replaces the recovery codes of u, the user signed in,
// and returns the new ones, shown once.
func (o *TwoFactor) RenewRecoveryCodes(ctx context.Context, u staff.User) ([]string, error) {
	var codes []string
	err := o.journal.record(ctx, u.Email, entry{staff.AuditTOTPRecovery, u.Email, ""}, func() (err error) {
		codes, err = o.staff.RenewRecoveryCodes(ctx, u.ID)
		return err
	})
	return codes, err
}

// Reset removes u's second factor for them (a lost phone without recovery
// codes); who is the admin.
func (o *TwoFactor) Reset(ctx context.Context, who string, u staff.User) error {
	return o.journal.record(ctx, who, entry{staff.AuditTOTPDisable, u.Email, "reset by admin"}, func() error {
		return o.staff.DisableTOTP(ctx, u.ID)
	})
}

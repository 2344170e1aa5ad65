package respond

import (
	"context"
	"time"

	"github.com/stemme/stemme/surveys"
)

// Withdraw removes the answer a receipt belongs to, while its wave is open
// and not past its closing date (surveys.ErrNoSuchReceipt,
// surveys.ErrWithdrawalClosed otherwise). The tombstone is laid first:
// from then on no replay of the form can store the answer again (Submit
// reports ErrWithdrawn). It returns once the tallier has taken the answer
// out of the inbox, or out of the counts if it was filed.
func (s *Service) Withdraw(ctx context.Context, receipt string, now time.Time) error {
	r, err := s.surveys.WithdrawableResponse(ctx, receipt, now)
	if err != nil {
		return err
	}
	if err := s.surveys.Bury(ctx, surveys.TombstoneID(s.secret, receipt), r.Wave); err != nil {
		return err
	}
	return s.tallier.Withdraw(ctx, r.ID)
}

package ops

import (
	"context"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Results runs the publication of a wave's results to the relatives'
// council, and its withdrawal, each writing its entry first (see the
// package doc). Whether results may be published (the disclosure audit
// of analysis) is the caller's check, made before.
type Results struct {
	journal *Journal
	surveys *surveys.Store
}

// NewResults returns the publication operations on the waves in ss.
func NewResults(j *Journal, ss *surveys.Store) *Results {
	return &Results{journal: j, surveys: ss}
}

// Publish publishes a closed wave's results; surveys.ErrNotClosed when
// the wave still takes answers.
func (o *Results) Publish(ctx context.Context, who, wave string) error {
	return o.journal.record(ctx, who, entry{staff.AuditResultsPublish, wave, ""}, func() error {
		return o.surveys.PublishResults(ctx, wave, o.journal.now())
	})
}

// Withdraw takes a wave's published results back from the council and
// the public.
func (o *Results) Withdraw(ctx context.Context, who, wave string) error {
	return o.journal.record(ctx, who, entry{staff.AuditResultsWithdraw, wave, ""}, func() error {
		return o.surveys.WithdrawResults(ctx, wave)
	})
}

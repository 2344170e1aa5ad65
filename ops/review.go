package ops

import (
	"context"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Review records the decisions on free texts (approve, redact, hide). The
// reviewer checks a decision against the text as stored, under its lock
// (analysis.ErrStale when it changed meanwhile), and the entry is written
// at that point (a surveys.Commit), so a refused decision leaves no entry.
type Review struct {
	area
	review *analysis.Reviewer
}

// NewReview returns the review operation on rv.
func NewReview(j *Journal, rv *analysis.Reviewer) *Review {
	return &Review{area: area{j, staff.AuditTextReview}, review: rv}
}

// Decide records who's decision d (its By and At are who and now), and
// returns the text as decided; with analysis.ErrStale, the text as it now is.
func (o *Review) Decide(ctx context.Context, who string, d analysis.Decision) (analysis.QueueItem, error) {
	d.By, d.At = who, o.now()
	var it analysis.QueueItem
	err := o.atCommit(ctx, who, d.Source+":"+d.ID, d.Status, func(commit func() error) error {
		var err error
		it, err = o.review.DecideWith(ctx, d, surveys.Commit(commit))
		return err
	})
	return it, err
}

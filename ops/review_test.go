package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/staff"
)

func reviewOperations() []operation {
	return []operation{
		{name: "text review", action: staff.AuditTextReview,
			setup: func(t *testing.T, w *world) string {
				f, _, err := w.feedback.Submit(context.Background(), feedback.Submission{SID: "sid-review", Unit: "solbakken",
					Focus: "information", Text: "Personalet er flinke, særlig Kari.", Lang: "nb"}, today)
				must(t, err)
				return f.ID
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				_, err := o.review.Decide(ctx, who, analysis.Decision{Source: analysis.SourceFeedback, ID: id,
					Status: analysis.TextRedacted, Redacted: "Personalet er flinke."})
				return analysis.SourceFeedback + ":" + id, err
			},
			changed: func(t *testing.T, w *world, id string) bool {
				it, err := analysis.NewReviewer(w.db, w.feedback).Item(context.Background(), analysis.SourceFeedback, id)
				must(t, err)
				return it.Status == analysis.TextRedacted
			}},
	}
}

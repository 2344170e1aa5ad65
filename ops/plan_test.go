package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

func planOperations() []operation {
	return []operation{
		{name: "plan save", action: staff.AuditPlan,
			setup: func(t *testing.T, w *world) string { return wave(t, w, surveys.WaveDraft) },
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				p := surveys.Plan{OverallStartYear: 2026, Entries: []surveys.PlanEntry{{Unit: "solbakken", Year: 2027}}}
				return surveys.PlanID, o.plan.Save(ctx, who, p, "add solbakken 2027")
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				p, err := w.surveys.GetPlan(context.Background())
				must(t, err)
				return len(p.Entries) == 1
			}},
	}
}

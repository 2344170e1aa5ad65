package ops

import (
	"context"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Plan changes the survey plan (which units are surveyed in which year).
// The surveys store checks the plan against the stored units and writes
// the entry once it is valid (a surveys.Commit), so a refused plan
// (surveys.Problems) leaves no entry, and a plan whose entry cannot be
// written is not saved.
type Plan struct {
	area
	surveys *surveys.Store
}

// NewPlan returns the plan's operation on ss.
func NewPlan(j *Journal, ss *surveys.Store) *Plan {
	return &Plan{area: area{j, staff.AuditPlan}, surveys: ss}
}

// Save replaces the plan with p; detail says what the form changed
// ("start 2026", "add solbakken 2027", ...).
func (o *Plan) Save(ctx context.Context, who string, p surveys.Plan, detail string) error {
	return o.atCommit(ctx, who, surveys.PlanID, detail, func(commit func() error) error {
		return o.surveys.SavePlanWith(ctx, p, commit)
	})
}

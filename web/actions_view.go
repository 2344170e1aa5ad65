package web

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
)

// effectView is one linked finding with its effect, ready to show.
type effectView struct {
	// Label names the wave, the group and the measure.
	Label string
	// Key is the finding's key, for the council's finding page.
	Key string
	// Linked is the index when the finding was linked.
	Linked string
	// State is an actions.EffectState; Before and After are set when measured.
	State         string
	Later         string
	Before, After string
	Change        string
	Tested        bool
	Significant   bool
}

// formatIndex writes a 0–100 index with its interval, leaving the
// interval out when it is unknown (fewer than two answers).
func formatIndex(iv analysis.Interval) string {
	if math.IsNaN(iv.Mean) {
		return "–"
	}
	if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
		return fmt.Sprintf("%.0f", iv.Mean)
	}
	return fmt.Sprintf("%.0f (%.0f–%.0f)", iv.Mean, iv.Lo, iv.Hi)
}

// findingLabel names a finding: wave, unit (or municipality) and measure.
func findingLabel(p *page, r *analysis.Results, names unitIndex, unit, item, focus string) string {
	group := p.T("actions.municipality")
	if unit != analysis.Municipality {
		group = names.of(unit)
	}
	measure := focus
	if item != "" {
		measure = item
		if q, ok := r.Instrument.Question(item); ok {
			measure = q.Text.In(p.Lang)
		}
	} else {
		measure = p.T("actions.focus_index", "Name", r.Instrument.FocusAreaName(focus, p.Lang))
	}
	return r.Wave.Name + " · " + group + " · " + measure
}

// effects computes and describes the effects of an action's findings that
// the user may see: with published, the council's and the public's view.
func (h *handler) effects(ctx context.Context, p *page, ev *actions.Evaluator, a *actions.Action, names unitIndex, u *staff.User) ([]effectView, error) {
	var out []effectView
	for _, f := range a.Findings {
		if u != nil && f.Unit != analysis.Municipality && !u.CanSeeUnit(f.Unit) && !u.Has(staff.RoleCouncil) {
			continue
		}
		e, ok, err := ev.Effect(ctx, f)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		r, err := ev.Results(ctx, f.Wave)
		if err != nil {
			return nil, err
		}
		v := effectView{Label: findingLabel(p, r, names, f.Unit, f.Item, f.Focus), Key: f.Key(), State: string(e.State),
			Linked: formatIndex(analysis.Interval{N: f.N, Mean: f.Index, Lo: f.Lo, Hi: f.Hi})}
		if e.Later != nil {
			v.Later = e.Later.Name
		}
		if e.State == actions.Measured {
			v.Before, v.After = formatIndex(*e.Before), formatIndex(*e.After)
			v.Change = fmt.Sprintf("%+.0f", e.After.Mean-e.Before.Mean)
			if e.Test != nil {
				v.Tested, v.Significant = true, e.Test.Significant
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// canSeeAction: admins, advisors and the council see every action; a unit
// leader sees municipality-wide actions, those of their units and those
// they own.
func canSeeAction(u *staff.User, a *actions.Action) bool {
	if u.HasAny(staff.RoleAdmin, staff.RoleAdvisor, staff.RoleCouncil) || len(a.Units) == 0 || a.OwnerUser == u.ID {
		return true
	}
	return slices.ContainsFunc(a.Units, u.CanSeeUnit)
}

// canWorkOnAction: besides advisors and admins, who change everything, the
// owner and the leaders of the action's units update its status and add
// progress notes.
func canWorkOnAction(u *staff.User, a *actions.Action) bool {
	if u.HasAny(staff.RoleAdmin, staff.RoleAdvisor) || a.OwnerUser == u.ID {
		return true
	}
	led := u.UnitsFor(staff.RoleUnitLeader)
	return slices.ContainsFunc(a.Units, func(unit string) bool { return slices.Contains(led, unit) })
}

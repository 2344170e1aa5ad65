package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// ActionSection lists the actions of the year with their status and effect.
type ActionSection struct {
	// Counts says how many there are, by status.
	Counts string
	Rows   []ActionRow
}

// ActionRow is one action as the report shows it.
type ActionRow struct {
	Title, Focus, Owner, Period, Units, Status string
	// Overdue: still open after its period ended.
	Overdue bool
	// Effects say, per linked finding, what a later published wave showed.
	Effects []string
}

// inYear reports whether an action belongs in the year's report: it
// existed by the end of the year and its period covers the year, or it
// is ongoing, or its period ended earlier but it is still open.
func inYear(a *actions.Action, year int) bool {
	if a.Created.In(surveys.Oslo).Year() > year {
		return false
	}
	p, err := actions.ParsePeriod(a.Period)
	switch {
	case err != nil || p.Ongoing:
		return true
	case p.From > year:
		return false
	}
	return p.To >= year || a.Status.Open()
}

func (r *Report) actions(ctx context.Context, src Sources, names unitNames, now time.Time) error {
	all, err := src.Actions.List(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	// Effects as the public reads them: published waves only.
	ev, err := actions.NewEvaluator(ctx, src.Results, src.DB, analysis.Public)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	byStatus := map[actions.Status]int{}
	var rows []ActionRow
	for i := range all {
		a := &all[i]
		if !inYear(a, r.Year) {
			continue
		}
		byStatus[a.Status]++
		row := ActionRow{Title: a.Title, Owner: a.Owner, Period: a.Period, Status: r.T("actions.status." + string(a.Status)),
			Overdue: a.Overdue(now.In(surveys.Oslo).Year())}
		if a.FocusArea != "" {
			row.Focus = feedback.FocusName(a.FocusArea, r.Lang)
		}
		if len(a.Units) == 0 {
			row.Units = r.T("report.actions.all_units")
		} else {
			var us []string
			for _, u := range a.Units {
				us = append(us, names.of(u))
			}
			row.Units = strings.Join(us, ", ")
		}
		for _, f := range a.Findings {
			text, err := r.effect(ctx, ev, f, names)
			if err != nil {
				return err
			}
			if text != "" {
				row.Effects = append(row.Effects, text)
			}
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b ActionRow) int { return cmp.Or(cmp.Compare(a.Focus, b.Focus), cmp.Compare(a.Title, b.Title)) })
	r.Actions.Rows = rows
	var parts []string
	for _, s := range actions.Statuses {
		if n := byStatus[s]; n > 0 {
			parts = append(parts, r.T("report.actions.count_status", "Count", n, "Status", strings.ToLower(r.T("actions.status."+string(s)))))
		}
	}
	r.Actions.Counts = r.T("report.actions.count", "Count", len(rows))
	if len(parts) > 0 {
		r.Actions.Counts += ": " + strings.Join(parts, ", ")
	}
	return nil
}

// effect says what the first later published wave showed for a finding,
// or "" when the finding's own wave is not published.
func (r *Report) effect(ctx context.Context, ev *actions.Evaluator, f actions.Finding, names unitNames) (string, error) {
	e, ok, err := ev.Effect(ctx, f)
	if err != nil || !ok {
		return "", err
	}
	res, err := ev.Results(ctx, f.Wave)
	if err != nil {
		return "", err
	}
	group := r.T("report.municipality")
	if f.Unit != analysis.Municipality {
		group = names.of(f.Unit)
	}
	measure := r.T("report.actions.focus_index", "Name", res.Instrument.FocusAreaName(f.Focus, r.Lang))
	if f.Item != "" {
		measure = f.Item
		if q, ok := res.Instrument.Question(f.Item); ok {
			measure = q.Text.In(r.Lang)
		}
	}
	what := group + ", " + measure
	later := ""
	if e.Later != nil {
		later = e.Later.Name
	}
	switch e.State {
	case actions.Measured:
		diff := math.Round(e.After.Mean) - math.Round(e.Before.Mean)
		key := "report.effect.measured"
		if e.Test != nil && e.Test.Significant && analysis.Direction(diff) != "same" {
			key += "_sig"
		}
		return r.T(key, "What", what, "Wave", res.Wave.Name, "Later", later, "Before", whole(e.Before.Mean),
			"After", whole(e.After.Mean), "Change", fmt.Sprintf("%+.0f", diff)), nil
	case actions.ChangedUnits:
		return r.T("report.effect.changed_units", "What", what, "Later", later), nil
	case actions.TooFew:
		return r.T("report.effect.too_few", "What", what, "Later", later), nil
	}
	return r.T("report.effect.not_yet", "What", what, "Wave", res.Wave.Name), nil
}

package report

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// FeedbackSection is the standing feedback form's volume and the contact
// requests answered in time, over whole months of the year.
type FeedbackSection struct {
	// Period names the months counted; Empty when no month of the year
	// has ended yet.
	Period string
	Empty  bool
	Total  string
	// Themes are the focus areas named in feedback, with those naming none.
	Themes []Count
	// Units are the units shown with the rest merged last; UnitsLeftOut
	// says no unit could be shown without revealing a small one.
	Units        []Count
	UnitsLeftOut bool
	Contact      ContactShare
}

// Count is one line of a breakdown.
type Count struct {
	Name, N string
	Value   int
	// Other marks the merged rest.
	Other bool
}

// ContactShare is how many contact requests were answered within the
// deadline of 2 working days, of those whose outcome is known.
type ContactShare struct {
	Has bool
	// Text says it in one line: "17 of 20 (85 %)".
	Text                   string
	Within, Total, Percent string
	Units                  []ShareRow
	UnitsLeftOut           bool
}

// ShareRow is one unit's (or the rest's) share in time.
type ShareRow struct {
	Name, Within, Total, Percent string
	Other                        bool
}

// period is the whole months of the year that have ended by now: a report
// made on any day of a month shows the same feedback figures, so that two
// reports made days apart do not tell who wrote in between.
func period(year int, now time.Time) (from, to time.Time) {
	now = now.In(surveys.Oslo)
	from = time.Date(year, 1, 1, 0, 0, 0, 0, surveys.Oslo)
	to = time.Date(year+1, 1, 1, 0, 0, 0, 0, surveys.Oslo)
	if month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, surveys.Oslo); month.Before(to) {
		to = month
	}
	return from, to
}

func (r *Report) feedback(ctx context.Context, src Sources, units []surveys.Unit, now time.Time) error {
	from, to := period(r.Year, now)
	fb := &r.Feedback
	if !from.Before(to) {
		fb.Empty = true
		fb.Period = r.T("report.feedback.no_month")
		return nil
	}
	fb.Period = r.T("report.feedback.period", "From", r.date(surveys.LocalDate(from)), "To", r.date(surveys.LocalDate(to.AddDate(0, 0, -1))))
	counts, err := src.Feedback.Counts(ctx, from, to)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	names, sources := feedbackSources(units)
	byTheme, byUnit, total := map[string]int{}, map[string]int{}, 0
	for _, c := range counts {
		byTheme[c.Focus] += c.N
		byUnit[sources(c.Unit)] += c.N
		total += c.N
	}
	fb.Total = strconv.Itoa(total)
	for _, key := range append(feedback.FocusAreas(), "") {
		name := r.T("report.feedback.no_theme")
		if key != "" {
			name = feedback.FocusName(key, r.Lang)
		}
		fb.Themes = append(fb.Themes, Count{Name: name, N: strconv.Itoa(byTheme[key]), Value: byTheme[key]})
	}
	fb.Units, fb.UnitsLeftOut = r.breakdown(byUnit, names, total)
	shares, err := src.Feedback.DeadlineShares(ctx, from, to)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	r.contactShares(shares, names, sources)
	return nil
}

// feedbackSources names the units feedback can be about and maps a
// feedback's unit to its source: "" for the municipality as a whole.
func feedbackSources(units []surveys.Unit) (unitNames, func(string) string) {
	names := unitNames{}
	whole := map[string]bool{"": true}
	for _, u := range units {
		names[u.ID] = u.Name
		if u.Kind == surveys.KindMunicipality || u.Kind == surveys.KindSector {
			whole[u.ID] = true
		}
	}
	return names, func(unit string) string {
		if whole[unit] {
			return ""
		}
		return unit
	}
}

// breakdown lists the units that protectCounts lets show, then the rest.
func (r *Report) breakdown(counts map[string]int, names unitNames, total int) ([]Count, bool) {
	if total == 0 {
		return nil, false
	}
	shown, rest := protectCounts(counts, Threshold)
	if len(shown) == 0 {
		return nil, true
	}
	var out []Count
	for _, u := range shown {
		out = append(out, Count{Name: names.of(u), N: strconv.Itoa(counts[u]), Value: counts[u]})
	}
	if rest > 0 {
		out = append(out, Count{Name: r.T("report.feedback.other_units"), N: strconv.Itoa(rest), Value: rest, Other: true})
	}
	return out, false
}

func (r *Report) contactShares(shares []feedback.Share, names unitNames, sources func(string) string) {
	c := &r.Feedback.Contact
	totals, within := map[string]int{}, map[string]int{}
	var all feedback.Share
	for _, s := range shares {
		totals[sources(s.Unit)] += s.Total
		within[sources(s.Unit)] += s.Within
		all.Total += s.Total
		all.Within += s.Within
	}
	if all.Total == 0 {
		c.Text = r.T("report.contact.none")
		return
	}
	c.Has = true
	c.Within, c.Total, c.Percent = strconv.Itoa(all.Within), strconv.Itoa(all.Total), r.T("report.percent", "N", all.Percent())
	c.Text = r.T("report.contact.share", "Within", c.Within, "Total", c.Total, "Percent", c.Percent)
	// Per unit only what protectCounts allows for the requests' counts; the
	// rest's share follows from the totals anyway.
	shown, rest := protectCounts(totals, Threshold)
	if len(shown) == 0 {
		c.UnitsLeftOut = true
		return
	}
	row := func(name string, s feedback.Share, other bool) ShareRow {
		return ShareRow{Name: name, Within: strconv.Itoa(s.Within), Total: strconv.Itoa(s.Total),
			Percent: r.T("report.percent", "N", s.Percent()), Other: other}
	}
	restWithin := all.Within
	for _, u := range shown {
		c.Units = append(c.Units, row(names.of(u), feedback.Share{Within: within[u], Total: totals[u]}, false))
		restWithin -= within[u]
	}
	if rest > 0 {
		c.Units = append(c.Units, row(r.T("report.feedback.other_units"), feedback.Share{Within: restWithin, Total: rest}, true))
	}
}

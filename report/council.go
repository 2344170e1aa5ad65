package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/surveys"
)

// CouncilSection lists the year's council and dialogue meetings with the
// decisions made at each.
type CouncilSection struct {
	Counts   string
	Meetings []MeetingRow
}

// MeetingRow is one meeting.
type MeetingRow struct {
	Date, Kind, Title, Place string
	Decisions                []DecisionRow
}

// DecisionRow is one decision with its follow-up and where it stands.
type DecisionRow struct {
	Text, Responsible, FollowUp, Status string
	Overdue                             bool
}

func (r *Report) council(ctx context.Context, src Sources, now time.Time) error {
	meetings, err := src.Council.Meetings(ctx, "")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	today := surveys.LocalDate(now)
	prefix := strconv.Itoa(r.Year) + "-"
	var councils, dialogues, decisions, done, overdue int
	for _, m := range meetings {
		if !strings.HasPrefix(m.Date, prefix) {
			continue
		}
		row := MeetingRow{Date: r.date(m.Date), Kind: r.T("report.council.kind." + m.Kind), Title: m.Title, Place: m.Place}
		if m.Kind == council.KindDialogue {
			dialogues++
		} else {
			councils++
		}
		ds, err := src.Council.Decisions(ctx, m.ID)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		for _, d := range ds {
			dr := DecisionRow{Text: d.Text, Responsible: d.Responsible, FollowUp: r.date(d.FollowUp), Overdue: d.Overdue(today)}
			switch {
			case d.Done:
				dr.Status = r.T("report.decision.done")
				done++
			case dr.Overdue:
				dr.Status = r.T("report.decision.overdue")
				overdue++
			default:
				dr.Status = r.T("report.decision.open")
			}
			decisions++
			row.Decisions = append(row.Decisions, dr)
		}
		r.Council.Meetings = append(r.Council.Meetings, row)
	}
	// Oldest first, as minutes are read.
	slices.Reverse(r.Council.Meetings)
	r.Council.Counts = r.T("report.council.count", "Meetings", councils, "Dialogues", dialogues, "Decisions", decisions,
		"Done", done, "Overdue", overdue)
	return nil
}

package web

import (
	"context"

	"github.com/stemme/stemme/analysis"
)

// textTable counts free-text answers by focus area and review status.
type textTable struct {
	Statuses []string
	Rows     []textRow
}

type textRow struct {
	Focus  string
	Counts []int
	Total  int
}

var textStatuses = []string{analysis.TextPending, analysis.TextApproved, analysis.TextRedacted, analysis.TextHidden}

// textTable counts the free text of the unit (or of every unit in scope
// for the municipality), only ever of units whose results are shown: a
// hidden group hides its text, and so the size of its text too. A total
// over shown units only is the sum of counts each of which could be shown.
func (h *handler) textTable(ctx context.Context, p *page, r *analysis.Results, rd analysis.Reader, unit string) (textTable, error) {
	counts, err := analysis.TextCounts(ctx, h.cfg.Store.DB, r.Wave.ID)
	if err != nil {
		return textTable{}, err
	}
	t := textTable{}
	for _, s := range textStatuses {
		t.Statuses = append(t.Statuses, p.T("results.text."+s))
	}
	type cell struct{ focus, status string }
	sum := map[cell]int{}
	for k, n := range counts {
		inScope := k.Unit == unit || (unit == analysis.Municipality && rd.SeesUnit(r.Wave, k.Unit))
		if !inScope || r.Group(k.Unit, analysis.AllSegment, "").Hidden {
			continue
		}
		sum[cell{k.Focus, k.Status}] += n
	}
	areas := make([][2]string, 0, len(r.Instrument.FocusAreas)+1)
	for _, fa := range r.Instrument.FocusAreas {
		areas = append(areas, [2]string{fa.Key, fa.Name.In(p.Lang)})
	}
	areas = append(areas, [2]string{"", p.T("results.no_focus")})
	for _, a := range areas {
		row := textRow{Focus: a[1]}
		for _, s := range textStatuses {
			n := sum[cell{a[0], s}]
			row.Counts = append(row.Counts, n)
			row.Total += n
		}
		if row.Total > 0 {
			t.Rows = append(t.Rows, row)
		}
	}
	return t, nil
}

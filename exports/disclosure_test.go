package exports_test

import (
	"strconv"
	"testing"

	"github.com/stemme/stemme/analysis/disclosure"
	"github.com/stemme/stemme/exports"
)

// TestExportGivesAwayNoHiddenCount reads the Sammendrag sheet back the way
// an analyst with the export alone would, builds every relation between
// its counts that the export states (the total is the sum of the units it
// shows; each background question's groups add up to the total) and solves
// for each hidden count: none is narrower than the threshold. The counts
// read back must also satisfy those relations, or the model would be
// wrong (the audit refuses contradictions).
func TestExportGivesAwayNoHiddenCount(t *testing.T) {
	f := newFixture(t)
	x, _ := f.xlsx(t, exports.Options{Lang: "nb"})
	rs := rows(t, x, "Sammendrag")
	const total = "Alle enhetene som vises"
	type key struct{ unit, segment, value string }
	for _, item := range []string{"", "a", "age"} {
		s := disclosure.NewSystem("Sammendrag " + item)
		var units []string
		segments := map[string][]string{}
		seen := map[key]bool{}
		for _, r := range rs[1:] {
			if cell(r, 5) != "a" {
				continue // one row per group and question: read the groups once
			}
			k := key{cell(r, 0), cell(r, 1), cell(r, 2)}
			if seen[k] {
				continue
			}
			seen[k] = true
			id := k.unit + "|" + k.segment + "|" + k.value
			row := r
			if item != "" && item != "a" {
				row = summaryRow(t, rs, k.unit, k.value, item)
			}
			col := 3 // respondents
			if item != "" {
				col = 8 // n of the question
			}
			if v, err := strconv.ParseInt(cell(row, col), 10, 64); err == nil {
				s.Set(id, disclosure.Shown, v, id)
			} else {
				s.Set(id, disclosure.HiddenGroup, 0, id)
			}
			switch {
			case k.unit != total:
				if v, err := strconv.ParseInt(cell(r, 3), 10, 64); err == nil && v > 0 && (item == "" || cell(row, 8) != "") {
					units = append(units, id) // shown: part of the total
				}
			case k.segment != "":
				segments[k.segment] = append(segments[k.segment], id)
			}
		}
		totalID := total + "||"
		s.Sum("units", totalID, units...)
		for seg, parts := range segments {
			s.Sum("by "+seg, totalID, parts...)
		}
		ranges, findings, err := s.Audit(5)
		if err != nil {
			t.Fatalf("%s: %v", item, err)
		}
		for _, fd := range findings {
			t.Errorf("%s", fd)
		}
		if item == "" && len(ranges) < 2 {
			t.Errorf("only %d hidden counts: the fixture should hide u3 and background groups", len(ranges))
		}
	}
}

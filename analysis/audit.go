package analysis

import (
	"math"

	"github.com/stemme/stemme/analysis/disclosure"
)

// AuditReport is what the disclosure audit found in results as one reader
// sees them: how many hidden counts it solved for, the narrowest interval
// among them, and every count narrowed below the threshold.
type AuditReport struct {
	Hidden    int
	Narrowest float64
	Findings  []disclosure.Finding
}

// Audit attacks results the way a reader who combines every figure would
// (package disclosure): for every hidden count, the least and greatest
// value consistent with what is shown. With values, the count of each
// answer value in each hidden group is checked too (it must not be shown
// to be above zero).
func (r *Results) Audit(values bool) (AuditReport, error) {
	rep := AuditReport{Narrowest: math.Inf(1)}
	for _, s := range r.Systems(values) {
		ranges, findings, err := s.Audit(int64(r.Threshold))
		if err != nil {
			return rep, err
		}
		for _, rg := range ranges {
			rep.Hidden++
			if rg.Kind != disclosure.HiddenValue && rg.Width() < rep.Narrowest {
				rep.Narrowest = rg.Width()
			}
		}
		rep.Findings = append(rep.Findings, findings...)
	}
	return rep, nil
}

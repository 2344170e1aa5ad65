package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// auditRoles are the readers audit-disclosure plays, by role name.
var auditRoles = []string{"advisor", "unit_leader", "council", "public"}

// runAuditDisclosure builds every table each role can see of each wave with
// results and solves, for every hidden count, the interval a reader who
// combines them all could narrow it to; it exits 1 when any is narrower
// than the wave's threshold, naming the count and the tables that give it.
func runAuditDisclosure(ctx context.Context, args []string, out io.Writer) error {
	var wave, role string
	var values bool
	cfg, err := loadConfig("audit-disclosure", args, out, func(fs *flag.FlagSet) {
		fs.StringVar(&wave, "wave", "", "the wave to audit (default: every wave with results)")
		fs.StringVar(&role, "role", "", "advisor, unit_leader (each unit's leader), council or public (default: all)")
		fs.BoolVar(&values, "values", true, "also check each answer value of every hidden group (slower)")
	})
	if err != nil {
		return err
	}
	roles := auditRoles
	if role != "" {
		if !slices.Contains(auditRoles, role) {
			return usageError{fmt.Errorf("--role must be one of advisor, unit_leader, council, public")}
		}
		roles = []string{role}
	}
	return withStore(ctx, cfg, func(st *store.Store) error {
		svc := analysis.NewService(st.DB)
		waves, err := svc.Waves(ctx, analysis.Reader{All: true})
		if err != nil {
			return err
		}
		failed, audited := 0, 0
		for i := range waves {
			w := &waves[i]
			if (wave != "" && w.ID != wave) || !w.ResultsReady() {
				continue
			}
			for _, rl := range roles {
				for _, rd := range auditReaders(rl, w) {
					v, err := svc.View(ctx, rd.reader, w.ID)
					if err != nil || v.Results == nil {
						continue // not this reader's to see
					}
					rep, err := v.Results.Audit(values)
					if err != nil {
						return fmt.Errorf("auditing %s as %s: %w", w.ID, rd.name, err)
					}
					audited++
					narrowest := "none hidden"
					if !math.IsInf(rep.Narrowest, 1) {
						narrowest = fmt.Sprintf("narrowest interval %g", rep.Narrowest)
					}
					fmt.Fprintf(out, "%s as %s: %d hidden counts, %s, %d findings (threshold %d)\n",
						w.ID, rd.name, rep.Hidden, narrowest, len(rep.Findings), v.Results.Threshold)
					for _, f := range rep.Findings {
						fmt.Fprintln(out, "  "+f.String())
					}
					if len(rep.Findings) > 0 {
						failed++
					}
				}
			}
		}
		if wave != "" && audited == 0 {
			return fmt.Errorf("wave %s has no results to audit (it must be closed and counted)", wave)
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d views let a reader narrow a hidden count below the threshold", failed, audited)
		}
		fmt.Fprintf(out, "Every hidden count of %d views keeps an interval at least the threshold wide.\n", audited)
		return nil
	})
}

type namedReader struct {
	name   string
	reader analysis.Reader
}

// auditReaders are the readers a role stands for on a wave: one per unit
// for unit leaders.
func auditReaders(role string, w *surveys.Wave) []namedReader {
	switch role {
	case "advisor":
		return []namedReader{{"advisor", analysis.Reader{All: true}}}
	case "council":
		return []namedReader{{"council", analysis.Reader{Published: true}}}
	case "public":
		return []namedReader{{"public", analysis.Public}}
	}
	var out []namedReader
	for _, u := range w.Units {
		out = append(out, namedReader{"unit leader of " + u, analysis.Reader{Units: []string{u}}})
	}
	return out
}

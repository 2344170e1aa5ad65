package surveys

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

const colPlans = "plans"

// PlanID is the id of the municipality's one survey plan.
const PlanID = "plan"

// OverallEvery is the cadence of the overall survey, in years ("hvert 4. år").
const OverallEvery = 4

// DefaultStaleAfterYears is how long a unit may go unsurveyed before the plan flags it.
const DefaultStaleAfterYears = 3

// Plan is the survey plan advisors keep: the four-yearly overall survey and
// which units run a unit-level survey in which year.
type Plan struct {
	ID string `bson:"_id"`
	// OverallStartYear is a year in which the overall survey runs; it runs
	// every OverallEvery years from then on.
	OverallStartYear int         `bson:"overall_start_year"`
	Entries          []PlanEntry `bson:"entries"`
	// StaleAfterYears flags a unit not surveyed for longer than this; 0 means the default.
	StaleAfterYears int `bson:"stale_after_years"`
}

// PlanEntry plans a unit-level survey of one unit in one year.
type PlanEntry struct {
	Unit string `bson:"unit"`
	Year int    `bson:"year"`
}

func validYear(y int) bool { return y >= 2000 && y <= 2100 }

// Validate lists every problem with the plan; units holds every unit by id.
func (p Plan) Validate(units map[string]Unit) error {
	var ps Problems
	if !validYear(p.OverallStartYear) {
		ps.add("overall_start_year", "%d is not between 2000 and 2100", p.OverallStartYear)
	}
	if p.StaleAfterYears < 0 || p.StaleAfterYears > 20 {
		ps.add("stale_after_years", "%d is not between 1 and 20 (0 for the default %d)", p.StaleAfterYears, DefaultStaleAfterYears)
	}
	seen := map[PlanEntry]bool{}
	for i, e := range p.Entries {
		where := fmt.Sprintf("entries[%d]", i)
		if !validYear(e.Year) {
			ps.add(where, "year %d is not between 2000 and 2100", e.Year)
		}
		if u, ok := units[e.Unit]; !ok {
			ps.add(where, "unit %s does not exist", e.Unit)
		} else if !u.ServiceUnit() {
			ps.add(where, "%s is a %s, not a service unit", e.Unit, u.Kind)
		}
		if seen[e] {
			ps.add(where, "%s is already planned for %d", e.Unit, e.Year)
		}
		seen[e] = true
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// GetPlan returns the survey plan; before one is saved, an empty plan with
// the default staleness (and no overall cadence) is returned.
func (s *Store) GetPlan(ctx context.Context) (Plan, error) {
	var p Plan
	err := s.db.Collection(colPlans).FindOne(ctx, byID(PlanID)).Decode(&p)
	if store.IsNotFound(err) {
		return Plan{ID: PlanID, StaleAfterYears: DefaultStaleAfterYears}, nil
	}
	if err != nil {
		return Plan{}, fmt.Errorf("surveys: unable to read the survey plan: %w", err)
	}
	return p, nil
}

// SavePlan validates the plan against the stored units and replaces the stored one.
func (s *Store) SavePlan(ctx context.Context, p Plan) error {
	return s.SavePlanWith(ctx, p, nil)
}

// SavePlanWith is SavePlan calling commit once the plan is valid, just
// before it is written.
func (s *Store) SavePlanWith(ctx context.Context, p Plan, commit Commit) error {
	units, err := s.Units(ctx)
	if err != nil {
		return err
	}
	if err := p.Validate(unitMap(units)); err != nil {
		return fmt.Errorf("surveys: the survey plan is not valid: %w", err)
	}
	p.ID = PlanID
	if p.StaleAfterYears == 0 {
		p.StaleAfterYears = DefaultStaleAfterYears
	}
	// Stored in year order, so every reader shows the same table.
	p.Entries = slices.Clone(p.Entries)
	slices.SortFunc(p.Entries, func(a, b PlanEntry) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Unit, b.Unit))
	})
	// One document written whole: serialized so two saves cannot interleave.
	defer s.lifecycleLocks.Lock("plan")()
	if err := commit.run(); err != nil {
		return err
	}
	_, err = s.db.Collection(colPlans).ReplaceOne(ctx, byID(PlanID), p, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("surveys: unable to save the survey plan: %w", err)
	}
	return nil
}

// PlanDue reads the plan, units and waves and reports what is due in year.
func (s *Store) PlanDue(ctx context.Context, year int) (DueReport, error) {
	p, err := s.GetPlan(ctx)
	if err != nil {
		return DueReport{}, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return DueReport{}, err
	}
	waves, err := s.Waves(ctx)
	if err != nil {
		return DueReport{}, err
	}
	return p.Due(year, units, waves), nil
}

// WaveRef names a wave and its status; an empty ID means there is none.
type WaveRef struct {
	ID, Status string
}

// PlannedSurvey is a unit planned for a unit-level survey, with its wave if one exists.
type PlannedSurvey struct {
	Unit string
	Wave WaveRef
}

// StaleUnit is an active service unit not surveyed for too long;
// LastYear is 0 when it has never been surveyed.
type StaleUnit struct {
	Unit     string
	LastYear int
}

// DueReport is what the plan asks of one year.
type DueReport struct {
	Year int
	// OverallDue is true in the overall survey's years; OverallWave is an
	// overall wave of Year (of any status, so a draft shows work has begun).
	OverallDue  bool
	OverallWave WaveRef
	// NextOverall is the first overall year at or after Year; 0 without a start year.
	NextOverall int
	Planned     []PlannedSurvey
	Stale       []StaleUnit
}

// OverallDue reports whether the overall survey runs in year. The cadence
// counts whole years from the start year, so leap years do not matter; years
// before the plan started are not due.
func (p Plan) OverallDue(year int) bool {
	return p.OverallStartYear != 0 && year >= p.OverallStartYear && (year-p.OverallStartYear)%OverallEvery == 0
}

// NextOverall is the first overall year at or after year; 0 without a start year.
func (p Plan) NextOverall(year int) int {
	if p.OverallStartYear == 0 {
		return 0
	}
	if year <= p.OverallStartYear {
		return p.OverallStartYear
	}
	return year + (OverallEvery-(year-p.OverallStartYear)%OverallEvery)%OverallEvery
}

// Due reports what the plan asks of year, given every unit and every wave:
// whether the overall survey is due and exists, which planned unit-level
// surveys exist, and which active service units have gone unsurveyed for
// more than StaleAfterYears years. Only open and closed waves count as a
// survey having taken place; a draft has not asked anyone yet.
func (p Plan) Due(year int, units []Unit, waves []Wave) DueReport {
	r := DueReport{Year: year, OverallDue: p.OverallDue(year), NextOverall: p.NextOverall(year)}
	r.OverallWave = bestWave(waves, func(w Wave) bool { return w.Kind == WaveOverall && w.Year == year })
	for _, e := range p.Entries {
		if e.Year != year {
			continue
		}
		ref := bestWave(waves, func(w Wave) bool {
			return w.Kind == WaveUnit && w.Year == year && slices.Contains(w.Units, e.Unit)
		})
		r.Planned = append(r.Planned, PlannedSurvey{Unit: e.Unit, Wave: ref})
	}
	staleAfter := cmp.Or(p.StaleAfterYears, DefaultStaleAfterYears)
	for _, u := range units {
		if !u.Active || !u.ServiceUnit() {
			continue
		}
		last := 0
		for _, w := range waves {
			// Later waves do not count, so a past year's report stays as it was.
			if (w.Status == WaveOpen || w.Status == WaveClosed) && w.Year <= year && slices.Contains(w.Units, u.ID) {
				last = max(last, w.Year)
			}
		}
		if last == 0 || year-last > staleAfter {
			r.Stale = append(r.Stale, StaleUnit{Unit: u.ID, LastYear: last})
		}
	}
	return r
}

// bestWave picks among the matching waves the one furthest along (closed,
// then open, then draft), by id on a tie, so the report is stable.
func bestWave(waves []Wave, match func(Wave) bool) WaveRef {
	rank := map[string]int{WaveClosed: 3, WaveOpen: 2, WaveDraft: 1}
	var best *Wave
	for i := range waves {
		w := &waves[i]
		if !match(*w) {
			continue
		}
		if best == nil || rank[w.Status] > rank[best.Status] || (rank[w.Status] == rank[best.Status] && w.ID < best.ID) {
			best = w
		}
	}
	if best == nil {
		return WaveRef{}
	}
	return WaveRef{ID: best.ID, Status: best.Status}
}

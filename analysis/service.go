package analysis

import (
	"context"
	"errors"
	"math"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Reader is who reads results, as the one read policy sees them. Every
// page, the API, every export and the effects of actions ask the Service
// for a wave's View as some Reader; nothing else computes results.
//
// The policy:
//   - A wave's results exist only once it is closed and every answer it
//     took is counted (surveys.Wave.ResultsReady); from then on they never
//     change. An open wave shows how many have answered, in steps of k.
//   - All (admins, advisors) read every wave: participation while open,
//     every unit's results once closed.
//   - Units (unit leaders) read the waves that include their units: their
//     units' participation while open; once closed, their units' results,
//     the total and its background groups.
//   - Published (the council, the public) read published waves only, whole.
//   - Comparisons with an earlier wave use only a wave the reader may read.
//
// Disclosure control is the same for every reader (Compute): readers see
// subsets of one suppressed set of tables, so what two readers combine is
// no more than what an advisor sees, which the audit covers.
type Reader struct {
	All       bool
	Published bool
	Units     []string
}

// Public is the reader of the public results page.
var Public = Reader{Published: true}

// Reads reports whether the reader may read any results at all.
func (r Reader) Reads() bool { return r.All || r.Published || len(r.Units) > 0 }

// ownUnits reports whether the wave includes any of the reader's units.
func (r Reader) ownUnits(w *surveys.Wave) bool {
	return slices.ContainsFunc(w.Units, func(u string) bool { return slices.Contains(r.Units, u) })
}

// Sees reports whether the reader may see the wave at all (its
// participation while open, its results once closed).
func (r Reader) Sees(w *surveys.Wave) bool {
	switch {
	case w.Status == surveys.WaveDraft:
		return false
	case r.All:
		return true
	case r.Published && w.Published != "" && w.ResultsReady():
		return true
	}
	return r.ownUnits(w)
}

// SeesResults reports whether the reader may read the wave's results.
func (r Reader) SeesResults(w *surveys.Wave) bool {
	return w.ResultsReady() && r.Sees(w)
}

// SeesUnit reports whether the reader may read one unit of a wave it sees
// (the total, Municipality, is read by all who read the wave).
func (r Reader) SeesUnit(w *surveys.Wave, unit string) bool {
	if r.All || (r.Published && w.Published != "") || unit == Municipality {
		return true
	}
	return slices.Contains(r.Units, unit)
}

// ErrNoResults means the reader may not read the wave (or it does not
// exist); callers answer 404 so that an unpublished wave is not even
// confirmed to exist.
var ErrNoResults = errors.New("analysis: no results for this reader")

// State is how far a wave is.
type State int

// States.
const (
	// StateOpen: the wave takes answers; only participation is shown.
	StateOpen State = iota
	// StateCounting: closed, the last answers are being counted.
	StateCounting
	// StateFinal: closed and counted; the results are shown.
	StateFinal
)

// View is one wave as one reader may read it.
type View struct {
	Wave  *surveys.Wave
	State State
	// Results are set in StateFinal: only the groups the reader may see.
	Results *Results
	// Participation is set in StateOpen.
	Participation *Participation
}

// Service computes and caches results (results_cache.go).
type Service struct {
	db      *mongo.Database
	surveys *surveys.Store
	cache   resultsCache
}

// NewService returns a results service on db.
func NewService(db *mongo.Database) *Service {
	s := &Service{db: db, surveys: surveys.NewStore(db), cache: resultsCache{entries: map[string]*cacheEntry{}}}
	s.cache.limit.Store(16)
	return s
}

// SetLimit bounds the entries of the results cache (0: none, for
// benchmarks): one per wave and comparison wave viewed, and one per open
// wave's participation.
func (s *Service) SetLimit(n int) { s.cache.limit.Store(int64(n)) }

// Waves lists the waves a reader sees, newest first.
func (s *Service) Waves(ctx context.Context, rd Reader) ([]surveys.Wave, error) {
	all, err := s.surveys.Waves(ctx)
	if err != nil {
		return nil, err
	}
	var out []surveys.Wave
	for _, w := range all {
		if rd.Sees(&w) {
			out = append(out, w)
		}
	}
	return out, nil
}

// View returns the wave as the reader may read it, or ErrNoResults.
func (s *Service) View(ctx context.Context, rd Reader, waveID string) (*View, error) {
	w, err := s.surveys.Wave(ctx, waveID)
	if store.IsNotFound(err) {
		return nil, ErrNoResults
	}
	if err != nil {
		return nil, err
	}
	if !rd.Sees(w) {
		return nil, ErrNoResults
	}
	v := &View{Wave: w}
	switch {
	case w.Status == surveys.WaveOpen:
		v.State = StateOpen
		v.Participation, err = s.participation(ctx, rd, w)
		return v, err
	case !w.ResultsReady():
		v.State = StateCounting
		return v, nil
	}
	v.State = StateFinal
	waves, err := s.Waves(ctx, rd)
	if err != nil {
		return nil, err
	}
	prev := PreviousWave(w, readyWaves(waves))
	r, err := s.results(ctx, w, prev)
	if err != nil {
		return nil, err
	}
	v.Results = r.For(rd)
	return v, nil
}

func readyWaves(ws []surveys.Wave) []surveys.Wave {
	var out []surveys.Wave
	for _, w := range ws {
		if w.ResultsReady() {
			out = append(out, w)
		}
	}
	return out
}

// For returns the results as a reader may see them: the groups of the
// units the reader reads, the total and its background groups. The
// results are shared: the copy shares the groups, which must not change.
func (r *Results) For(rd Reader) *Results {
	if rd.All || (rd.Published && r.Wave.Published != "") {
		return r
	}
	out := *r
	out.Groups = map[GroupKey]*Group{}
	for k, g := range r.Groups {
		if k.Unit == Municipality || slices.Contains(rd.Units, k.Unit) {
			out.Groups[k] = g
		}
	}
	return &out
}

// Participation is how many have answered an open wave, per unit, in steps
// of k (0–4, 5–9, …): enough to know where to remind, while a reader who
// looks before and after a relative answers sees at most that someone did.
type Participation struct {
	Step  int64
	Units []UnitParticipation
}

// UnitParticipation is one unit's step: From to From+Step−1 answers, and the
// response rate of those bounds when the population is known.
type UnitParticipation struct {
	Unit           string
	From, To       int64
	RateLo, RateHi float64
}

func (s *Service) participation(ctx context.Context, rd Reader, w *surveys.Wave) (*Participation, error) {
	n, err := s.answered(ctx, w)
	if err != nil {
		return nil, err
	}
	step := int64(ClampThreshold(w.Threshold))
	p := &Participation{Step: step}
	for _, u := range w.Units {
		if !rd.SeesUnit(w, u) {
			continue
		}
		from := n[u] / step * step
		up := UnitParticipation{Unit: u, From: from, To: from + step - 1, RateLo: math.NaN(), RateHi: math.NaN()}
		if pop := w.Population[u]; pop > 0 {
			up.RateLo = math.Min(1, float64(up.From)/float64(pop))
			up.RateHi = math.Min(1, float64(up.To)/float64(pop))
		}
		p.Units = append(p.Units, up)
	}
	return p, nil
}

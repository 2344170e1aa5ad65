package surveys

// Lifecycles of waves (draft → open → closed) and instruments (draft →
// published).
//
// Published instruments are immutable. Answers, tallies and comparisons
// between waves refer to an instrument version by id and assume its
// questions and choice values never change (the web layer also caches
// published versions for good). So the only writes to the instruments
// collection in this package are InsertInstrument, which inserts a new id
// and fails on an existing one, and PublishInstrument, whose update matches
// only a draft. A change to a published instrument is a new version.
// TestNothingModifiesPublishedInstruments checks the source for any other write.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// lifecycleLocks serializes status changes per wave and per instrument: the
// embedded store's updates of one document are not atomic, and a check of
// the status followed by a write must not interleave with another.
var lifecycleLocks store.KeyedMutex

// ErrBadTransition is matched (errors.Is) by every refused status change.
var ErrBadTransition = errors.New("surveys: status change not allowed")

// TransitionError says which status change was refused and why.
type TransitionError struct {
	Thing    string // "wave" or "instrument"
	ID       string
	From, To string
	Reason   string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("surveys: %s %s cannot go from %s to %s: %s", e.Thing, e.ID, e.From, e.To, e.Reason)
}

// Is makes errors.Is(err, ErrBadTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrBadTransition }

// ServiceUnit reports whether the unit delivers services (and so can be
// surveyed), as opposed to the municipality or a sector above them.
func (u Unit) ServiceUnit() bool { return u.Kind != KindMunicipality && u.Kind != KindSector }

// Validate lists every problem that keeps the wave from opening. in is the
// wave's instrument (nil when it does not exist) and units every unit known,
// by id. Opens and closes are not compared with today here; OpenWave does that.
func (w *Wave) Validate(in *Instrument, units map[string]Unit) error {
	var ps Problems
	switch w.Kind {
	case WaveOverall:
		// The overall survey speaks for the whole municipality, so a missing
		// active service unit would make it silently partial.
		for _, u := range sortedUnits(units) {
			if u.Active && u.ServiceUnit() && !slices.Contains(w.Units, u.ID) {
				ps.addID("units", "wave_unit_uncovered", "an overall wave must cover every active service unit; %s is missing", "Unit", u.ID)
			}
		}
	case WaveUnit:
		if len(w.Units) == 0 {
			ps.addID("units", "wave_units_none", "a unit wave needs at least one unit")
		}
	default:
		ps.addID("kind", "wave_kind", "must be %s or %s, not %q", "Overall", WaveOverall, "Unit", WaveUnit, "Kind", w.Kind)
	}
	seen := map[string]bool{}
	for _, id := range w.Units {
		u, ok := units[id]
		switch {
		case seen[id]:
			ps.addID("units", "wave_unit_twice", "%s is listed twice", "Unit", id)
		case !ok:
			ps.addID("units", "wave_unit_unknown", "unit %s does not exist", "Unit", id)
		case !u.Active:
			ps.addID("units", "wave_unit_inactive", "unit %s is not active", "Unit", id)
		case !u.ServiceUnit():
			ps.addID("units", "wave_unit_not_service", "%s is a %s, not a service unit", "Unit", id, "Kind", u.Kind)
		}
		seen[id] = true
	}
	w.validateInstrument(&ps, in)
	if w.Year < 2000 || w.Year > 2100 {
		ps.addID("year", "wave_year", "%d is not between 2000 and 2100", "Year", w.Year)
	}
	opens, okOpens := parseDate(w.Opens)
	closes, okCloses := parseDate(w.Closes)
	if !okOpens {
		ps.addID("opens", "wave_date", "%q is not a date (YYYY-MM-DD)", "Date", w.Opens)
	}
	if !okCloses {
		ps.addID("closes", "wave_date", "%q is not a date (YYYY-MM-DD)", "Date", w.Closes)
	}
	if okOpens && okCloses && opens.After(closes) {
		ps.addID("closes", "wave_closes_before", "%s is before opens %s", "Closes", w.Closes, "Opens", w.Opens)
	}
	// Zero means the default, which InsertWave fills in.
	if w.Threshold != 0 && w.Threshold < MinThreshold {
		ps.addID("threshold", "wave_threshold", "%d is below the minimum %d", "Threshold", w.Threshold, "Min", MinThreshold)
	}
	w.validateMinAnswered(&ps, in)
	for _, id := range sortedKeys(w.Population) {
		if n := w.Population[id]; n < 0 {
			ps.addID("population", "wave_population_negative", "%s: %d is negative", "Unit", id, "Number", n)
		}
		if !slices.Contains(w.Units, id) {
			ps.addID("population", "wave_population_unit", "%s is not one of the wave's units", "Unit", id)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// validateInstrument requires a published instrument that is complete in
// every language the wave offers: a relative must never meet a question
// that falls back to another language.
func (w *Wave) validateInstrument(ps *Problems, in *Instrument) {
	if len(w.Languages) == 0 {
		ps.addID("languages", "languages_none", "at least one language is required")
	}
	if in == nil {
		ps.addID("instrument", "wave_instrument_unknown", "%q does not exist", "Instrument", w.Instrument)
		return
	}
	if in.Status != InstrumentPublished {
		ps.addID("instrument", "wave_instrument_draft", "%s is not published", "Instrument", w.Instrument)
	}
	var complete []string
	for _, lang := range w.Languages {
		if !in.HasLanguage(lang) {
			ps.addID("languages", "wave_language_not_offered", "instrument %s is not offered in %q", "Instrument", w.Instrument, "Code", lang)
			continue
		}
		missing := in.MissingTexts(lang)
		if stale := in.StaleTexts(lang); len(missing) == 0 && len(stale) > 0 {
			ps.addID("languages", "wave_language_stale", "instrument %s has %d translations into %s made before their source text changed",
				"Instrument", w.Instrument, "Count", len(stale), "Code", lang)
			continue
		}
		if len(missing) == 0 {
			complete = append(complete, lang)
			continue
		}
		// A few places are enough to start from; Translations lists them all.
		shown := strings.Join(missing[:min(3, len(missing))], ", ")
		if len(missing) > 3 {
			shown += ", …"
		}
		ps.addID("languages", "wave_language_incomplete", "instrument %s lacks %d texts in %s: %s", "Instrument", w.Instrument, "Count", len(missing), "Code", lang, "Places", shown)
	}
	// Missing texts are summed up above per language; validating only the
	// complete languages adds every other (structural) problem without
	// repeating them.
	if len(complete) > 0 {
		if err := in.ValidateLanguages(complete); err != nil {
			ps.addID("instrument", "wave_instrument_invalid", "%s is not valid: %v", "Instrument", w.Instrument, "Detail", err.Error())
		}
	}
}

func parseDate(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, Oslo)
	return t, err == nil
}

// unitMap indexes units by id, as Validate takes them.
func unitMap(units []Unit) map[string]Unit {
	m := make(map[string]Unit, len(units))
	for _, u := range units {
		m[u.ID] = u
	}
	return m
}

func sortedUnits(units map[string]Unit) []Unit {
	out := make([]Unit, 0, len(units))
	for _, u := range units {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b Unit) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// OpenWave opens a draft wave after validating it against its instrument
// and the current units. A wave whose closing date has passed cannot open.
func (s *Store) OpenWave(ctx context.Context, id string, now time.Time) error {
	return s.OpenWaveWith(ctx, id, now, nil)
}

// A Commit is called by a change once every check has passed, just before
// the change is written and under its lock; when it fails, nothing is
// written and the change returns its error. Package ops passes the write
// of the change's audit entry, so that a refused change leaves none.
type Commit func() error

// run calls c, if there is one.
func (c Commit) run() error {
	if c == nil {
		return nil
	}
	return c()
}

// OpenWaveWith is OpenWave calling commit just before the status changes.
func (s *Store) OpenWaveWith(ctx context.Context, id string, now time.Time, commit Commit) error {
	defer s.lifecycleLocks.Lock("wave:" + id)()
	w, err := s.Wave(ctx, id)
	if err != nil {
		return err
	}
	if w.Status != WaveDraft {
		reason := "only a draft wave can be opened"
		if w.Status == WaveOpen {
			reason = "it is already open"
		} else if w.Status == WaveClosed {
			reason = "a closed wave is never reopened; answers are compared per period"
		}
		return &TransitionError{Thing: "wave", ID: id, From: w.Status, To: WaveOpen, Reason: reason}
	}
	in, err := s.Instrument(ctx, w.Instrument)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return err
	}
	var ps Problems
	if err := w.Validate(in, unitMap(units)); err != nil && !errors.As(err, &ps) {
		return err
	}
	if today := LocalDate(now); w.Closes != "" && w.Closes < today {
		ps.addID("closes", "wave_closes_passed", "%s has passed", "Closes", w.Closes)
	}
	if len(ps) > 0 {
		return fmt.Errorf("surveys: wave %s cannot open: %w", id, ps)
	}
	if err := commit.run(); err != nil {
		return err
	}
	return s.setWaveStatus(ctx, w, WaveOpen, "opened_on", now)
}

// CloseWave closes an open wave: it takes no more answers, and its results
// become the baseline the next wave is compared with.
func (s *Store) CloseWave(ctx context.Context, id string, now time.Time) error {
	return s.CloseWaveWith(ctx, id, now, nil)
}

// CloseWaveWith is CloseWave calling commit just before the status changes.
func (s *Store) CloseWaveWith(ctx context.Context, id string, now time.Time, commit Commit) error {
	defer s.lifecycleLocks.Lock("wave:" + id)()
	w, err := s.Wave(ctx, id)
	if err != nil {
		return err
	}
	if w.Status != WaveOpen {
		reason := "only an open wave can be closed"
		if w.Status == WaveClosed {
			reason = "it is already closed"
		}
		return &TransitionError{Thing: "wave", ID: id, From: w.Status, To: WaveClosed, Reason: reason}
	}
	if err := commit.run(); err != nil {
		return err
	}
	return s.setWaveStatus(ctx, w, WaveClosed, "closed_on", now)
}

// CloseDue closes the open waves whose closing date has passed, and returns
// their ids. Results exist only for closed waves, so a wave that simply
// runs out of days must be closed too, and never take answers again.
func (s *Store) CloseDue(ctx context.Context, now time.Time) ([]string, error) {
	waves, err := s.Waves(ctx)
	if err != nil {
		return nil, err
	}
	today := LocalDate(now)
	var closed []string
	for i := range waves {
		w := &waves[i]
		if w.Status != WaveOpen || w.Closes == "" || w.Closes >= today {
			continue
		}
		err := s.CloseWave(ctx, w.ID, now)
		if err != nil && !errors.Is(err, ErrBadTransition) {
			return closed, err
		}
		if err == nil {
			closed = append(closed, w.ID)
		}
	}
	return closed, nil
}

// ClosedToFinalize lists the closed waves that are not final yet and were
// closed longer ago than grace (so that every answer whose post saw the
// wave open has reached the inbox or been taken back). A wave closed
// before closing times were recorded qualifies at once. The caller (the
// tallier, holding the tally lease) has just found the inbox and the
// withdrawal requests empty.
func (s *Store) ClosedToFinalize(ctx context.Context, now time.Time, grace time.Duration) ([]string, error) {
	waves, err := s.Waves(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range waves {
		if w.Status != WaveClosed || w.Final {
			continue
		}
		if at, err := time.Parse(time.RFC3339Nano, w.ClosedAt); err == nil && now.Sub(at) < grace {
			continue
		}
		out = append(out, w.ID)
	}
	return out, nil
}

// MarkFinal marks a closed wave's results final: they exist from now on
// and never change.
func (s *Store) MarkFinal(ctx context.Context, id string) error {
	_, err := s.db.Collection(colWaves).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: WaveClosed}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "final", Value: true}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to mark wave %s final: %w", id, err)
	}
	return nil
}

// setWaveStatus moves w to status, recording the local date in dateField.
// The filter repeats the status read, so with several processes on one
// MongoDB a concurrent change makes this a refused transition, not a lost one.
func (s *Store) setWaveStatus(ctx context.Context, w *Wave, status, dateField string, now time.Time) error {
	set := bson.D{{Key: "status", Value: status}, {Key: dateField, Value: LocalDate(now)}}
	if status == WaveClosed {
		set = append(set, bson.E{Key: "closed_at", Value: now.UTC().Format(time.RFC3339Nano)})
	}
	s.interleave("wave", w.ID)
	if g := s.gate(); g != nil {
		// Answers being inserted finish first, and none starts until the
		// gate knows the new status (gate.go).
		g.order.Lock()
		defer g.order.Unlock()
		defer func() { g.forgetStatus(w.ID) }()
	}
	res, err := s.db.Collection(colWaves).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: w.ID}, {Key: "status", Value: w.Status}},
		bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return fmt.Errorf("surveys: unable to set wave %s %s: %w", w.ID, status, err)
	}
	if res.MatchedCount == 0 {
		return &TransitionError{Thing: "wave", ID: w.ID, From: w.Status, To: status, Reason: "its status changed meanwhile"}
	}
	w.Status = status
	return nil
}

// PublishInstrument makes a draft instrument (status draft or unset)
// available to waves: it must be valid and complete in its source language.
// From then on it never changes (see the top of this file).
func (s *Store) PublishInstrument(ctx context.Context, id string) error {
	return s.PublishInstrumentWith(ctx, id, nil)
}

// PublishInstrumentWith is PublishInstrument calling commit once the
// instrument is found complete, just before its status changes.
func (s *Store) PublishInstrumentWith(ctx context.Context, id string, commit Commit) error {
	defer s.lifecycleLocks.Lock("instrument:" + id)()
	in, err := s.Instrument(ctx, id)
	if err != nil {
		return err
	}
	if in.Status == InstrumentPublished {
		return &TransitionError{Thing: "instrument", ID: id, From: in.Status, To: InstrumentPublished,
			Reason: "a published instrument never changes; make a new version"}
	}
	// The source language must be complete; the others may follow in a
	// later version, and a wave offers only the complete ones (see
	// Wave.Validate).
	if err := in.ValidateDraft(); err != nil {
		return fmt.Errorf("surveys: instrument %s cannot be published: %w", id, err)
	}
	if err := commit.run(); err != nil {
		return err
	}
	res, err := s.db.Collection(colInstruments).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: bson.D{{Key: "$ne", Value: InstrumentPublished}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: InstrumentPublished}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to publish instrument %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return &TransitionError{Thing: "instrument", ID: id, From: in.Status, To: InstrumentPublished, Reason: "its status changed meanwhile"}
	}
	return nil
}

package surveys

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// Wave kinds.
const (
	WaveOverall = "overall" // the four-yearly survey of the whole municipality
	WaveUnit    = "unit"    // a unit-level survey per the survey plan
)

// Wave statuses.
const (
	WaveDraft  = "draft"
	WaveOpen   = "open"
	WaveClosed = "closed"
)

// DefaultThreshold is the smallest group shown; MinThreshold the lowest any wave may set.
const (
	DefaultThreshold = 5
	MinThreshold     = 3
)

// Wave publishes one instrument version to units, in chosen languages, for a period.
type Wave struct {
	ID         string   `bson:"_id"`
	Kind       string   `bson:"kind"`
	Name       string   `bson:"name"`
	Year       int      `bson:"year"`
	Instrument string   `bson:"instrument"`
	Units      []string `bson:"units"`
	Languages  []string `bson:"languages"`
	// Opens and Closes are inclusive local dates (YYYY-MM-DD, Europe/Oslo).
	Opens     string `bson:"opens"`
	Closes    string `bson:"closes"`
	Threshold int    `bson:"threshold"`
	// Population is the invitations issued or the recorded population per unit, for response rates.
	Population map[string]int `bson:"population,omitempty"`
	Status     string         `bson:"status"`
	// Published is the local date an advisor published the results, empty
	// until then. Only published results reach the relatives' council and
	// the public results page, always suppressed.
	Published string `bson:"published,omitempty"`
	// ClosedAt is when the wave closed (RFC 3339, UTC).
	ClosedAt string `bson:"closed_at,omitempty"`
	// Final is set once a closed wave's every answer is counted: its
	// results exist from then on and never change (see docs/PRIVACY.md).
	Final bool `bson:"final,omitempty"`
	// MinAnswered is how many questions a relative must answer for a
	// submission to count as an answer (see CountsAsAnswer); zero means 1.
	MinAnswered int `bson:"min_answered,omitempty"`
}

// ResultsReady reports whether the wave's results may be shown to anyone:
// it is closed and every answer it took is counted. An open wave shows
// nobody its results, only how many have answered: someone who reads them
// before and after one relative answers would read that relative's answers.
func (w *Wave) ResultsReady() bool { return w.Status == WaveClosed && w.Final }

// Link is an open survey link for one unit in one wave, as printed on a poster.
type Link struct {
	ID   string `bson:"_id"`
	Wave string `bson:"wave"`
	Unit string `bson:"unit"`
}

// Availability says whether a wave takes answers on a date.
type Availability int

// Availability values.
const (
	Available Availability = iota
	NotYetOpen
	Closed
)

// Availability on the local date today (YYYY-MM-DD).
func (w *Wave) Availability(today string) Availability {
	switch {
	case w.Status == WaveClosed || today > w.Closes:
		return Closed
	case w.Status != WaveOpen || today < w.Opens:
		return NotYetOpen
	}
	return Available
}

// Oslo is the municipality's time zone; dates on answers and waves are local dates.
var Oslo = mustLocation("Europe/Oslo")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked into the binary, so this cannot fail
	}
	return loc
}

// LocalDate is the date of t in Oslo, the only time of an answer ever stored.
func LocalDate(t time.Time) string { return t.In(Oslo).Format(time.DateOnly) }

// InsertWave stores a wave and creates an open link for each of its units.
func (s *Store) InsertWave(ctx context.Context, w *Wave) ([]Link, error) {
	if w.Threshold == 0 {
		w.Threshold = DefaultThreshold
	}
	if w.Threshold < MinThreshold {
		return nil, fmt.Errorf("surveys: wave %s: threshold %d is below %d", w.ID, w.Threshold, MinThreshold)
	}
	if _, err := s.db.Collection(colWaves).InsertOne(ctx, w); err != nil {
		return nil, fmt.Errorf("surveys: unable to insert wave %s: %w", w.ID, err)
	}
	links := make([]Link, 0, len(w.Units))
	for _, u := range w.Units {
		l := Link{ID: NewLinkID(), Wave: w.ID, Unit: u}
		if _, err := s.db.Collection(colLinks).InsertOne(ctx, l); err != nil {
			return nil, fmt.Errorf("surveys: unable to insert link for %s/%s: %w", w.ID, u, err)
		}
		links = append(links, l)
	}
	return links, nil
}

// Wave returns one wave.
func (s *Store) Wave(ctx context.Context, id string) (*Wave, error) {
	var w Wave
	if err := s.db.Collection(colWaves).FindOne(ctx, byID(id)).Decode(&w); err != nil {
		return nil, fmt.Errorf("surveys: unable to find wave %s: %w", id, err)
	}
	return &w, nil
}

// Waves lists every wave, newest first.
func (s *Store) Waves(ctx context.Context) ([]Wave, error) {
	opts := options.Find().SetSort(bson.D{{Key: "opens", Value: -1}, {Key: "_id", Value: 1}})
	ws, err := store.FindAll[Wave](ctx, s.db.Collection(colWaves), bson.D{}, opts)
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to list waves: %w", err)
	}
	return ws, nil
}

// Link returns the open link with the id.
func (s *Store) Link(ctx context.Context, id string) (Link, error) {
	var l Link
	if err := s.db.Collection(colLinks).FindOne(ctx, byID(id)).Decode(&l); err != nil {
		return Link{}, fmt.Errorf("surveys: unable to find link: %w", err)
	}
	return l, nil
}

// Links lists the open links of a wave.
func (s *Store) Links(ctx context.Context, wave string) ([]Link, error) {
	ls, err := store.FindAll[Link](ctx, s.db.Collection(colLinks), bson.D{{Key: "wave", Value: wave}})
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to list links of %s: %w", wave, err)
	}
	return ls, nil
}

// linkAlphabet leaves out letters that are easily confused when typed from a poster.
const linkAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewLinkID returns a random 10-character link id (about 49 bits).
func NewLinkID() string { return random.String(linkAlphabet, 10) }

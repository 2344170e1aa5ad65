package council

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Collections. All are small (a council meets a few times a year); agenda
// items, decisions and comments are documents of their own, so that two
// people writing at once never overwrite each other.
const (
	colSettings  = "council_settings"
	colMembers   = "council_members"
	colMeetings  = "council_meetings"
	colAgenda    = "council_agenda"
	colDecisions = "council_decisions"
	colComments  = "council_comments"
)

const settingsID = "council"

// locks serializes changes of one shared document (a meeting's minutes,
// a decision's status, the settings) within the process.
var locks store.KeyedMutex

// Store reads and writes the council's documents.
type Store struct{ db *mongo.Database }

// NewStore returns a council store on db.
func NewStore(db *mongo.Database) *Store { return &Store{db: db} }

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// Settings returns the council settings, empty when none are saved.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	var st Settings
	err := s.db.Collection(colSettings).FindOne(ctx, byID(settingsID)).Decode(&st)
	if store.IsNotFound(err) {
		return Settings{ID: settingsID}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("council: unable to read settings: %w", err)
	}
	return st, nil
}

// SaveSettings replaces the council settings.
func (s *Store) SaveSettings(ctx context.Context, st Settings) error {
	st.ID = settingsID
	if err := st.Validate(); err != nil {
		return err
	}
	defer locks.Lock(settingsID)()
	_, err := s.db.Collection(colSettings).ReplaceOne(ctx, byID(settingsID), st, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("council: unable to save settings: %w", err)
	}
	return nil
}

// AddMember adds a council member, with m.ID when it is set (from NewID)
// or a new id.
func (s *Store) AddMember(ctx context.Context, m Member, now time.Time) (*Member, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.ID == "" {
		m.ID = newID()
	}
	m.Added = now.UTC()
	if _, err := s.db.Collection(colMembers).InsertOne(ctx, m); err != nil {
		return nil, fmt.Errorf("council: unable to add member: %w", err)
	}
	return &m, nil
}

// RemoveMember removes a member.
func (s *Store) RemoveMember(ctx context.Context, id string) error {
	res, err := s.db.Collection(colMembers).DeleteOne(ctx, byID(id))
	if err != nil {
		return fmt.Errorf("council: unable to remove member: %w", err)
	}
	if res.DeletedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// Members lists the members by name.
func (s *Store) Members(ctx context.Context) ([]Member, error) {
	ms, err := store.FindAll[Member](ctx, s.db.Collection(colMembers), bson.D{}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("council: unable to list members: %w", err)
	}
	return ms, nil
}

// AddMeeting validates and stores a meeting, with m.ID when it is set
// (from NewID) or a new id.
func (s *Store) AddMeeting(ctx context.Context, m Meeting) (*Meeting, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.ID == "" {
		m.ID = newID()
	}
	if _, err := s.db.Collection(colMeetings).InsertOne(ctx, m); err != nil {
		return nil, fmt.Errorf("council: unable to add meeting: %w", err)
	}
	return &m, nil
}

// Meeting returns one meeting.
func (s *Store) Meeting(ctx context.Context, id string) (*Meeting, error) {
	var m Meeting
	err := s.db.Collection(colMeetings).FindOne(ctx, byID(id)).Decode(&m)
	if store.IsNotFound(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("council: unable to read meeting %s: %w", id, err)
	}
	return &m, nil
}

// Meetings lists the meetings of a kind ("" for all), newest first.
func (s *Store) Meetings(ctx context.Context, kind string) ([]Meeting, error) {
	q := bson.D{}
	if kind != "" {
		q = bson.D{{Key: "kind", Value: kind}}
	}
	ms, err := store.FindAll[Meeting](ctx, s.db.Collection(colMeetings), q,
		options.Find().SetSort(bson.D{{Key: "date", Value: -1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("council: unable to list meetings: %w", err)
	}
	return ms, nil
}

// SaveMinutes replaces a meeting's minutes.
func (s *Store) SaveMinutes(ctx context.Context, id, minutes string) error {
	minutes = strings.TrimSpace(minutes)
	if err := CheckMinutes(minutes); err != nil {
		return err
	}
	defer locks.Lock("meeting:" + id)()
	res, err := s.db.Collection(colMeetings).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "minutes", Value: minutes}}}})
	if err != nil {
		return fmt.Errorf("council: unable to save minutes of %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// AddAgendaItem adds a point to a meeting's agenda.
func (s *Store) AddAgendaItem(ctx context.Context, a AgendaItem, now time.Time) (*AgendaItem, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.Meeting(ctx, a.Meeting); err != nil {
		return nil, err
	}
	a.ID, a.Added = newID(), now.UTC()
	if _, err := s.db.Collection(colAgenda).InsertOne(ctx, a); err != nil {
		return nil, fmt.Errorf("council: unable to add agenda item: %w", err)
	}
	return &a, nil
}

// Agenda lists a meeting's agenda in the order it was set.
func (s *Store) Agenda(ctx context.Context, meeting string) ([]AgendaItem, error) {
	as, err := store.FindAll[AgendaItem](ctx, s.db.Collection(colAgenda), bson.D{{Key: "meeting", Value: meeting}})
	if err != nil {
		return nil, fmt.Errorf("council: unable to read agenda of %s: %w", meeting, err)
	}
	slices.SortFunc(as, func(a, b AgendaItem) int { return cmp.Or(a.Added.Compare(b.Added), cmp.Compare(a.ID, b.ID)) })
	return as, nil
}

// AddDecision records a meeting's decision.
func (s *Store) AddDecision(ctx context.Context, d Decision, now time.Time) (*Decision, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.Meeting(ctx, d.Meeting); err != nil {
		return nil, err
	}
	d.ID, d.Added, d.Done = newID(), now.UTC(), false
	if _, err := s.db.Collection(colDecisions).InsertOne(ctx, d); err != nil {
		return nil, fmt.Errorf("council: unable to add decision: %w", err)
	}
	return &d, nil
}

// SetDecisionDone marks a decision followed up (or not).
func (s *Store) SetDecisionDone(ctx context.Context, id string, done bool) error {
	defer locks.Lock("decision:" + id)()
	res, err := s.db.Collection(colDecisions).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "done", Value: done}}}})
	if err != nil {
		return fmt.Errorf("council: unable to change decision %s: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return ErrNotFound
	}
	return nil
}

// Decisions lists the decisions of a meeting ("" for all), by follow-up date.
func (s *Store) Decisions(ctx context.Context, meeting string) ([]Decision, error) {
	q := bson.D{}
	if meeting != "" {
		q = bson.D{{Key: "meeting", Value: meeting}}
	}
	ds, err := store.FindAll[Decision](ctx, s.db.Collection(colDecisions), q)
	if err != nil {
		return nil, fmt.Errorf("council: unable to list decisions: %w", err)
	}
	slices.SortFunc(ds, func(a, b Decision) int { return cmp.Or(cmp.Compare(a.FollowUp, b.FollowUp), cmp.Compare(a.ID, b.ID)) })
	return ds, nil
}

// OverdueDecisions lists the decisions not done and past their follow-up date.
func (s *Store) OverdueDecisions(ctx context.Context, today string) ([]Decision, error) {
	ds, err := s.Decisions(ctx, "")
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ds, func(d Decision) bool { return !d.Overdue(today) }), nil
}

// AddComment stores a comment on a finding or an action.
func (s *Store) AddComment(ctx context.Context, c Comment, now time.Time) (*Comment, error) {
	c.Text = strings.TrimSpace(c.Text)
	if err := required("text", c.Text, maxLong); err != nil {
		return nil, err
	}
	kind, id, _ := strings.Cut(c.Target, ":")
	if (kind != TargetFinding && kind != TargetAction) || id == "" {
		return nil, &FieldError{Field: "target", Message: "council.error.kind"}
	}
	c.ID, c.At = newID(), now.UTC()
	if _, err := s.db.Collection(colComments).InsertOne(ctx, c); err != nil {
		return nil, fmt.Errorf("council: unable to add comment: %w", err)
	}
	return &c, nil
}

// Comments lists the comments on a target, oldest first.
func (s *Store) Comments(ctx context.Context, target string) ([]Comment, error) {
	cs, err := store.FindAll[Comment](ctx, s.db.Collection(colComments), bson.D{{Key: "target", Value: target}})
	if err != nil {
		return nil, fmt.Errorf("council: unable to read comments: %w", err)
	}
	slices.SortFunc(cs, func(a, b Comment) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return cs, nil
}

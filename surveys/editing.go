package surveys

// Editing drafts. A published version never changes (see
// wave_lifecycle.go); an advisor changes an instrument by making a new
// draft version from it and editing that draft, one small change (a page, a
// question, the languages) at a time.
//
// Two advisors may edit the same draft. Every draft carries a revision
// number; an edit names the revision it was made on and is refused when the
// draft has moved on meanwhile, so nobody overwrites another's work
// unnoticed (optimistic concurrency). The store's replace matches _id,
// revision and draft status together; the embedded store's writes to one
// document are not atomic, so edits of one draft are also serialized in the
// process (lifecycleLocks, shared with PublishInstrument).

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// ErrPublished is matched (errors.Is) when an edit targets a published version.
var ErrPublished = errors.New("surveys: a published instrument never changes; make a new draft from it")

// ConflictError says that the draft was saved by someone else after the
// editor loaded it. Current is the draft as it is now.
type ConflictError struct {
	ID        string
	Rev, Have int
	Current   *Instrument
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("surveys: draft %s was changed meanwhile (revision %d, the edit was made on %d)", e.ID, e.Rev, e.Have)
}

// DraftExistsError is returned by NewDraftFrom when the instrument already
// has a draft: editing goes on there rather than in a second draft whose
// changes would have to be merged by hand.
type DraftExistsError struct{ Draft *Instrument }

func (e *DraftExistsError) Error() string {
	return fmt.Sprintf("surveys: instrument %s already has a draft, %s", e.Draft.Key, e.Draft.ID)
}

// NewDraftFrom stores a copy of the version id as the next draft version
// of its key, with its texts and language statuses, and returns it.
func (s *Store) NewDraftFrom(ctx context.Context, id string) (*Instrument, error) {
	return s.NewDraftFromWith(ctx, id, nil)
}

// NewDraftFromWith is NewDraftFrom calling commit with the draft's id just
// before it is stored (InsertDraftWith).
func (s *Store) NewDraftFromWith(ctx context.Context, id string, commit DraftCommit) (*Instrument, error) {
	defer s.lifecycleLocks.Lock("draft-of:" + id)()
	from, err := s.Instrument(ctx, id)
	if err != nil {
		return nil, err
	}
	latest, err := s.LatestInstrument(ctx, from.Key)
	if err != nil {
		return nil, err
	}
	if latest.Status != InstrumentPublished {
		return nil, &DraftExistsError{Draft: latest}
	}
	draft := from.Clone()
	draft.Rev = 1
	if err := s.InsertDraftWith(ctx, draft, commit); err != nil {
		return nil, err
	}
	return draft, nil
}

// EditDraft applies edit to the draft id as saved at revision rev, checks
// the result and stores it as revision rev+1. edit works on a copy, so a
// refused edit leaves nothing half-changed. Errors: ErrPublished,
// *ConflictError, the Problems the edit would introduce, or edit's own.
func (s *Store) EditDraft(ctx context.Context, id string, rev int, edit func(*Instrument) error) (*Instrument, error) {
	return s.EditDraftWith(ctx, id, rev, edit, nil)
}

// EditDraftWith is EditDraft calling commit once the edited draft has
// passed its checks, just before it is stored.
func (s *Store) EditDraftWith(ctx context.Context, id string, rev int, edit func(*Instrument) error, commit Commit) (*Instrument, error) {
	defer s.lifecycleLocks.Lock("instrument:" + id)()
	cur, err := s.Instrument(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.Status == InstrumentPublished {
		return nil, fmt.Errorf("surveys: instrument %s: %w", id, ErrPublished)
	}
	if cur.Rev != rev {
		return nil, &ConflictError{ID: id, Rev: cur.Rev, Have: rev, Current: cur}
	}
	next := cur.Clone()
	if err := edit(next); err != nil {
		return nil, err
	}
	next.pruneStale()
	if err := next.validateEdit(); err != nil {
		return nil, err
	}
	next.ID, next.Key, next.Version, next.Status, next.Rev = cur.ID, cur.Key, cur.Version, cur.Status, rev+1
	if err := commit.run(); err != nil {
		return nil, err
	}
	return next, s.saveDraftInstrument(ctx, next, rev)
}

// validateEdit is ValidateDraft without the rule that every page holds a
// question: an advisor adds a page first and its questions after.
// Publishing applies the rule.
func (in *Instrument) validateEdit() error {
	var ps Problems
	if err := in.ValidateDraft(); err != nil && !errors.As(err, &ps) {
		return err
	}
	var kept Problems
	for _, p := range ps {
		if p.ID != ProblemPageEmpty {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// saveDraftInstrument replaces the draft at revision rev with in. The
// filter names the status too, so no edit can reach a published version
// even if a caller forgot to look.
func (s *Store) saveDraftInstrument(ctx context.Context, in *Instrument, rev int) error {
	filter := bson.D{{Key: "_id", Value: in.ID}, {Key: "status", Value: InstrumentDraft}}
	if rev == 0 {
		// Drafts made before revisions were counted have no rev field.
		filter = append(filter, bson.E{Key: "rev", Value: bson.D{{Key: "$exists", Value: false}}})
	} else {
		filter = append(filter, bson.E{Key: "rev", Value: rev})
	}
	res, err := s.db.Collection(colInstruments).ReplaceOne(ctx, filter, in)
	if err != nil {
		return fmt.Errorf("surveys: unable to save draft %s: %w", in.ID, err)
	}
	if res.MatchedCount == 0 {
		cur, err := s.Instrument(ctx, in.ID)
		if err != nil && !store.IsNotFound(err) {
			return err
		}
		if cur != nil && cur.Status == InstrumentPublished {
			return fmt.Errorf("surveys: instrument %s: %w", in.ID, ErrPublished)
		}
		e := &ConflictError{ID: in.ID, Have: rev, Current: cur}
		if cur != nil {
			e.Rev = cur.Rev
		}
		return e
	}
	return nil
}

// PublishDraft publishes the draft id if it is still at revision rev, so
// an advisor publishes what they last saw.
func (s *Store) PublishDraft(ctx context.Context, id string, rev int) error {
	return s.PublishDraftWith(ctx, id, rev, nil)
}

// PublishDraftWith is PublishDraft calling commit once the draft is found
// complete, just before it is published (PublishInstrumentWith).
func (s *Store) PublishDraftWith(ctx context.Context, id string, rev int, commit Commit) error {
	cur, err := s.Instrument(ctx, id)
	if err != nil {
		return err
	}
	if cur.Status == InstrumentPublished {
		return fmt.Errorf("surveys: instrument %s: %w", id, ErrPublished)
	}
	if cur.Rev != rev {
		return &ConflictError{ID: id, Rev: cur.Rev, Have: rev, Current: cur}
	}
	// An edit between this check and the publish is itself checked by
	// Validate inside PublishInstrument, so nothing invalid is published;
	// the window only lets a just-saved valid edit be included.
	return s.PublishInstrumentWith(ctx, id, commit)
}

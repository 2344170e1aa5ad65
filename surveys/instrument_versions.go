package surveys

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Instruments returns every instrument version, sorted by key and version.
// The collection is small (a few versions of a few questionnaires), so a
// scan is cheap. It calls Find itself rather than store.FindAll: the
// collection must not be handed around, so that
// TestNothingModifiesPublishedInstruments can see every use of it.
func (s *Store) Instruments(ctx context.Context) ([]Instrument, error) {
	cur, err := s.db.Collection(colInstruments).Find(ctx, bson.D{},
		options.Find().SetSort(bson.D{{Key: "key", Value: 1}, {Key: "version", Value: 1}}))
	var ins []Instrument
	if err == nil {
		err = cur.All(ctx, &ins)
	}
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to list instruments: %w", err)
	}
	return ins, nil
}

// LatestInstrument returns the highest version of the instrument with the
// key, whatever its status; store.IsNotFound tells when there is none.
func (s *Store) LatestInstrument(ctx context.Context, key string) (*Instrument, error) {
	var in Instrument
	err := s.db.Collection(colInstruments).FindOne(ctx, bson.D{{Key: "key", Value: key}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&in)
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to find instrument %s: %w", key, err)
	}
	return &in, nil
}

// InsertDraft stores in as a new draft version of its key: the version
// after the highest stored one, whatever version in had, since published
// versions never change and a draft must not claim another's number. It
// sets in's Version, Status and ID.
func (s *Store) InsertDraft(ctx context.Context, in *Instrument) error {
	return s.InsertDraftWith(ctx, in, nil)
}

// A DraftCommit is a Commit told the id of the draft about to be stored.
type DraftCommit func(draftID string) error

// InsertDraftWith is InsertDraft calling commit with the draft's id just
// before it is stored. Once commit has run, a version taken meanwhile is
// not retried: the draft fails rather than be stored under another id
// than the one commit was told.
func (s *Store) InsertDraftWith(ctx context.Context, in *Instrument, commit DraftCommit) error {
	// Two imports at once may pick the same number; the unique index on
	// key and version refuses the second, which then takes the next one.
	for attempt := 0; ; attempt++ {
		latest, err := s.LatestInstrument(ctx, in.Key)
		switch {
		case store.IsNotFound(err):
			in.Version = 1
		case err != nil:
			return err
		default:
			in.Version = latest.Version + 1
		}
		in.Status = InstrumentDraft
		if commit != nil {
			if err := in.ValidateDraft(); err != nil {
				return fmt.Errorf("surveys: instrument %s is not valid: %w", in.Key, err)
			}
			if err := commit(InstrumentID(in.Key, in.Version)); err != nil {
				return err
			}
		}
		err = s.InsertInstrument(ctx, in)
		if err == nil || !store.IsDuplicate(err) || attempt == 4 || commit != nil {
			return err
		}
	}
}

package surveys

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

const (
	colInvitations = "invitations"
	colBatches     = "invitation_batches"
)

// Invitation is a single-use code for one unit in one wave. Only the code's
// hash is stored, and nothing about when or by which response it was used:
// a response cannot be joined to its code.
type Invitation struct {
	ID   string `bson:"_id"` // hash of the code
	Wave string `bson:"wave"`
	Unit string `bson:"unit"`
	Link string `bson:"link"`
	Used bool   `bson:"used"`
}

// InvitationBatch records how many codes were issued, for response rates.
type InvitationBatch struct {
	ID      string `bson:"_id"`
	Wave    string `bson:"wave"`
	Unit    string `bson:"unit"`
	Count   int    `bson:"count"`
	Created string `bson:"created"` // local date
	By      string `bson:"by"`
}

// MaxBatch bounds one batch: letters are printed by the hundred, not the million.
const MaxBatch = 5000

// Invitation errors.
var (
	ErrNoSuchInvitation = errors.New("surveys: no invitation with this code")
	ErrInvitationUsed   = errors.New("surveys: the invitation code has been used")
)

// invitationLocks serializes the check-and-mark of one code, since the
// embedded store's updates of one document are not atomic.
var invitationLocks store.KeyedMutex

func invitationID(code string) string { return ResponseID("invitation:" + NormalizeCode(code)) }

// IssueInvitations creates count codes for a unit of a wave and returns them;
// they are shown once and never stored in the clear.
func (s *Store) IssueInvitations(ctx context.Context, wave, unit string, count int, by string, now time.Time) ([]string, error) {
	if count < 1 || count > MaxBatch {
		return nil, fmt.Errorf("surveys: a batch holds 1 to %d codes", MaxBatch)
	}
	links, err := s.Links(ctx, wave)
	if err != nil {
		return nil, err
	}
	link := ""
	for _, l := range links {
		if l.Unit == unit {
			link = l.ID
		}
	}
	if link == "" {
		return nil, fmt.Errorf("surveys: unit %s is not in wave %s", unit, wave)
	}
	codes := make([]string, count)
	docs := make([]any, count)
	for i := range codes {
		codes[i] = NewResumeCode()
		docs[i] = Invitation{ID: invitationID(codes[i]), Wave: wave, Unit: unit, Link: link}
	}
	if _, err := s.db.Collection(colInvitations).InsertMany(ctx, docs); err != nil {
		return nil, fmt.Errorf("surveys: unable to store invitations: %w", err)
	}
	batch := InvitationBatch{ID: NewSubmissionID(), Wave: wave, Unit: unit, Count: count, Created: LocalDate(now), By: by}
	if _, err := s.db.Collection(colBatches).InsertOne(ctx, batch); err != nil {
		return nil, fmt.Errorf("surveys: unable to record batch: %w", err)
	}
	return codes, nil
}

// Invitation returns the unused invitation for a code.
func (s *Store) Invitation(ctx context.Context, code string) (Invitation, error) {
	var inv Invitation
	err := s.db.Collection(colInvitations).FindOne(ctx, byID(invitationID(code))).Decode(&inv)
	switch {
	case store.IsNotFound(err):
		return Invitation{}, ErrNoSuchInvitation
	case err != nil:
		return Invitation{}, fmt.Errorf("surveys: unable to read invitation: %w", err)
	case inv.Used:
		return inv, ErrInvitationUsed
	}
	return inv, nil
}

// UseInvitation marks a code used if it is unused and belongs to the link.
// Release undoes it when the answer could not be stored after all.
func (s *Store) UseInvitation(ctx context.Context, code, link string) (release func(context.Context), err error) {
	id := invitationID(code)
	defer invitationLocks.Lock(id)()
	inv, err := s.Invitation(ctx, code)
	if err != nil {
		return nil, err
	}
	if inv.Link != link {
		return nil, ErrNoSuchInvitation
	}
	if err := s.setUsed(ctx, id, true); err != nil {
		return nil, err
	}
	return func(ctx context.Context) {
		defer invitationLocks.Lock(id)()
		_ = s.setUsed(ctx, id, false)
	}, nil
}

func (s *Store) setUsed(ctx context.Context, id string, used bool) error {
	_, err := s.db.Collection(colInvitations).UpdateOne(ctx, byID(id),
		bson.D{{Key: "$set", Value: bson.D{{Key: "used", Value: used}}}})
	if err != nil {
		return fmt.Errorf("surveys: unable to mark invitation: %w", err)
	}
	return nil
}

// InvitationsIssued sums the codes issued per unit of a wave.
func (s *Store) InvitationsIssued(ctx context.Context, wave string) (map[string]int, error) {
	batches, err := store.FindAll[InvitationBatch](ctx, s.db.Collection(colBatches), bson.D{{Key: "wave", Value: wave}})
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to read batches: %w", err)
	}
	out := map[string]int{}
	for _, b := range batches {
		out[b.Unit] += b.Count
	}
	return out, nil
}

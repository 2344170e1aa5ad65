package surveys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

const (
	colInvitations = "invitations"
	colBatches     = "invitation_batches"
)

// Invitation is a single-use code for one unit in one wave. Only the code's
// keyed hash is stored (HMAC with the instance secret), in a database apart
// from the answers, in an order unrelated to the letters, and nothing about
// when or by which response it was used: a response cannot be joined to its
// code (docs/PRIVACY.md).
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
	ErrNoSuchInvitation = store.NotFound("surveys: no invitation with this code")
	ErrInvitationUsed   = errors.New("surveys: the invitation code has been used")
)

// invitationLocks serializes the check-and-mark of one code, since the
// embedded store's updates of one document are not atomic.
var invitationLocks store.KeyedMutex

// ErrNoSecret means the store was not given the instance secret.
var ErrNoSecret = errors.New("surveys: invitation codes need the instance secret")

// invitationID is the stored id of a code: HMAC-SHA256 under the instance
// secret. An unkeyed hash would let anyone with the mail-merge list and a
// copy of the database tell which letters were used.
func (s *Store) invitationID(code string) (string, error) {
	if len(s.secret) == 0 {
		return "", ErrNoSecret
	}
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("invitation\x00" + NormalizeCode(code)))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// InvitationID is the id a code is stored under ("" without the secret).
func (s *Store) InvitationID(code string) string {
	id, _ := s.invitationID(code)
	return id
}

// IssueInvitations creates count codes for a unit of a wave and returns them;
// they are shown once and never stored in the clear.
func (s *Store) IssueInvitations(ctx context.Context, wave, unit string, count int, by string, now time.Time) ([]string, error) {
	return s.IssueInvitationsWith(ctx, wave, unit, count, by, now, nil)
}

// IssueInvitationsWith is IssueInvitations calling commit once the unit is
// found in the wave, just before the codes are stored.
func (s *Store) IssueInvitationsWith(ctx context.Context, wave, unit string, count int, by string, now time.Time,
	commit Commit) ([]string, error) {
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
		return nil, fmt.Errorf("%w: unit %s is not in wave %s", ErrNotInWave, unit, wave)
	}
	codes := make([]string, count)
	docs := make([]any, count)
	for i := range codes {
		codes[i] = NewResumeCode()
		id, err := s.invitationID(codes[i])
		if err != nil {
			return nil, err
		}
		docs[i] = Invitation{ID: id, Wave: wave, Unit: unit, Link: link}
	}
	if err := commit.run(); err != nil {
		return nil, err
	}
	// Stored in another order than the list the letters are printed from.
	rand.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	if _, err := s.codes.Collection(colInvitations).InsertMany(ctx, docs); err != nil {
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
	id, err := s.invitationID(code)
	if err != nil {
		return Invitation{}, err
	}
	var inv Invitation
	err = s.codes.Collection(colInvitations).FindOne(ctx, byID(id)).Decode(&inv)
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
	id, err := s.invitationID(code)
	if err != nil {
		return nil, err
	}
	defer s.invitationLocks.Lock(id)()
	inv, err := s.Invitation(ctx, code)
	if err != nil {
		return nil, err
	}
	if inv.Link != link {
		return nil, ErrNoSuchInvitation
	}
	// The update names the state it changes from, so that with several
	// instances on one MongoDB only one of two posts can spend a code (the
	// lock above only spares the embedded store's slow update).
	s.interleave("invitation", id)
	spent, err := s.setUsed(ctx, id, link, true)
	if err != nil {
		return nil, err
	}
	if !spent {
		return nil, ErrInvitationUsed
	}
	return func(ctx context.Context) {
		defer s.invitationLocks.Lock(id)()
		_, _ = s.setUsed(ctx, id, link, false)
	}, nil
}

// setUsed marks a code of link used (or unused again) if it is not so
// already, and reports whether it changed it.
func (s *Store) setUsed(ctx context.Context, id, link string, used bool) (bool, error) {
	res, err := s.codes.Collection(colInvitations).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "link", Value: link}, {Key: "used", Value: !used}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "used", Value: used}}}})
	if err != nil {
		return false, fmt.Errorf("surveys: unable to mark invitation: %w", err)
	}
	return res.ModifiedCount == 1, nil
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

package surveys

import (
	"context"
	"errors"
	"fmt"

	"github.com/stemme/stemme/store"
)

// Response is one relative's accepted answer. It holds no IP address, user
// agent, invitation code or time of day: only the local date.
type Response struct {
	// ID is the submission id the form carried, so a retried post stores nothing twice.
	ID         string            `bson:"_id"`
	Wave       string            `bson:"wave"`
	Unit       string            `bson:"unit"`
	Instrument string            `bson:"instrument"`
	Lang       string            `bson:"lang"`
	Date       string            `bson:"date"`
	Segments   map[string]string `bson:"segments,omitempty"`
	Answers    Answers           `bson:"answers"`
	// Tallied turns true once the response is counted in the tallies; a
	// response left false by a crash is counted again at start-up.
	Tallied bool `bson:"tallied"`
}

// ErrAlreadySaved means a response with this submission id is already stored.
var ErrAlreadySaved = errors.New("surveys: response already saved")

// SaveResponse stores a response durably. A second call with the same id
// returns ErrAlreadySaved and changes nothing.
func (s *Store) SaveResponse(ctx context.Context, r *Response) error {
	if r.ID == "" {
		return errors.New("surveys: response without submission id")
	}
	_, err := s.db.Collection(colResponses).InsertOne(ctx, r)
	switch {
	case store.IsDuplicate(err):
		return ErrAlreadySaved
	case err != nil:
		return fmt.Errorf("surveys: unable to save response: %w", err)
	}
	return nil
}

// Response returns one stored response.
func (s *Store) Response(ctx context.Context, id string) (*Response, error) {
	var r Response
	if err := s.db.Collection(colResponses).FindOne(ctx, byID(id)).Decode(&r); err != nil {
		return nil, fmt.Errorf("surveys: unable to find response: %w", err)
	}
	return &r, nil
}

// NewSubmissionID returns a random 128-bit id for a form about to be shown.
func NewSubmissionID() string { return randomString(linkAlphabet, 26) }

package surveys

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/store"
)

// Response is one relative's accepted answer. It holds no IP address, user
// agent, invitation code, date, time or sequence number: nothing that
// orders answers in time or joins one to a letter (docs/PRIVACY.md).
//
// An accepted answer is first written to the inbox, which is all the submit
// path waits for; the tallier (package analysis) then files it among the
// responses and counts it, so the relative never waits for the tallies.
type Response struct {
	// ID is derived from the submission id the form carried, so a retried post stores nothing twice.
	ID         string            `bson:"_id"`
	Wave       string            `bson:"wave"`
	Unit       string            `bson:"unit"`
	Instrument string            `bson:"instrument"`
	Lang       string            `bson:"lang"`
	Segments   map[string]string `bson:"segments,omitempty"`
	Answers    Answers           `bson:"answers"`
	gen        int64
}

// ErrAlreadySaved means a response with this submission id is already stored.
var ErrAlreadySaved = errors.New("surveys: response already saved")

// SaveResponse stores a response durably in the inbox. A second call with
// the same id while the first is still there returns ErrAlreadySaved; one
// arriving after the first was filed is dropped by FileResponse.
func (s *Store) SaveResponse(ctx context.Context, r *Response) error {
	if r.ID == "" {
		return errors.New("surveys: response without submission id")
	}
	if s.group != nil {
		return s.group.save(ctx, pendingSave{r: r})
	}
	_, err := s.db.Collection(colInbox).InsertOne(ctx, r)
	switch {
	case store.IsDuplicate(err):
		return ErrAlreadySaved
	case err != nil:
		return fmt.Errorf("surveys: unable to save response: %w", err)
	}
	return nil
}

// Response returns one stored response, filed or still in the inbox.
func (s *Store) Response(ctx context.Context, id string) (*Response, error) {
	var r Response
	err := s.db.Collection(colResponses).FindOne(ctx, byID(id)).Decode(&r)
	if store.IsNotFound(err) {
		err = s.db.Collection(colInbox).FindOne(ctx, byID(id)).Decode(&r)
	}
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to find response: %w", err)
	}
	return &r, nil
}

// InboxResponse returns a response still waiting in the inbox.
func (s *Store) InboxResponse(ctx context.Context, id string) (*Response, error) {
	var r Response
	if err := s.db.Collection(colInbox).FindOne(ctx, byID(id)).Decode(&r); err != nil {
		return nil, fmt.Errorf("surveys: unable to find response in the inbox: %w", err)
	}
	return &r, nil
}

// Inbox returns up to limit responses waiting to be filed and counted.
func (s *Store) Inbox(ctx context.Context, limit int64) ([]Response, error) {
	return store.FindAll[Response](ctx, s.db.Collection(colInbox), bson.D{}, options.Find().SetLimit(limit))
}

// InboxSize counts the responses waiting to be counted: the tally lag.
func (s *Store) InboxSize(ctx context.Context) (int64, error) {
	return s.db.Collection(colInbox).EstimatedDocumentCount(ctx)
}

// FileResponses moves responses from the inbox among the filed responses,
// in one insert, in the order given (the tallier shuffles them first). For
// each it reports whether it was filed now: false when an earlier batch
// filed it already, which makes the inbox copy a retried post.
func (s *Store) FileResponses(ctx context.Context, rs []Response) ([]bool, error) {
	filed := make([]bool, len(rs))
	if len(rs) == 0 {
		return filed, nil
	}
	docs := make([]any, len(rs))
	for i := range rs {
		docs[i] = &rs[i]
		filed[i] = true
	}
	col := s.db.Collection(colResponses)
	_, err := col.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
		return filed, nil
	case !errors.As(err, &bwe) || bwe.WriteConcernError != nil:
		return nil, fmt.Errorf("surveys: unable to file responses: %w", err)
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 || we.Index < 0 || we.Index >= len(rs) {
			return nil, fmt.Errorf("surveys: unable to file responses: %w", err)
		}
		filed[we.Index] = false
	}
	return filed, nil
}

// colLate holds answers that reached the inbox after their wave's results
// became final: kept, never counted (the tallier logs each).
const colLate = "response_late"

// SetAsideLate moves answers from the inbox to the late answers.
func (s *Store) SetAsideLate(ctx context.Context, rs []Response) error {
	docs := make([]any, len(rs))
	ids := make([]string, len(rs))
	for i := range rs {
		docs[i], ids[i] = &rs[i], rs[i].ID
	}
	_, err := s.db.Collection(colLate).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err != nil && !(errors.As(err, &bwe) && bwe.WriteConcernError == nil) {
		return fmt.Errorf("surveys: unable to set late answers aside: %w", err)
	}
	return s.ClearInbox(ctx, ids)
}

// ClearInbox removes filed responses from the inbox.
func (s *Store) ClearInbox(ctx context.Context, ids []string) error {
	return deleteByIDs(ctx, s.db.Collection(colInbox), ids)
}

// DeleteResponse removes a filed response (a withdrawal, once uncounted).
func (s *Store) DeleteResponse(ctx context.Context, id string) error {
	return deleteByIDs(ctx, s.db.Collection(colResponses), []string{id})
}

// FiledResponse returns one filed response, not looking in the inbox.
func (s *Store) FiledResponse(ctx context.Context, id string) (*Response, error) {
	var r Response
	if err := s.db.Collection(colResponses).FindOne(ctx, byID(id)).Decode(&r); err != nil {
		return nil, fmt.Errorf("surveys: unable to find response: %w", err)
	}
	return &r, nil
}

// FiledCount returns the number of filed responses of a wave.
func (s *Store) FiledCount(ctx context.Context, wave string) (int64, error) {
	n, err := s.db.Collection(colResponses).CountDocuments(ctx, bson.D{{Key: "wave", Value: wave}})
	if err != nil {
		return 0, fmt.Errorf("surveys: unable to count responses: %w", err)
	}
	return n, nil
}

// EachResponse calls fn for every filed response of a wave (every wave when
// wave is empty). It scans the collection: meant for recounts and exports.
func (s *Store) EachResponse(ctx context.Context, wave string, fn func(*Response) error) error {
	filter := bson.D{}
	if wave != "" {
		filter = bson.D{{Key: "wave", Value: wave}}
	}
	cur, err := s.db.Collection(colResponses).Find(ctx, filter, options.Find().SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("surveys: unable to read responses: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var r Response
		if err := cur.Decode(&r); err != nil {
			return fmt.Errorf("surveys: unable to decode response: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("surveys: unable to read responses: %w", err)
	}
	return nil
}

// deleteByIDs deletes documents by id in one statement: the embedded store
// scans the collection for every update or delete however it is filtered,
// so one statement for many ids costs one scan, not one per id.
func deleteByIDs(ctx context.Context, col *mongo.Collection, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := col.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return fmt.Errorf("surveys: unable to delete from %s: %w", col.Name(), err)
	}
	return nil
}

// NewSubmissionID returns a random 128-bit id for a form about to be shown.
func NewSubmissionID() string { return random.String(linkAlphabet, 26) }

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

const colDrafts = "drafts"

// Draft is a form saved half-way. It holds the values entered and where the
// relative was, and nothing about who they are; only the hash of its resume
// code is stored.
type Draft struct {
	ID     string              `bson:"_id"`
	Link   string              `bson:"link"`
	Values map[string][]string `bson:"values"`
	Page   int                 `bson:"page"`
	// Expires is the wave's closing date: the draft is useless after it.
	Expires string `bson:"expires"`
}

// ErrNoSuchDraft means the resume code matches no draft that is still valid.
var ErrNoSuchDraft = store.NotFound("surveys: no saved answers with this code")

// NewResumeCode returns 12 random characters (60 bits) in groups of four.
func NewResumeCode() string { return groupCode(random.String(codeAlphabet, 12)) }

func draftID(code string) string { return ResponseID("draft:" + NormalizeCode(code)) }

// SaveDraft stores the answers under the code (a new one when code is empty)
// and returns the code. Only question-key values are kept.
func (s *Store) SaveDraft(ctx context.Context, code, link string, values map[string][]string, page int, expires string) (string, error) {
	if code == "" {
		code = NewResumeCode()
	}
	kept := map[string][]string{}
	for k, v := range values {
		if ValidKey(k) {
			kept[k] = v
		}
	}
	d := Draft{ID: draftID(code), Link: link, Values: kept, Page: page, Expires: expires}
	_, err := s.db.Collection(colDrafts).ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true))
	if err != nil {
		return "", fmt.Errorf("surveys: unable to save draft: %w", err)
	}
	return code, nil
}

// LoadDraft returns the draft for a code on a link, if it has not expired.
func (s *Store) LoadDraft(ctx context.Context, code, link string, today time.Time) (Draft, error) {
	var d Draft
	err := s.db.Collection(colDrafts).FindOne(ctx, bson.D{{Key: "_id", Value: draftID(code)}}).Decode(&d)
	if store.IsNotFound(err) || (err == nil && (d.Link != link || LocalDate(today) > d.Expires)) {
		return Draft{}, ErrNoSuchDraft
	}
	if err != nil {
		return Draft{}, fmt.Errorf("surveys: unable to load draft: %w", err)
	}
	return d, nil
}

// DeleteDraft removes a draft once its answers are submitted.
func (s *Store) DeleteDraft(ctx context.Context, code string) error {
	_, err := s.db.Collection(colDrafts).DeleteOne(ctx, bson.D{{Key: "_id", Value: draftID(code)}})
	if err != nil {
		return fmt.Errorf("surveys: unable to delete draft: %w", err)
	}
	return nil
}

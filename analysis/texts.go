package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Review states of a free-text answer. Only approved and redacted text
// reaches anyone but the advisors who review it.
const (
	TextPending  = "pending"
	TextApproved = "approved"
	TextRedacted = "redacted"
	TextHidden   = "hidden"
)

// Text is one free-text answer in the review queue. Its id is derived from
// the response, so a withdrawal can find it, but does not show it.
type Text struct {
	ID       string `bson:"_id"`
	Wave     string `bson:"wave"`
	Unit     string `bson:"unit"`
	Question string `bson:"question"`
	Focus    string `bson:"focus,omitempty"`
	Lang     string `bson:"lang"`
	// Date is empty: texts stored before 2026-12 had the answer's date,
	// which could be matched to who answered when.
	Date   string `bson:"date,omitempty"`
	Text   string `bson:"text"`
	Status string `bson:"status"`
	// Redacted is the text as shown after an advisor removed parts of it.
	Redacted string `bson:"redacted,omitempty"`
	// Flags name what the automatic check found: "name", "phone", "email".
	Flags      []string `bson:"flags,omitempty"`
	ReviewedBy string   `bson:"reviewed_by,omitempty"`
	ReviewedOn string   `bson:"reviewed_on,omitempty"`
	// Rev counts decisions, so a decision made on an outdated view of the
	// text is refused instead of silently overwriting a later one.
	Rev int `bson:"rev"`
}

// Shown is the text as readers other than reviewers see it, and whether
// they see it at all.
func (t *Text) Shown() (string, bool) {
	switch t.Status {
	case TextApproved:
		return t.Text, true
	case TextRedacted:
		return t.Redacted, true
	}
	return "", false
}

func textID(responseID, question string) string {
	sum := sha256.Sum256([]byte("text\x00" + responseID + "\x00" + question))
	return hex.EncodeToString(sum[:16])
}

// textsOf lists a response's free-text answers, waiting for review.
func textsOf(in *surveys.Instrument, r *surveys.Response) []Text {
	var out []Text
	for _, pg := range in.Pages {
		for _, q := range pg.Questions {
			if q.Type != surveys.TypeText && q.Type != surveys.TypeLongText {
				continue
			}
			s, _ := r.Answers[q.Key].Text()
			if s == "" {
				continue
			}
			out = append(out, Text{ID: textID(r.ID, q.Key), Wave: r.Wave, Unit: r.Unit, Question: q.Key,
				Focus: q.FocusArea, Lang: r.Lang, Text: s, Status: TextPending, Flags: Flag(s)})
		}
	}
	return out
}

// insertTexts adds texts to the review queue; ones already there (a replayed
// batch, a recount) keep their review.
func insertTexts(ctx context.Context, db *mongo.Database, texts []Text) error {
	if len(texts) == 0 {
		return nil
	}
	docs := make([]any, len(texts))
	for i := range texts {
		docs[i] = texts[i]
	}
	_, err := db.Collection(colTexts).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err != nil && !onlyDuplicates(err) {
		return fmt.Errorf("analysis: unable to queue free text: %w", err)
	}
	return nil
}

func deleteTexts(ctx context.Context, db *mongo.Database, texts []Text) error {
	for _, t := range texts {
		if _, err := db.Collection(colTexts).DeleteOne(ctx, bson.D{{Key: "_id", Value: t.ID}}); err != nil {
			return fmt.Errorf("analysis: unable to delete free text: %w", err)
		}
	}
	return nil
}

// onlyDuplicates reports whether a bulk insert failed only on existing ids.
func onlyDuplicates(err error) bool {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return true
}

// ReviewedTexts returns the free text of a wave that an advisor approved or
// redacted, for everyone but the reviewers: only for units whose results are
// shown (a hidden group hides its text too), with Text replaced by what may
// be shown. unit Municipality means every shown unit.
func ReviewedTexts(ctx context.Context, db *mongo.Database, r *Results, unit string) ([]Text, error) {
	return ReviewedTextsIn(ctx, db, r, unit, "")
}

// ReviewedTextsIn is ReviewedTexts narrowed to one focus area ("" for all),
// oldest first. It is the one read of free text for unit leaders, the
// council and exports.
func ReviewedTextsIn(ctx context.Context, db *mongo.Database, r *Results, unit, focus string) ([]Text, error) {
	// Only reviewed text leaves the store: the queue holds every free-text
	// answer, and an export must not hold them all in memory to find these.
	filter := bson.D{{Key: "wave", Value: r.Wave.ID},
		{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{TextApproved, TextRedacted}}}}}
	if unit != Municipality {
		filter = append(filter, bson.E{Key: "unit", Value: unit})
	}
	if focus != "" {
		filter = append(filter, bson.E{Key: "focus", Value: focus})
	}
	all, err := store.FindAll[Text](ctx, db.Collection(colTexts), filter,
		// In the order of their ids (hashes), not of time: the order text
		// arrived in could be matched to who answered when.
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("analysis: unable to read free text: %w", err)
	}
	var out []Text
	for _, t := range all {
		shown, ok := t.Shown()
		if !ok || !slices.Contains(r.Units, t.Unit) || r.Group(t.Unit, AllSegment, "").Hidden {
			continue
		}
		t.Text, t.Redacted, t.Flags, t.ReviewedBy, t.Date = shown, "", nil, "", ""
		out = append(out, t)
	}
	return out, nil
}

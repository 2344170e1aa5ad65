package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Sources of free text in the review queue: survey answers and messages
// from the standing feedback form. Both go through the same review.
const (
	SourceSurvey   = "survey"
	SourceFeedback = "feedback"
)

// TextStatuses lists the review states in the order pages show them. The
// feedback domain uses the same names.
var TextStatuses = []string{TextPending, TextApproved, TextRedacted, TextHidden}

// MaxRedacted bounds a redacted text, in characters: the longest answer
// field allows less, so only a mistake or abuse reaches it.
const MaxRedacted = 10000

// Errors of the review.
var (
	ErrNoText    = errors.New("analysis: no such free text")
	ErrStale     = errors.New("analysis: the text was reviewed by someone else in the meantime")
	ErrDecision  = errors.New("analysis: a decision is approved, redacted or hidden")
	ErrRedaction = errors.New("analysis: a redaction needs the redacted text, at most MaxRedacted characters")
)

// QueueItem is one free text as the reviewer sees it, from either source.
type QueueItem struct {
	Source, ID string
	// Wave and Question are empty for feedback, which belongs to no wave.
	Wave, Unit, Question, Focus, Lang, Date string
	Text, Status, Redacted                  string
	Flags                                   []string
	ReviewedBy, ReviewedOn                  string
	Rev                                     int
	// Young marks feedback sent through the path for young relatives.
	Young bool
}

// QueueFilter narrows the queue; empty fields match everything.
type QueueFilter struct {
	Wave, Unit, Status, Source string
	// Flagged keeps only texts with something that may identify someone.
	Flagged bool
	// Page counts from 1; PerPage defaults to 20.
	Page, PerPage int
}

// QueuePage is one page of the queue, oldest first.
type QueuePage struct {
	Items              []QueueItem
	Total, Page, Pages int
}

// Reviewer is the free-text review: the queue and the decisions on it.
type Reviewer struct {
	db *mongo.Database
	fb *feedback.Store
}

// NewReviewer returns the review over the survey texts in db and the
// feedback in fb.
func NewReviewer(db *mongo.Database, fb *feedback.Store) *Reviewer {
	return &Reviewer{db: db, fb: fb}
}

// reviewLocks serializes decisions on one text across the process: a
// decision reads, compares the revision and writes, and the embedded
// store's updates are not atomic.
var reviewLocks store.KeyedMutex

// Queue returns one page of the texts matching f, oldest first. Both
// collections are moderate in size and scanned once; paging is done here.
func (rv *Reviewer) Queue(ctx context.Context, f QueueFilter) (QueuePage, error) {
	var items []QueueItem
	if f.Source != SourceFeedback {
		q := bson.D{}
		if f.Wave != "" {
			q = append(q, bson.E{Key: "wave", Value: f.Wave})
		}
		if f.Status != "" {
			q = append(q, bson.E{Key: "status", Value: f.Status})
		}
		texts, err := store.FindAll[Text](ctx, rv.db.Collection(colTexts), q)
		if err != nil {
			return QueuePage{}, fmt.Errorf("analysis: unable to read the review queue: %w", err)
		}
		for _, t := range texts {
			items = append(items, surveyItem(t))
		}
	}
	if f.Source != SourceSurvey && f.Wave == "" {
		fs, err := rv.fb.Texts(ctx, time.Time{})
		if err != nil {
			return QueuePage{}, err
		}
		for _, x := range fs {
			if f.Status == "" || x.Review == f.Status {
				items = append(items, feedbackItem(x))
			}
		}
	}
	items = slices.DeleteFunc(items, func(it QueueItem) bool {
		return (f.Unit != "" && it.Unit != f.Unit) || (f.Flagged && len(it.Flags) == 0)
	})
	slices.SortFunc(items, func(a, b QueueItem) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	return paginate(items, f.Page, f.PerPage), nil
}

func paginate(items []QueueItem, page, per int) QueuePage {
	if per <= 0 {
		per = 20
	}
	pages := max(1, (len(items)+per-1)/per)
	page = min(max(page, 1), pages)
	from := min((page-1)*per, len(items))
	to := min(from+per, len(items))
	return QueuePage{Items: items[from:to], Total: len(items), Page: page, Pages: pages}
}

func surveyItem(t Text) QueueItem {
	flags := t.Flags
	if flags == nil {
		flags = Flag(t.Text)
	}
	return QueueItem{Source: SourceSurvey, ID: t.ID, Wave: t.Wave, Unit: t.Unit, Question: t.Question, Focus: t.Focus,
		Lang: t.Lang, Date: t.Date, Text: t.Text, Status: t.Status, Redacted: t.Redacted, Flags: flags,
		ReviewedBy: t.ReviewedBy, ReviewedOn: t.ReviewedOn, Rev: t.Rev}
}

// feedbackItem flags feedback when it is read: the feedback form stores no
// flags, and the check is cheap.
func feedbackItem(f feedback.Feedback) QueueItem {
	status := f.Review
	if status == "" {
		status = TextPending
	}
	return QueueItem{Source: SourceFeedback, ID: f.ID, Unit: f.Unit, Focus: f.Focus, Lang: f.Lang, Date: f.Date,
		Text: f.Text, Status: status, Redacted: f.Redacted, Flags: Flag(f.Text), ReviewedBy: f.ReviewedBy,
		ReviewedOn: f.ReviewedOn, Rev: f.Rev, Young: f.Young}
}

// Item returns one text of the queue by source and id.
func (rv *Reviewer) Item(ctx context.Context, source, id string) (QueueItem, error) {
	switch source {
	case SourceSurvey:
		var t Text
		err := rv.db.Collection(colTexts).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&t)
		if store.IsNotFound(err) {
			return QueueItem{}, ErrNoText
		}
		if err != nil {
			return QueueItem{}, fmt.Errorf("analysis: unable to read free text: %w", err)
		}
		return surveyItem(t), nil
	case SourceFeedback:
		f, err := rv.fb.Feedback(ctx, id)
		if store.IsNotFound(err) || (err == nil && f.Text == "") {
			return QueueItem{}, ErrNoText
		}
		if err != nil {
			return QueueItem{}, err
		}
		return feedbackItem(f), nil
	}
	return QueueItem{}, ErrNoText
}

// Decision is a reviewer's verdict on one text, made on revision Rev.
type Decision struct {
	Source, ID string
	// Status is TextApproved, TextRedacted (with Redacted) or TextHidden.
	Status, Redacted string
	By               string
	At               time.Time
	Rev              int
}

// Decide records a decision, replacing any earlier one. A decision made on
// an older revision than the stored one returns ErrStale and the text as
// it now is, so the reviewer sees what changed before deciding again.
func (rv *Reviewer) Decide(ctx context.Context, d Decision) (QueueItem, error) {
	return rv.DecideWith(ctx, d, nil)
}

// DecideWith is Decide calling commit once the decision is found valid and
// made on the current revision, just before it is recorded.
func (rv *Reviewer) DecideWith(ctx context.Context, d Decision, commit surveys.Commit) (QueueItem, error) {
	if !slices.Contains([]string{TextApproved, TextRedacted, TextHidden}, d.Status) {
		return QueueItem{}, ErrDecision
	}
	d.Redacted = strings.TrimSpace(strings.ReplaceAll(d.Redacted, "\r\n", "\n"))
	if d.Status != TextRedacted {
		d.Redacted = ""
	} else if d.Redacted == "" || !utf8.ValidString(d.Redacted) || utf8.RuneCountInString(d.Redacted) > MaxRedacted {
		return QueueItem{}, ErrRedaction
	}
	unlock := reviewLocks.Lock(d.Source + "\x00" + d.ID)
	defer unlock()
	cur, err := rv.Item(ctx, d.Source, d.ID)
	if err != nil {
		return QueueItem{}, err
	}
	if cur.Rev != d.Rev {
		return cur, ErrStale
	}
	if commit != nil {
		if err := commit(); err != nil {
			return QueueItem{}, err
		}
	}
	on := surveys.LocalDate(d.At)
	switch d.Source {
	case SourceSurvey:
		_, err = rv.db.Collection(colTexts).UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: d.Status}, {Key: "redacted", Value: d.Redacted},
				{Key: "reviewed_by", Value: d.By}, {Key: "reviewed_on", Value: on}, {Key: "rev", Value: cur.Rev + 1}}}})
		if err != nil {
			return QueueItem{}, fmt.Errorf("analysis: unable to record the review: %w", err)
		}
	case SourceFeedback:
		if err := rv.fb.SetReviewBy(ctx, d.ID, d.Status, d.Redacted, d.By, on, cur.Rev+1); err != nil {
			return QueueItem{}, err
		}
	}
	cur.Status, cur.Redacted, cur.ReviewedBy, cur.ReviewedOn, cur.Rev = d.Status, d.Redacted, d.By, on, cur.Rev+1
	return cur, nil
}

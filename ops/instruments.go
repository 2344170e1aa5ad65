package ops

import (
	"context"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Instruments runs the instrument editor's changes: a new draft version,
// an edit of a draft, its publication, and a draft imported from an
// XLSForm. The surveys store checks each against the stored version (its
// status and revision, its validity) and writes the entry at that point (a
// surveys.Commit), so a refused change (surveys.ErrPublished, a
// *surveys.ConflictError, surveys.Problems) leaves no entry.
type Instruments struct {
	area
	surveys *surveys.Store
}

// NewInstruments returns the editor's operations on the instruments in ss.
func NewInstruments(j *Journal, ss *surveys.Store) *Instruments {
	return &Instruments{area: area{j, staff.AuditInstrument}, surveys: ss}
}

// NewDraft makes the next draft version from version id; the entry names
// the draft.
func (o *Instruments) NewDraft(ctx context.Context, who, id string) (*surveys.Instrument, error) {
	var d *surveys.Instrument
	err := o.insertDraft(ctx, who, "draft from "+id, func(commit surveys.DraftCommit) (err error) {
		d, err = o.surveys.NewDraftFromWith(ctx, id, commit)
		return err
	})
	return d, err
}

// Import stores in, read from an XLSForm, as a new draft version of its key.
func (o *Instruments) Import(ctx context.Context, who string, in *surveys.Instrument) error {
	return o.insertDraft(ctx, who, "import from XLSForm", func(commit surveys.DraftCommit) error {
		return o.surveys.InsertDraftWith(ctx, in, commit)
	})
}

// insertDraft runs insert, whose commit learns the new draft's id, with an
// entry naming that id.
func (o *Instruments) insertDraft(ctx context.Context, who, detail string, insert func(surveys.DraftCommit) error) error {
	var draft string
	return o.journal.recordAtCommitOf(ctx, who, func() entry { return entry{o.action, draft, detail} },
		func(commit func() error) error {
			return insert(func(id string) error { draft = id; return commit() })
		})
}

// Edit applies edit to draft id as saved at revision rev. detail says what
// changed; it is read once edit has run, so it may count what edit did.
func (o *Instruments) Edit(ctx context.Context, who, id string, rev int, edit func(*surveys.Instrument) error,
	detail func() string) error {
	return o.journal.recordAtCommitOf(ctx, who, func() entry { return entry{o.action, id, detail()} },
		func(commit func() error) error {
			_, err := o.surveys.EditDraftWith(ctx, id, rev, edit, commit)
			return err
		})
}

// Publish publishes draft id if it is still at revision rev.
func (o *Instruments) Publish(ctx context.Context, who, id string, rev int) error {
	return o.atCommit(ctx, who, id, "publish", func(commit func() error) error {
		return o.surveys.PublishDraftWith(ctx, id, rev, commit)
	})
}

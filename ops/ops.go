// Package ops holds the staff's operations: each changes one domain through
// its store and writes the change's audit entry, so that the web handlers,
// the CLI and a future API get the same sequence from one call. A handler
// parses its form, calls one method here with the actor (who does it), and
// renders what comes back.
//
// # The audit rule: no change without its entry
//
// The audit log is insert-only (staff.Store.Audit): entries are never
// rewritten, and the embedded store would scan the whole log for an update.
// So every operation writes its entry before the change takes effect:
//
//   - input the domain refuses by itself (its Validate or Check) is
//     refused first: a form with a typo changes nothing and writes nothing;
//   - the entry (who, what, which target) is inserted first; when it cannot
//     be written, nothing is changed and the operation fails with that error;
//   - the change runs; when it is refused (bad input, not found) or fails,
//     a second entry with the same action and target records the outcome,
//     its detail ending in "(failed)", and the operation returns the
//     change's error unchanged, for the caller to explain.
//
// An entry without a "(failed)" partner therefore means "attempted, and as
// far as Stemme knows, done"; with one, the operation failed, and any part
// of it that took effect (the first rows of an import) is named by the
// entry before. If the store fails between the two writes (the change
// failed and so did the outcome entry), the log says more than happened,
// never less: it may list an attempt that did not take effect, but no
// change is ever missing from it.
//
// Where the domain decides against the stored state, under its own lock,
// whether a change may happen (a wave's status, a draft's revision, a
// follow-up case's status, a second factor's first code), the entry is
// written at that point instead: the store calls a commit function
// (surveys.Commit) once its checks pass and just before it writes, so a
// refused change leaves no entry and an entry that cannot be written stops
// the write (Journal.recordAtCommit). An entry that names what only the
// checks find (a new draft's version, an import's counts) is worked out
// there too (Journal.recordAtCommitOf).
//
// Targets that the domain would create (a new member's id, a new action's
// id) are made first by the domain's NewID and passed in, so the entry
// names the document the change creates.
//
// It sits above the domain packages (council, actions, arenas, ...) and
// staff, whose audit log it writes; none of them imports it.
package ops

import (
	"context"
	"errors"
	"time"

	"github.com/stemme/stemme/staff"
)

// outcomeTimeout bounds the write of a failed change's outcome, which runs
// even when the change failed because the request's context ended.
const outcomeTimeout = 5 * time.Second

// Journal writes the audit entry of each operation before its change.
type Journal struct {
	log *staff.Store
	now func() time.Time
}

// NewJournal returns a journal on the audit log of log; now is the clock
// (nil means time.Now).
func NewJournal(log *staff.Store, now func() time.Time) *Journal {
	if now == nil {
		now = time.Now
	}
	return &Journal{log: log, now: now}
}

// entry is what an operation writes to the audit log.
type entry struct {
	action, target, detail string
}

// record writes e for who, then runs change; when the change fails it
// writes e's outcome and returns the change's error. When e cannot be
// written, change does not run.
func (j *Journal) record(ctx context.Context, who string, e entry, change func() error) error {
	if err := j.log.Audit(ctx, j.now(), who, e.action, e.target, e.detail); err != nil {
		return err
	}
	if err := change(); err != nil {
		return j.outcome(ctx, who, e, err)
	}
	return nil
}

// outcome writes the entry of e's failed change and returns the change's
// error.
func (j *Journal) outcome(ctx context.Context, who string, e entry, err error) error {
	octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outcomeTimeout)
	defer cancel()
	// The change's error stays what errors.Is and errors.As find; an
	// outcome that cannot be written is joined to it, and the attempt
	// stays in the log, which then over-records.
	if oerr := j.log.Audit(octx, j.now(), who, e.action, e.target, failed(e.detail)); oerr != nil {
		return errors.Join(err, oerr)
	}
	return err
}

// recordAtCommit runs change, which calls commit once the domain's checks
// have passed, just before it writes (a surveys.Commit); commit writes e.
// A change refused before its commit point leaves no entry; one that
// fails after it leaves e and its outcome, as record does.
func (j *Journal) recordAtCommit(ctx context.Context, who string, e entry, change func(commit func() error) error) error {
	return j.recordAtCommitOf(ctx, who, func() entry { return e }, change)
}

// recordAtCommitOf is recordAtCommit for an entry known only at the commit
// point (the id of a draft version, the count an edit found): entryOf is
// called there, and again for the outcome.
func (j *Journal) recordAtCommitOf(ctx context.Context, who string, entryOf func() entry,
	change func(commit func() error) error) error {
	written := false
	err := change(func() error {
		e := entryOf()
		if err := j.log.Audit(ctx, j.now(), who, e.action, e.target, e.detail); err != nil {
			return err
		}
		written = true
		return nil
	})
	if err == nil || !written {
		return err
	}
	return j.outcome(ctx, who, entryOf(), err)
}

// area is the part of the audit log of one area's operations, whose
// entries share one action.
type area struct {
	journal *Journal
	action  string
}

// record writes the area's entry for target and detail, then runs change
// (Journal.record).
func (a area) record(ctx context.Context, who, target, detail string, change func() error) error {
	return a.journal.record(ctx, who, entry{a.action, target, detail}, change)
}

// atCommit writes the area's entry for target and detail at the store's
// commit point (Journal.recordAtCommit).
func (a area) atCommit(ctx context.Context, who, target, detail string, change func(commit func() error) error) error {
	return a.journal.recordAtCommit(ctx, who, entry{a.action, target, detail}, change)
}

// now is the journal's clock, for the dates a change stores.
func (a area) now() time.Time { return a.journal.now() }

// failed is the detail of a failed change's outcome entry.
func failed(detail string) string {
	if detail == "" {
		return "(failed)"
	}
	return detail + " (failed)"
}

package ops

import (
	"context"
	"strconv"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Units runs the changes of the unit tree: adding a unit, changing or
// moving one, and deactivating or reactivating one. The surveys store
// checks each against the whole tree under its lock and writes the entry
// at that point (a surveys.Commit), so a refused change (surveys.Problems,
// surveys.ErrNoUnit) leaves no entry, and one whose entry cannot be written
// does not happen.
type Units struct {
	area
	surveys *surveys.Store
}

// NewUnits returns the unit operations on the units in ss.
func NewUnits(j *Journal, ss *surveys.Store) *Units {
	return &Units{area: area{j, staff.AuditUnit}, surveys: ss}
}

// Add adds u, active.
func (o *Units) Add(ctx context.Context, who string, u surveys.Unit) error {
	return o.journal.recordAtCommit(ctx, who, entry{o.action, u.ID, "create " + u.Kind + " under " + u.Parent},
		func(commit func() error) error { return o.surveys.AddUnitWith(ctx, u, commit) })
}

// Update replaces the fields of old (as stored) with u's; a new parent
// moves it in the tree.
func (o *Units) Update(ctx context.Context, who string, old, u surveys.Unit) error {
	detail := "update"
	if u.Parent != old.Parent {
		detail = "move " + old.Parent + " → " + u.Parent
	}
	u.ID = old.ID
	return o.journal.recordAtCommit(ctx, who, entry{o.action, u.ID, detail},
		func(commit func() error) error { return o.surveys.UpdateUnitWith(ctx, u, commit) })
}

// Move gives unit id a new parent, checked against the tree as it is
// when the change is written; its other fields stay as stored.
func (o *Units) Move(ctx context.Context, who, id, parent string) error {
	return o.atCommit(ctx, who, id, "move → "+parent,
		func(commit func() error) error { return o.surveys.MoveUnitWith(ctx, id, parent, commit) })
}

// SetActive deactivates a unit (as of today) or makes it active again; a
// unit already in that state is left, and no entry written.
func (o *Units) SetActive(ctx context.Context, who, id string, active bool) error {
	detail := "deactivate"
	if active {
		detail = "reactivate"
	}
	return o.journal.recordAtCommit(ctx, who, entry{o.action, id, detail}, func(commit func() error) error {
		return o.surveys.SetUnitActiveWith(ctx, id, active, surveys.LocalDate(o.now()), commit)
	})
}

// Import stores the rows of a checked unit list and returns how many units
// it added and changed. The store checks the list again against the units
// as they are (surveys.UnitImportProblems); the entry, written then, says
// how many units the list adds and changes.
func (o *Units) Import(ctx context.Context, who string, imp *surveys.UnitImport) (added, changed int, err error) {
	planned := func() entry {
		var a, c int
		for _, r := range imp.Rows {
			switch r.Change {
			case "new":
				a++
			case "changed":
				c++
			}
		}
		return entry{o.action, "import", strconv.Itoa(a) + " added, " + strconv.Itoa(c) + " changed"}
	}
	err = o.journal.recordAtCommitOf(ctx, who, planned, func(commit func() error) error {
		added, changed, err = o.surveys.ApplyUnitImportWith(ctx, imp, commit)
		return err
	})
	return added, changed, err
}

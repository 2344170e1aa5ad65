package ops

import (
	"context"
	"strconv"
	"strings"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/staff"
)

// Actions runs the operations on improvement actions: creating, importing
// and changing them, and their progress notes. Each writes a
// staff.AuditAction entry first (see the package doc).
type Actions struct {
	area
	actions *actions.Store
}

// NewActions returns the operations on the actions in as.
func NewActions(j *Journal, as *actions.Store) *Actions {
	return &Actions{area: area{j, staff.AuditAction}, actions: as}
}

// Create stores a new action (a gets its id) and, when finding is not
// nil, the finding it was made from; actions.FieldErrors name what is
// not right.
func (o *Actions) Create(ctx context.Context, who string, a *actions.Action, finding *actions.Finding) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.ID = actions.NewID()
	return o.record(ctx, who, a.ID, "create", func() error {
		if err := o.actions.Insert(ctx, a, o.now()); err != nil {
			return err
		}
		if finding == nil {
			return nil
		}
		return o.actions.AddFinding(ctx, a.ID, *finding, o.now())
	})
}

// Import stores a list of actions read from a spreadsheet, one entry for
// the whole list.
func (o *Actions) Import(ctx context.Context, who string, list []actions.Action) error {
	for i := range list {
		if err := list[i].Validate(); err != nil {
			return err
		}
	}
	return o.record(ctx, who, "import", strconv.Itoa(len(list))+" actions", func() error {
		for i := range list {
			list[i].ID = actions.NewID()
			if err := o.actions.Insert(ctx, &list[i], o.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// Update saves the fields of an existing action (a.ID).
func (o *Actions) Update(ctx context.Context, who string, a *actions.Action) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return o.record(ctx, who, a.ID, "update", func() error { return o.actions.Update(ctx, a, o.now()) })
}

// SetStatus changes only an action's status.
func (o *Actions) SetStatus(ctx context.Context, who, id string, status actions.Status) error {
	if err := status.Check(); err != nil {
		return err
	}
	return o.record(ctx, who, id, "status "+string(status), func() error {
		return o.actions.SetStatus(ctx, id, status, o.now())
	})
}

// AddNote adds a dated progress note, written by who.
func (o *Actions) AddNote(ctx context.Context, who, id, text string) error {
	if err := actions.CheckNote(strings.TrimSpace(text)); err != nil {
		return err
	}
	return o.record(ctx, who, id, "note", func() error {
		_, err := o.actions.AddNote(ctx, id, who, text, o.now())
		return err
	})
}

package ops

import (
	"context"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/staff"
)

// Arenas runs the operations on the participation arenas shown on /delta:
// their text and their dates. Each writes a staff.AuditArena entry first
// (see the package doc).
type Arenas struct {
	area
	arenas *arenas.Store
}

// NewArenas returns the operations on the arenas in as.
func NewArenas(j *Journal, as *arenas.Store) *Arenas {
	return &Arenas{area: area{j, staff.AuditArena}, arenas: as}
}

// SaveSection replaces one arena's introduction and contact line;
// arenas.FieldErrors name what is not right.
func (o *Arenas) SaveSection(ctx context.Context, who string, sec arenas.Section) error {
	if err := sec.Validate(); err != nil {
		return err
	}
	return o.record(ctx, who, sec.Kind, "text", func() error { return o.arenas.SaveSection(ctx, sec) })
}

// AddEvent adds a date (e gets its id); arenas.FieldErrors name what is
// not right.
func (o *Arenas) AddEvent(ctx context.Context, who string, e *arenas.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.ID = arenas.NewID()
	return o.record(ctx, who, e.ID, "add "+e.Kind+" "+e.Date, func() error {
		return o.arenas.AddEvent(ctx, e, o.now())
	})
}

// RemoveEvent cancels a date and deletes its sign-ups; arenas.ErrNotFound
// when there is none.
func (o *Arenas) RemoveEvent(ctx context.Context, who, id string) error {
	return o.record(ctx, who, id, "remove", func() error { return o.arenas.RemoveEvent(ctx, id) })
}

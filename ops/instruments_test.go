package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// published stores the built-in instrument, published, and returns it.
func published(t *testing.T, w *world) *surveys.Instrument {
	t.Helper()
	in, err := builtin.Instrument("parorende")
	must(t, err)
	in.Status = surveys.InstrumentPublished
	must(t, w.surveys.InsertInstrument(context.Background(), in))
	return in
}

// draft stores the built-in instrument, published, and a draft from it,
// and returns the draft's id.
func draft(t *testing.T, w *world) string {
	t.Helper()
	d, err := w.surveys.NewDraftFrom(context.Background(), published(t, w).ID)
	must(t, err)
	return d.ID
}

func instrumentOperations() []operation {
	instrument := func(t *testing.T, w *world, id string) *surveys.Instrument {
		t.Helper()
		in, err := w.surveys.Instrument(context.Background(), id)
		must(t, err)
		return in
	}
	// drafted tells whether the key of the built-in instrument has a draft.
	drafted := func(t *testing.T, w *world, _ string) bool {
		t.Helper()
		in, err := builtin.Instrument("parorende")
		must(t, err)
		latest, err := w.surveys.LatestInstrument(context.Background(), in.Key)
		return err == nil && latest.Status == surveys.InstrumentDraft
	}
	return []operation{
		{name: "instrument new draft", action: staff.AuditInstrument,
			setup: func(t *testing.T, w *world) string { return published(t, w).ID },
			run: func(ctx context.Context, o operations, id string) (string, error) {
				d, err := o.instruments.NewDraft(ctx, who, id)
				if err != nil {
					return "", err
				}
				return d.ID, nil
			},
			changed: drafted},
		{name: "instrument import", action: staff.AuditInstrument,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				in, err := builtin.Instrument("parorende")
				if err != nil {
					return "", err
				}
				err = o.instruments.Import(ctx, who, in)
				return in.ID, err
			},
			changed: drafted},
		{name: "instrument edit", action: staff.AuditInstrument, setup: draft,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				edit := func(in *surveys.Instrument) error {
					in.AddFocusArea("ny", surveys.Text{"nb": "Nytt område", "nn": "Nytt område"})
					return nil
				}
				return id, o.instruments.Edit(ctx, who, id, 1, edit, func() string { return "focus area add" })
			},
			changed: func(t *testing.T, w *world, id string) bool { return instrument(t, w, id).Rev == 2 }},
		{name: "instrument publish", action: staff.AuditInstrument, setup: draft,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.instruments.Publish(ctx, who, id, 1)
			},
			changed: func(t *testing.T, w *world, id string) bool {
				return instrument(t, w, id).Status == surveys.InstrumentPublished
			}},
	}
}

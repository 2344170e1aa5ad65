package ops_test

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

func invitationOperations() []operation {
	openWave := func(t *testing.T, w *world) string { return wave(t, w, surveys.WaveOpen) }
	// issued tells whether any code of the wave is stored.
	issued := func(t *testing.T, w *world, id string) bool {
		t.Helper()
		n, err := surveys.CodesDB(w.db).Collection("invitations").CountDocuments(context.Background(), bson.D{{Key: "wave", Value: id}})
		must(t, err)
		return n > 0
	}
	return []operation{
		{name: "invitations issue", action: staff.AuditInvitations, setup: openWave,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				codes, err := o.invitations.Issue(ctx, who, id, "solbakken", 3)
				if err == nil && len(codes) != 3 {
					return "", errors.New("not three codes")
				}
				return id + "/solbakken", err
			},
			changed: issued},
		{name: "invitations send", action: staff.AuditInvitations, setup: openWave,
			run: func(ctx context.Context, o operations, id string) (string, error) {
				_, err := o.invitations.Send(ctx, who, id, "solbakken", "nb", outbox.Email, []string{"a@example.no", "b@example.no"})
				return id + "/solbakken", err
			},
			changed: func(t *testing.T, w *world, id string) bool {
				t.Helper()
				ms, err := w.outbox.List(context.Background(), 10)
				must(t, err)
				return issued(t, w, id) && len(ms) == 2
			}},
	}
}

// TestRefusedBatchWritesNothing checks that a batch for a unit the wave
// does not survey is refused before its entry.
func TestRefusedBatchWritesNothing(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id := wave(t, w, surveys.WaveOpen)
	if _, err := w.ops(w.log).invitations.Issue(ctx, who, id, "annet", 3); !errors.Is(err, surveys.ErrNotInWave) {
		t.Fatalf("a unit outside the wave: %v, want surveys.ErrNotInWave", err)
	}
	if es := w.entries(t, staff.AuditInvitations); len(es) != 0 {
		t.Fatalf("a refused batch wrote %+v", es)
	}
}

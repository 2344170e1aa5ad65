package store_test

import (
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// TestOneNotFound: the driver's "no documents" and every domain's "no
// such …", wrapped or not, are one not-found error to callers (the web
// layer answers 404 for all of them), while each sentinel still matches
// only itself and keeps its own message.
func TestOneNotFound(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"the driver's", mongo.ErrNoDocuments, true},
		{"the driver's, wrapped", fmt.Errorf("surveys: unable to find wave w: %w", mongo.ErrNoDocuments), true},
		{"store.ErrNotFound", store.ErrNotFound, true},
		{"actions", actions.ErrNotFound, true},
		{"arenas", arenas.ErrNotFound, true},
		{"council", council.ErrNotFound, true},
		{"council, wrapped", fmt.Errorf("web: %w", council.ErrNotFound), true},
		{"invitation", surveys.ErrNoSuchInvitation, true},
		{"receipt", surveys.ErrNoSuchReceipt, true},
		{"draft", surveys.ErrNoSuchDraft, true},
		{"draft part", surveys.ErrNoSuchPart, true},
		{"import", surveys.ErrNoSuchImport, true},
		{"a used invitation is not missing", surveys.ErrInvitationUsed, false},
		{"another error", errors.New("store: connection refused"), false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := store.IsNotFound(tc.err); got != tc.want {
				t.Fatalf("IsNotFound(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
	if errors.Is(actions.ErrNotFound, council.ErrNotFound) || !errors.Is(fmt.Errorf("x: %w", arenas.ErrNotFound), arenas.ErrNotFound) {
		t.Error("a domain's sentinel must match itself and no other")
	}
	if council.ErrNotFound.Error() != "council: not found" {
		t.Errorf("message %q, want the domain's own", council.ErrNotFound)
	}
}

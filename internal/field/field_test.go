package field_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/internal/field"
)

// TestOneFieldErrorType: the domains' field errors are one type, so a
// caller reads any of them with one errors.As.
func TestOneFieldErrorType(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"actions", &actions.FieldError{Field: "title", Message: "actions.error.title_required"}},
		{"arenas", &arenas.FieldError{Field: "kind", Message: "arenas.error.kind"}},
		{"council", &council.FieldError{Field: "date", Message: "council.error.date"}},
		{"feedback", &feedback.FieldError{Field: "text", Message: "feedback.error.too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fe *field.Error
			if !errors.As(fmt.Errorf("wrapped: %w", tc.err), &fe) || fe.Field == "" || fe.Message == "" {
				t.Fatalf("errors.As(%v) found no field.Error", tc.err)
			}
			if want := fe.Field + ": " + fe.Message; tc.err.Error() != want {
				t.Errorf("Error() = %q, want %q", tc.err.Error(), want)
			}
		})
	}
}

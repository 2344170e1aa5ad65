// Package field holds the one field-error type of the domains whose forms
// are checked field by field (actions, arenas, council, feedback): the
// field's name and a locale message id the web layer translates. Answers
// to a survey have their own, richer error (surveys.FieldError: a question
// key, message arguments and the instrument's own text).
package field

// Error is a problem with one field; Message is a locale message id.
type Error struct{ Field, Message string }

// Error names the field and the message id; the id names its domain
// ("actions.error.title_required").
func (e *Error) Error() string { return e.Field + ": " + e.Message }

package store

import (
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ErrNotFound is the one not-found error: every domain's "no such …"
// matches it (errors.Is), and so does the driver's ErrNoDocuments through
// IsNotFound, so the web layer answers 404 for all of them alike.
var ErrNotFound = errors.New("store: not found")

// NotFound returns a not-found error with a domain's own message, for a
// package's sentinel: errors.Is matches both that sentinel and ErrNotFound.
func NotFound(message string) error { return &notFoundError{message} }

type notFoundError struct{ message string }

func (e *notFoundError) Error() string { return e.message }

func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// IsNotFound reports whether err means there is no such thing: no document
// matched, or a domain said so.
func IsNotFound(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, mongo.ErrNoDocuments)
}

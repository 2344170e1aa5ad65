package staff

import (
	"context"
	"time"
)

// LoginFailures lets the package's tests (package staff_test) read the
// throttle counters; it is no part of the API.
func (s *Store) LoginFailures(ctx context.Context, email, source string, now time.Time) (account, src int, err error) {
	return s.loginFailures(ctx, email, source, now)
}

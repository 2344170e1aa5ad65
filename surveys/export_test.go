package surveys

import "context"

// Buried reports whether the answer behind the tombstone id was withdrawn.
// Only the tests of package surveys_test ask one id at a time; the server
// reads the tombstones of a whole batch where it accepts answers.
func (s *Store) Buried(ctx context.Context, id string) (bool, error) {
	ids, err := s.buriedAmong(ctx, []string{id})
	return len(ids) == 1, err
}

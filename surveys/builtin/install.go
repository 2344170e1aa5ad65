package builtin

import (
	"context"
	"fmt"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Install stores each built-in instrument whose key the store does not
// have yet, and returns the keys it stored. It runs at every start: a new
// installation gets the relatives' survey and the youth variant whether or
// not the demo is seeded, and an installation that already has a key
// (perhaps in a later, edited version) keeps what it has.
func Install(ctx context.Context, st *surveys.Store) ([]string, error) {
	ins, err := Instruments()
	if err != nil {
		return nil, err
	}
	var installed []string
	for _, in := range ins {
		_, err := st.LatestInstrument(ctx, in.Key)
		switch {
		case err == nil:
			continue
		case !store.IsNotFound(err):
			return installed, fmt.Errorf("builtin: %w", err)
		}
		if err := st.InsertInstrument(ctx, in); err != nil {
			if store.IsDuplicate(err) {
				continue // another instance installed it a moment ago
			}
			return installed, fmt.Errorf("builtin: %w", err)
		}
		installed = append(installed, in.Key)
	}
	return installed, nil
}

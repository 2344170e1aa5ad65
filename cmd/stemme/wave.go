package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// runWave lists waves and moves them through draft → open → closed.
func runWave(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{errors.New("wave needs a subcommand: list, open ID or close ID")}
	}
	sub, args := args[0], args[1:]
	var id string
	if sub == "open" || sub == "close" {
		// The id comes first, flags after it, as in "stemme wave open ID --data DIR".
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError{fmt.Errorf("wave %s needs a wave id (see stemme wave list)", sub)}
		}
		id, args = args[0], args[1:]
	} else if sub != "list" {
		return usageError{fmt.Errorf("unknown subcommand %q (list, open or close)", sub)}
	}
	return storeCommand(ctx, "wave "+sub, args, out, nil, func(cfg config, st *store.Store) error {
		ss := surveys.NewStore(st.DB)
		waves := ops.NewWaves(journal(st, nil), ss)
		switch sub {
		case "open":
			return waveStatus(ctx, waves.Open, id, "opened", out)
		case "close":
			return waveStatus(ctx, waves.Close, id, "closed", out)
		}
		ws, err := ss.Waves(ctx)
		if err != nil {
			return err
		}
		for _, w := range ws {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", w.ID, w.Kind, strings.Join(w.Units, ","), w.Status)
		}
		return nil
	})
}

// waveStatus runs one transition (an operation of package ops, audited
// before the status changes) and says what happened; a refused one is a
// single line from run (exit 1), since the error names the transition.
func waveStatus(ctx context.Context, change func(ctx context.Context, who, id string) error, id, done string, out io.Writer) error {
	err := change(ctx, cliActor, id)
	if store.IsNotFound(err) {
		return fmt.Errorf("no wave %q (see stemme wave list)", id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Wave %s %s.\n", id, done)
	return nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// purgeEvery is how often a running server purges contact data.
const purgeEvery = 24 * time.Hour

// runPurge deletes the contact data of follow-up cases closed longer ago
// than STEMME_CONTACT_RETENTION; with --dry-run it lists them and deletes nothing.
func runPurge(ctx context.Context, args []string, out io.Writer) error {
	var dryRun bool
	return storeCommand(ctx, "purge", args, out, func(fs *flag.FlagSet) {
		fs.BoolVar(&dryRun, "dry-run", false, "list the cases whose contact data would be deleted, and delete nothing")
	}, func(cfg config, st *store.Store) error {
		secret, err := cfg.secret()
		if err != nil {
			return err
		}
		cases, ended, err := purgeContacts(ctx, st, secret, cfg.retention, time.Now(), dryRun, cliActor)
		if err != nil {
			return err
		}
		days := int(cfg.retention / (24 * time.Hour))
		if dryRun {
			fmt.Fprintf(out, "Would delete the contact data of %d closed case(s), closed more than %d days ago:\n", len(cases), days)
			for _, r := range cases {
				fmt.Fprintf(out, "  %s\t%s\tclosed %s\n", r.ID, r.Unit, surveys.LocalDate(r.Closed))
			}
			fmt.Fprintf(out, "and of %d follow-up register entries whose service ended more than %d days ago:\n", len(ended), days)
			for _, e := range ended {
				fmt.Fprintf(out, "  %s\t%s\tended %s\n", e.ID, e.Unit, e.Ended)
			}
			return nil
		}
		fmt.Fprintf(out, "Deleted the contact data of %d closed case(s), closed more than %d days ago, and of %d follow-up register entries.\n",
			len(cases), days, len(ended))
		return nil
	})
}

// purgeContacts runs one purge as actor, through package ops (each kind of
// contact data with something due, the sign-ups of past arena events
// included, gets its audit entry before it goes); with dryRun it only
// lists the cases and register entries due.
func purgeContacts(ctx context.Context, st *store.Store, secret []byte, retention time.Duration, now time.Time,
	dryRun bool, actor string) ([]feedback.ContactRequest, []feedback.Enrolment, error) {
	fb, err := feedback.NewStore(st.DB, secret)
	if err != nil {
		return nil, nil, err
	}
	if dryRun {
		return contactsDue(ctx, fb, retention, now)
	}
	as, err := arenas.NewStore(st.DB, secret)
	if err != nil {
		return nil, nil, err
	}
	return ops.NewRetention(journal(st, func() time.Time { return now }), fb, as).Purge(ctx, actor, retention)
}

// contactsDue lists the cases and register entries whose contact data a
// purge at now would delete.
func contactsDue(ctx context.Context, fb *feedback.Store, retention time.Duration, now time.Time) ([]feedback.ContactRequest, []feedback.Enrolment, error) {
	cases, err := fb.Purge(ctx, now, retention, true)
	if err != nil {
		return nil, nil, err
	}
	ended, err := fb.PurgeRegister(ctx, now, retention, true)
	return cases, ended, err
}

// purgeLogged runs one purge and logs what it did. A failure is logged,
// not fatal: the next daily run tries again.
func purgeLogged(ctx context.Context, st *store.Store, secret []byte, retention time.Duration, logger *slog.Logger) {
	runCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cases, ended, err := purgeContacts(runCtx, st, secret, retention, time.Now(), false, "system")
	if err != nil {
		logger.Error("contact data purge failed", slog.String("error", err.Error()))
		return
	}
	if len(cases)+len(ended) > 0 {
		logger.Info("contact data purged", slog.Int("cases", len(cases)), slog.Int("register", len(ended)))
	}
}

// purgeDaily runs purgeLogged every purgeEvery until ctx ends.
func purgeDaily(ctx context.Context, st *store.Store, secret []byte, retention time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(purgeEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			purgeLogged(ctx, st, secret, retention, logger)
		}
	}
}

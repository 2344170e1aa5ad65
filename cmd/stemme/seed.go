package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/demo"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

func ensureIndexes(ctx context.Context, st *store.Store) error {
	indexes := append(surveys.Indexes(), staff.Indexes()...)
	indexes = append(indexes, feedback.Indexes()...)
	indexes = append(indexes, actions.Indexes()...)
	indexes = append(indexes, outbox.Indexes()...)
	indexes = append(indexes, arenas.Indexes()...)
	return store.EnsureIndexes(ctx, st.DB, indexes...)
}

// migrations rewrite stored documents into their current form, once, in
// this order (store.Migrate); a new one goes at the end.
func migrations() []store.Migration {
	return []store.Migration{surveys.AnswersMigration(), analysis.PackedMigration()}
}

func runSeed(ctx context.Context, args []string, out io.Writer) error {
	var reset bool
	return storeCommand(ctx, "seed", args, out, func(fs *flag.FlagSet) {
		fs.BoolVar(&reset, "reset", false, "drop the whole database first (every answer in it is lost)")
	}, func(cfg config, st *store.Store) error {
		if reset {
			for _, db := range []*mongo.Database{st.DB, surveys.CodesDB(st.DB)} {
				if err := db.Drop(ctx); err != nil {
					return fmt.Errorf("cannot drop database %s: %w", db.Name(), err)
				}
			}
			if err := ensureIndexes(ctx, st); err != nil {
				return err
			}
			fmt.Fprintf(out, "Database %s emptied.\n", cfg.Database)
		}
		cfg.Demo = true
		return bootstrap(ctx, cfg, st, out)
	})
}

// bootstrap runs once on an empty database: it creates the first admin and,
// unless switched off, the demo municipality, and prints how to reach them.
func bootstrap(ctx context.Context, cfg config, st *store.Store, out io.Writer) error {
	// The built-in questionnaires come with every installation, demo or not.
	installed, err := builtin.Install(ctx, surveys.NewStore(st.DB))
	if err != nil {
		return err
	}
	if len(installed) > 0 {
		fmt.Fprintf(out, "Installed the built-in questionnaires: %s.\n", strings.Join(installed, ", "))
	}
	users := staff.NewStore(st.DB)
	n, err := users.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	email, password := cfg.AdminEmail, cfg.AdminPassword
	if email == "" {
		email = "admin@stemme.local"
	}
	generated := password == ""
	if generated {
		password = staff.GeneratePassword()
	}
	units, err := surveys.NewStore(st.DB).Units(ctx)
	if err != nil {
		return err
	}
	if cfg.Demo && len(units) == 0 {
		info, err := demo.Seed(ctx, st.DB, time.Now())
		if err != nil {
			return err
		}
		secret, err := cfg.secret()
		if err != nil {
			return err
		}
		nfb, err := demo.SeedFeedback(ctx, st.DB, secret, time.Now())
		if err != nil {
			return err
		}
		// The earlier wave published, actions linked to its findings and a
		// council with its meetings, so that effects and the council show.
		if err := demo.SeedCouncil(ctx, st.DB, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(out, "\nSeeded the demo municipality: %d units; this year's overall survey, closed and published, with %d synthetic answers;\n"+
			"an open follow-up survey (%s) in %d units; %d feedback messages.\n",
			info.Units, info.Responses, info.Wave, len(info.Links), nfb)
		fmt.Fprintln(out, "Open survey links (follow-up survey):")
		for _, l := range info.Links {
			fmt.Fprintf(out, "  %-34s %s%s\n", l.Unit, cfg.BaseURL, l.Path)
		}
	}
	if _, err := users.CreateUser(ctx, staff.User{Email: email, Name: "Administrator",
		Grants: []staff.Grant{{Role: staff.RoleAdmin}}}, password); err != nil {
		return errors.Join(errors.New("cannot create the first admin"), err)
	}
	fmt.Fprintf(out, "\nAdmin login at %s/login\n  e-mail:   %s\n", cfg.BaseURL, email)
	if generated {
		fmt.Fprintf(out, "  password: %s\n  (shown once; write it down)\n\n", password)
	} else {
		fmt.Fprint(out, "  password: the one in STEMME_ADMIN_PASSWORD\n\n")
	}
	return nil
}

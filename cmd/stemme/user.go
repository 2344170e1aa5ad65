package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

// newNotifier queues messages in the store's outbox for the server to send.
func newNotifier(cfg config, st *store.Store) (*notify.Notifier, error) {
	secret, err := cfg.secret()
	if err != nil {
		return nil, err
	}
	box, err := outbox.New(st.DB, secret)
	if err != nil {
		return nil, err
	}
	return notify.New(st.DB, box, secret, cfg.BaseURL)
}

// runUser manages staff users from the command line: add, reset, list.
func runUser(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{errors.New("user needs a subcommand: add, reset or list")}
	}
	sub, args := args[0], args[1:]
	var email, name, roles, units string
	var secondFactor bool
	return storeCommand(ctx, "user "+sub, args, out, func(fs *flag.FlagSet) {
		if sub == "add" || sub == "reset" {
			fs.StringVar(&email, "email", "", "the user's e-mail address")
		}
		if sub == "reset" {
			fs.BoolVar(&secondFactor, "2fa", false, "also remove the user's second factor (a lost phone without recovery codes)")
		}
		if sub == "add" {
			fs.StringVar(&name, "name", "", "the user's name")
			fs.StringVar(&roles, "role", "", "roles, comma-separated: admin, advisor, unit_leader, follow_up, council")
			fs.StringVar(&units, "unit", "", "unit ids for unit_leader and follow_up, comma-separated")
		}
	}, func(cfg config, st *store.Store) error {
		users := staff.NewStore(st.DB)
		mailer, err := newNotifier(cfg, st)
		if err != nil {
			return err
		}
		j := journal(st, nil)
		accounts := ops.NewUsers(j, users, mailer, nil)
		switch sub {
		case "add":
			grants, err := parseGrants(roles, units)
			if err != nil {
				return usageError{err}
			}
			if name == "" {
				return usageError{errors.New("--name is required")}
			}
			u, err := accounts.Add(ctx, cliActor, staff.User{Email: email, Name: name, Grants: grants})
			if err != nil {
				return err
			}
			return printLink(ctx, accounts, mailer, u, out)
		case "reset":
			u, err := users.UserByEmail(ctx, email)
			if err != nil {
				return fmt.Errorf("no user with e-mail %q", email)
			}
			if secondFactor && u.HasTOTP() {
				if err := ops.NewTwoFactor(j, users).Reset(ctx, cliActor, u); err != nil {
					return err
				}
				fmt.Fprintf(out, "Second factor removed for %s; they set up a new one after signing in.\n", u.Email)
			}
			return printLink(ctx, accounts, mailer, u, out)
		case "list":
			us, err := users.Users(ctx)
			if err != nil {
				return err
			}
			for _, u := range us {
				status := "active"
				if !u.Active {
					status = "inactive"
				}
				var gs []string
				for _, g := range u.Grants {
					s := string(g.Role)
					if len(g.Units) > 0 {
						s += ":" + strings.Join(g.Units, "+")
					}
					gs = append(gs, s)
				}
				fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", u.Email, status, strings.Join(gs, ","), u.Name)
			}
			return nil
		}
		return usageError{fmt.Errorf("unknown subcommand %q (add, reset or list)", sub)}
	})
}

// parseGrants reads --role and --unit: the units apply to every unit-bound role given.
func parseGrants(roles, units string) ([]staff.Grant, error) {
	var gs []staff.Grant
	unitList := splitList(units)
	for _, r := range splitList(roles) {
		role, err := staff.ParseRole(r)
		if err != nil {
			return nil, err
		}
		g := staff.Grant{Role: role}
		if role.UnitBound() {
			g.Units = unitList
		}
		gs = append(gs, g)
	}
	return gs, staff.ValidateGrants(gs)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// printLink issues a password link for u (audited), prints it and queues
// it for e-mail; a link that cannot be queued fails the command after the
// link is printed, so that the operator knows to hand it over.
func printLink(ctx context.Context, accounts *ops.Users, n *notify.Notifier, u staff.User, out io.Writer) error {
	link, err := accounts.Link(ctx, cliActor, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "One-time link for %s to set a password (valid %s):\n%s\n", u.Email, staff.LinkLifetime, link)
	if err := n.StaffLink(ctx, u, link, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(out, "It is also queued for e-mail; the server sends it (see /admin/outbox).")
	return nil
}

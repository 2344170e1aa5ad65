package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// runUnit manages units: add, list, move, deactivate, import. Like every
// command that writes, it needs the embedded store to itself; while the
// server runs, it says so and points to the same work in the browser.
func runUnit(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{errors.New("unit needs a subcommand: add, list, move ID, deactivate ID or import FILE.xlsx")}
	}
	sub, args := args[0], args[1:]
	var arg string
	switch sub {
	case "move", "deactivate", "import":
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			what := "a unit id (see stemme unit list)"
			if sub == "import" {
				what = "a file: stemme unit import FILE.xlsx"
			}
			return usageError{fmt.Errorf("unit %s needs %s", sub, what)}
		}
		arg, args = args[0], args[1:]
	case "add", "list":
	default:
		return usageError{fmt.Errorf("unknown subcommand %q (add, list, move, deactivate or import)", sub)}
	}
	var u surveys.Unit
	cfg, err := loadConfig("unit "+sub, args, out, func(fs *flag.FlagSet) {
		if sub == "add" {
			fs.StringVar(&u.ID, "id", "", "the unit's key: lower-case letters, digits and _ (for example solbakken)")
			fs.StringVar(&u.Name, "name", "", "the unit's name")
			fs.StringVar(&u.Kind, "kind", "", "type: "+strings.Join(surveys.UnitKinds, ", ")+" (or in Norwegian: sykehjem, hjemmetjeneste, …)")
			fs.StringVar(&u.Address, "address", "", "visiting address")
			fs.StringVar(&u.Phone, "phone", "", "telephone")
			fs.StringVar(&u.Email, "email", "", "e-mail address")
			fs.StringVar(&u.PhoneHours, "phone-hours", "", "telephone hours")
			fs.StringVar(&u.VisitingHours, "visiting-hours", "", "visiting hours")
		}
		if sub == "add" || sub == "move" {
			fs.StringVar(&u.Parent, "parent", "", "the key of the municipality or sector it belongs to")
		}
	})
	if err != nil {
		return err
	}
	err = withStore(ctx, cfg, func(st *store.Store) error {
		ss := surveys.NewStore(st.DB)
		units := ops.NewUnits(journal(st, nil), ss)
		switch sub {
		case "list":
			all, err := ss.Units(ctx)
			if err != nil {
				return err
			}
			for _, t := range surveys.UnitTree(all) {
				status := "active"
				if !t.Active {
					status = "inactive since " + t.Deactivated
				}
				fmt.Fprintf(out, "%s%s\t%s\t%s\t%s\n", strings.Repeat("  ", t.Depth), t.ID, t.Kind, t.Name, status)
			}
			return nil
		case "add":
			u.Kind = surveys.KindFromText(u.Kind)
			if err := units.Add(ctx, cliActor, u); err != nil {
				return unitError(err)
			}
			fmt.Fprintf(out, "Unit %s added.\n", u.ID)
		case "move":
			if err := units.Move(ctx, cliActor, arg, u.Parent); err != nil {
				return unitError(err)
			}
			fmt.Fprintf(out, "Unit %s now belongs to %s.\n", arg, u.Parent)
		case "deactivate":
			if err := units.SetActive(ctx, cliActor, arg, false); err != nil {
				return unitError(err)
			}
			fmt.Fprintf(out, "Unit %s deactivated; waves and actions that name it keep it.\n", arg)
		case "import":
			return importUnits(ctx, units, arg, out)
		}
		return nil
	})
	return whileServing(err, fmt.Sprintf("manage units at %s/admin/units", cfg.BaseURL))
}

func importUnits(ctx context.Context, units *ops.Units, path string, out io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	imp, err := surveys.ReadUnitSheet(data)
	var ie *surveys.UnitImportError
	if errors.As(err, &ie) {
		return fmt.Errorf("%s: %s", path, english(ie.Message, ie.Args))
	}
	if err != nil {
		return err
	}
	added, changed, err := units.Import(ctx, cliActor, imp)
	if errors.As(err, new(surveys.UnitImportProblems)) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s has %d problem(s); nothing was imported:", path, len(imp.Problems))
		for _, p := range imp.Problems {
			fmt.Fprintf(&b, "\nrow %d %s: %s", p.Row, p.Column, english(p.Message, p.Args))
		}
		return errors.New(b.String())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Imported %s: %d new and %d changed units.\n", path, added, changed)
	return nil
}

// unitError words a refused change in English, one problem per line.
func unitError(err error) error {
	var es surveys.UnitErrors
	if errors.As(err, &es) {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = e.Field + ": " + english(e.Message, e.Args)
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	if errors.Is(err, surveys.ErrNoUnit) {
		return errors.New("no such unit (see stemme unit list)")
	}
	return err
}

var englishBundle = sync.OnceValues(func() (*i18n.Bundle, error) {
	b, _, err := locales.Load()
	return b, err
})

// english renders a message id with the UI's English messages, so the
// command line says what the web pages say.
func english(id string, args map[string]any) string {
	bundle, err := englishBundle()
	if err != nil {
		return id
	}
	s, err := i18n.NewLocalizer(bundle, "en").Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: args})
	if err != nil {
		return id
	}
	return s
}

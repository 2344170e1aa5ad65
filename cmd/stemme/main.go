// Command stemme serves relatives' surveys and their results.
//
// Usage: stemme [command] [flags]; "stemme help" lists the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	_ "time/tzdata" // dates are Oslo dates even on a server without a time-zone database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, out io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the web application (the default)", runServe},
		{"seed", "seed the demo municipality; --reset empties the database first", runSeed},
		{"version", "print the version", runVersion},
		{"user", "manage staff: user add --email E --name N --role R[,R] [--unit U[,U]]; user reset --email E [--2fa]; user list", runUser},
		{"unit", "manage units: unit add --id ID --name N --kind K --parent P [--phone …]; unit list; unit move ID --parent P; unit deactivate ID; unit import FILE.xlsx", runUnit},
		{"wave", "list waves (ID, kind, units, status); wave open ID; wave close ID (a closed wave never reopens)", runWave},
		{"instrument", "list instruments (key, version, status, languages); instrument import FILE.xlsx; instrument export KEY[@VERSION] FILE.xlsx (XLSForm)", runInstrument},
		{"retally", "rebuild the tallies from the answers, for one wave (--wave W) or all, from the answer chunks where complete or --from-responses; run it with the server stopped", runRetally},
		{"verify", "compare the tallies with a fresh recount; exits 1 on any difference", runVerify},
		{"audit-disclosure", "solve what each role can narrow hidden counts to; exits 1 when any interval is narrower than the threshold", runAuditDisclosure},
		{"export", "export a wave's results: export --wave W [--unit U] [--lang nb] [--format xlsx|csv-raw|csv-summary|csv-codebook] FILE", runExport},
		{"responses", "responses dump --wave W [--out FILE]: a wave's filed responses as JSON Lines, raw and unsuppressed (docs/STORAGE.md)", runResponses},
		{"purge", "delete contact data of follow-up cases closed longer ago than STEMME_CONTACT_RETENTION; --dry-run lists them", runPurge},
		{"backup", "backup DIR: a consistent copy of the embedded store, while the server runs", runBackup},
		{"restore", "restore DIR: put a backup in place of the embedded store (server stopped; the old one is kept aside)", runRestore},
		{"bench", "measure the server on loopback against its own store: throughput, latency, recount, dashboard; --quick, --write FILE", runBench},
		{"healthcheck", "exit 0 if the server on STEMME_ADDR is ready (for container health checks)", runHealthcheck},
		// Not listed: the load process of "stemme bench".
		{"bench-load", "", runBenchLoad},
		{"help", "list the commands", nil},
	}
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code: 0 on success,
// 2 for a usage error, 1 for anything else, always with one clear line.
func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	name := "serve"
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
		name = "help"
	} else if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(out)
		return 0
	}
	for _, c := range commands() {
		if c.name != name || c.run == nil {
			continue
		}
		err := c.run(ctx, args, out)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(errOut, "stemme %s: %v\n", name, err)
			return 2
		default:
			fmt.Fprintf(errOut, "stemme: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(errOut, "stemme: unknown command %q\n\n", name)
	usage(errOut)
	return 2
}

var errUsage = errors.New("usage error")

// usageError marks a mistake in how the command was called.
type usageError struct{ err error }

func (e usageError) Error() string   { return e.err.Error() }
func (e usageError) Unwrap() []error { return []error{e.err, errUsage} }

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: stemme [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		if c.summary != "" {
			fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "\nRun \"stemme COMMAND --help\" for a command's flags. Every flag has an environment variable, named in its help.")
}

func runVersion(_ context.Context, _ []string, out io.Writer) error {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintln(out, "stemme", v)
	return nil
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("stemme "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// loadConfig parses the environment and flags of a command.
func loadConfig(name string, args []string, out io.Writer, extra func(*flag.FlagSet)) (config, error) {
	fs := newFlags(name, out)
	if extra != nil {
		extra(fs)
	}
	cfg, err := parseConfig(fs, args, os.Getenv)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return cfg, usageError{err}
	}
	return cfg, err
}

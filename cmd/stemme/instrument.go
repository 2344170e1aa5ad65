package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// instrumentArgs is how many arguments each subcommand takes before its flags.
var instrumentArgs = map[string]struct {
	n     int
	usage string
}{
	"list":   {0, "instrument list"},
	"check":  {1, "instrument check FILE.xlsx"},
	"import": {1, "instrument import FILE.xlsx"},
	"export": {2, "instrument export KEY[@VERSION] FILE.xlsx"},
}

// runInstrument lists instrument versions and carries them to and from
// XLSForm, the spreadsheet format of ODK and KoboToolbox (docs/XLSFORM.md).
func runInstrument(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{errors.New("instrument needs a subcommand: list, check FILE.xlsx, import FILE.xlsx or export KEY[@VERSION] FILE.xlsx")}
	}
	sub, args := args[0], args[1:]
	spec, ok := instrumentArgs[sub]
	if !ok {
		return usageError{fmt.Errorf("unknown subcommand %q (list, check, import or export)", sub)}
	}
	if len(args) > 0 && slices.Contains([]string{"-h", "-help", "--help"}, args[0]) {
		_, err := loadConfig(spec.usage, args, out, nil)
		return err
	}
	// The arguments come first and flags after them, as in "stemme wave open ID --data DIR".
	if len(args) < spec.n || slices.ContainsFunc(args[:spec.n], func(a string) bool { return strings.HasPrefix(a, "-") }) {
		return usageError{fmt.Errorf("usage: stemme %s [flags]", spec.usage)}
	}
	pos, args := args[:spec.n], args[spec.n:]
	cfg, err := loadConfig("instrument "+sub, args, out, nil)
	if err != nil {
		return err
	}
	var in *surveys.Instrument
	if sub == "import" || sub == "check" {
		// The file is checked before the store starts: a broken one is
		// reported at once and nothing is stored. check needs no store, so
		// it works while the server runs.
		if in, err = readXLSFormFile(pos[0], out); err != nil {
			return err
		}
		if sub == "check" {
			fmt.Fprintf(out, "%s: no problems; it imports as a new draft of %s (%d questions; languages %s)\n",
				pos[0], in.Key, in.QuestionCount(), strings.Join(in.LanguageCodes(), ", "))
			return nil
		}
	}
	err = withStore(ctx, cfg, func(st *store.Store) error {
		ss := surveys.NewStore(st.DB)
		switch sub {
		case "import":
			if err := ops.NewInstruments(journal(st, nil), ss).Import(ctx, cliActor, in); err != nil {
				return err
			}
			fmt.Fprintln(out, in.ID)
			return nil
		case "export":
			return exportInstrument(ctx, ss, pos[0], pos[1], out)
		}
		ins, err := ss.Instruments(ctx)
		if err != nil {
			return err
		}
		for _, in := range ins {
			langs := make([]string, len(in.Languages))
			for i, l := range in.Languages {
				langs[i] = l.Code + ":" + l.Status
			}
			fmt.Fprintf(out, "%s\t%d\t%s\t%s\n", in.Key, in.Version, in.Status, strings.Join(langs, ","))
		}
		return nil
	})
	// The embedded store belongs to the running server; the same work is
	// done in its pages.
	return whileServing(err, fmt.Sprintf("import and download XLSForms at %s/admin/instruments "+
		"(stemme instrument check FILE.xlsx checks a file without the store)", strings.TrimSuffix(cfg.BaseURL, "/")))
}

// xlsFormProblems prints one line per problem under a line naming the file,
// so that the author can go through them cell by cell.
type xlsFormProblems struct {
	file string
	errs surveys.XLSFormErrors
}

func (e xlsFormProblems) Error() string {
	var b strings.Builder
	what := "problems"
	if len(e.errs) == 1 {
		what = "problem"
	}
	fmt.Fprintf(&b, "%s has %d %s; nothing was imported:", e.file, len(e.errs), what)
	for _, x := range e.errs {
		b.WriteString("\n" + x.Error())
	}
	return b.String()
}

// readXLSFormFile reads and checks an XLSForm, printing its warnings (what
// was ignored, added or assumed) one per line to out.
func readXLSFormFile(path string, out io.Writer) (*surveys.Instrument, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	imp, err := surveys.ImportXLSForm(f, filepath.Base(path))
	var errs surveys.XLSFormErrors
	if errors.As(err, &errs) {
		return nil, xlsFormProblems{path, errs}
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, w := range imp.Warnings {
		fmt.Fprintf(out, "warning: %s\n", w.Error())
	}
	return imp.Instrument, nil
}

// exportInstrument writes KEY@VERSION, or the latest version of KEY, to path.
func exportInstrument(ctx context.Context, ss *surveys.Store, ref, path string, out io.Writer) error {
	key, v, hasVersion := strings.Cut(ref, "@")
	var in *surveys.Instrument
	var err error
	if hasVersion {
		n, convErr := strconv.Atoi(v)
		if convErr != nil || n < 1 {
			return usageError{fmt.Errorf("%q: the version after @ must be a whole number from 1", ref)}
		}
		in, err = ss.Instrument(ctx, surveys.InstrumentID(key, n))
	} else {
		in, err = ss.LatestInstrument(ctx, key)
	}
	if store.IsNotFound(err) {
		return fmt.Errorf("no instrument %s (see stemme instrument list)", ref)
	} else if err != nil {
		return err
	}
	// The workbook is built in memory first, so an instrument that cannot be
	// written out leaves no file behind.
	var b bytes.Buffer
	if err := surveys.WriteXLSForm(&b, in); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s\t%s\n", in.ID, path)
	return nil
}

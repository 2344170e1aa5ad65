package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// exportFormats are the values of --format.
var exportFormats = []string{"xlsx", "csv-raw", "csv-summary", "csv-codebook", "stats"}

// runExport writes a wave's results to FILE: an xlsx workbook, or with
// --format one of the CSV files or the package for statistics software
// (stats: a zip for SPSS/PSPP, R and Stata). The file appears only when
// complete; the export is audited with the actor "cli". Answers row by row
// (the Rådata sheet, csv-raw, the package's record-level data) come only
// with --raw, and only here: record-level data can be linked to any
// published breakdown by its pattern of answers, so it is for whoever
// holds the database anyway, never for a web role.
func runExport(ctx context.Context, args []string, out io.Writer) error {
	var wave, unit, lang, format, sep, file string
	var raw bool
	// FILE may come last (after the flags) or first.
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	var flags *flag.FlagSet
	cfg, err := loadConfig("export", args, out, func(fs *flag.FlagSet) {
		flags = fs
		fs.StringVar(&wave, "wave", "", "the wave to export (required)")
		fs.StringVar(&unit, "unit", "", "one unit of the wave, compared with the municipality (default: every unit)")
		fs.StringVar(&lang, "lang", "nb", "language of headers and question texts: nb, nn, en or any language of the wave's questionnaire")
		fs.StringVar(&format, "format", "xlsx", "xlsx, csv-raw, csv-summary, csv-codebook or stats (a zip for SPSS, R and Stata)")
		fs.StringVar(&sep, "sep", "semicolon", "CSV separator: semicolon (decimal comma, Norwegian Excel) or comma")
		fs.BoolVar(&raw, "raw", false, "include the answers row by row (xlsx: the Rådata sheet; stats: record-level data and syntax; needed for csv-raw)")
	})
	if err != nil {
		return err
	}
	if file == "" {
		file = flags.Arg(0)
	} else if flags.NArg() > 0 {
		file = ""
	}
	switch {
	case wave == "":
		return usageError{errors.New("--wave is required")}
	case file == "" || flags.NArg() > 1:
		return usageError{errors.New("give one output FILE, e.g. stemme export --wave W resultater.xlsx")}
	case !surveys.ValidLanguageCode(lang):
		return usageError{fmt.Errorf("--lang %q is not a language code (BCP 47, such as nb, en or lt)", lang)}
	case !slices.Contains(exportFormats, format):
		return usageError{fmt.Errorf("--format must be one of %s", strings.Join(exportFormats, ", "))}
	case sep != "semicolon" && sep != "comma":
		return usageError{errors.New("--sep must be semicolon or comma")}
	case format == "csv-raw" && !raw:
		return usageError{errors.New("--format csv-raw needs --raw: the file holds every answer row by row")}
	}
	return withStore(ctx, cfg, func(st *store.Store) error {
		// Answers still in the inbox are counted first, so the file has them all.
		if err := flushInbox(ctx, st); err != nil {
			return err
		}
		bundle, _, err := locales.Load()
		if err != nil {
			return err
		}
		view, err := analysis.NewService(st.DB).View(ctx, analysis.Reader{All: true}, wave)
		if errors.Is(err, analysis.ErrNoResults) {
			return usageError{fmt.Errorf("there is no wave %s", wave)}
		}
		if err != nil {
			return err
		}
		if view.State != analysis.StateFinal {
			return fmt.Errorf("wave %s has no results yet: results exist once it is closed and every answer is counted", wave)
		}
		e, err := exports.Prepare(ctx, st.DB, bundle, view.Results, exports.Options{Unit: unit, Lang: lang, Raw: raw, Actor: cliActor, Now: time.Now()})
		if errors.Is(err, exports.ErrUnknownUnit) {
			return usageError{fmt.Errorf("unit %q is not part of wave %s", unit, wave)}
		}
		if errors.Is(err, exports.ErrLanguage) {
			return usageError{fmt.Errorf("--lang must be one of %s (the export languages and those of the wave's questionnaire)",
				strings.Join(exports.Languages(view.Results.Instrument), ", "))}
		}
		if err != nil {
			return err
		}
		bar := progressBar{out: out, label: "Exporting"}
		began := time.Now()
		s := exports.Semicolon
		if sep == "comma" {
			s = exports.Comma
		}
		// The file is put in place only once the export is in the audit
		// log, so no export goes unrecorded.
		detail := fmt.Sprintf("unit=%s format=%s lang=%s", map[bool]string{true: "all", false: unit}[unit == ""], format, lang)
		err = publishFile(file, ".stemme-export-*", "export", func(w io.Writer) error {
			defer bar.finish()
			switch format {
			case "xlsx":
				return e.WriteXLSX(ctx, w, bar.show)
			case "csv-raw":
				return e.WriteRawCSV(ctx, w, s, bar.show)
			case "csv-summary":
				return e.WriteSummaryCSV(w, s)
			case "csv-codebook":
				return e.WriteCodebookCSV(w, s)
			case "stats":
				return e.WriteStats(ctx, w, s, bar.show)
			}
			return nil
		}, func() error {
			return auditLogOf(st).Audit(ctx, time.Now(), cliActor, staff.AuditExport, wave, detail)
		})
		if err != nil {
			return err
		}
		if raw {
			fmt.Fprintf(out, "Wrote %s (%d answers row by row) in %s.\n", file, bar.done, time.Since(began).Round(time.Millisecond))
		} else {
			fmt.Fprintf(out, "Wrote %s in %s.\n", file, time.Since(began).Round(time.Millisecond))
		}
		return nil
	})
}

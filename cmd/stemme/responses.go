package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// runResponses inspects the stored answers: "responses dump --wave W"
// writes every filed response of a wave as JSON Lines, as the app reads
// them (docs/STORAGE.md). It is raw data, neither suppressed nor
// aggregated, for the operator who holds the data directory: it reads
// nothing the store does not already give them, but in a form they can
// read, and each dump is audited before any of it is out.
func runResponses(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "dump" {
		return usageError{errors.New("responses needs a subcommand: dump --wave W [--out FILE]")}
	}
	var wave, file string
	return storeCommand(ctx, "responses dump", args[1:], out, func(fs *flag.FlagSet) {
		fs.StringVar(&wave, "wave", "", "the wave whose filed responses to write (required)")
		fs.StringVar(&file, "out", "", "write to this file (created readable by its owner only) instead of standard output")
	}, func(cfg config, st *store.Store) error {
		if wave == "" {
			return usageError{errors.New("--wave is required (see stemme wave list)")}
		}
		ss := surveys.NewStore(st.DB)
		if _, err := ss.Wave(ctx, wave); store.IsNotFound(err) {
			return fmt.Errorf("no wave %q (see stemme wave list)", wave)
		} else if err != nil {
			return err
		}
		// Each dump is in the audit log before a line of it is out: written
		// before the first line to standard output, or before the complete
		// file is put in place.
		audit := func(n int64) error {
			detail := fmt.Sprintf("format=responses-jsonl (raw, unsuppressed) responses=%d", n)
			return auditLogOf(st).Audit(ctx, time.Now(), cliActor, staff.AuditExport, wave, detail)
		}
		if file == "" {
			n, err := ss.FiledCount(ctx, wave)
			if err != nil {
				return err
			}
			if err := audit(n); err != nil {
				return err
			}
			_, err = dumpResponses(ctx, ss, wave, out)
			return err
		}
		n, err := dumpToFile(ctx, ss, wave, file, audit)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Wrote %d responses of wave %s to %s.\n", n, wave, file)
		return nil
	})
}

// dumpLine is one response in the dump: its identity, background and
// answers, each answer a string, a number or a list of strings. It names
// what is dumped field by field, rather than encoding surveys.Response,
// so that a field added to responses reaches the dump only by a decision.
type dumpLine struct {
	ID         string            `json:"id"`
	Wave       string            `json:"wave"`
	Unit       string            `json:"unit"`
	Instrument string            `json:"instrument"`
	Lang       string            `json:"lang"`
	Segments   map[string]string `json:"segments,omitempty"`
	Answers    surveys.Answers   `json:"answers"`
}

// dumpResponses writes the filed responses of a wave to w, one JSON object
// a line, and returns how many.
func dumpResponses(ctx context.Context, ss *surveys.Store, wave string, w io.Writer) (int, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var n int
	err := ss.EachResponse(ctx, wave, func(r *surveys.Response) error {
		n++
		return enc.Encode(dumpLine{ID: r.ID, Wave: r.Wave, Unit: r.Unit, Instrument: r.Instrument, Lang: r.Lang,
			Segments: r.Segments, Answers: r.Answers})
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// dumpToFile writes the dump beside file and, once it is complete and
// audit (told how many responses it holds) has succeeded, puts it there
// (publishFile), so that a failed or unrecorded dump leaves no file.
func dumpToFile(ctx context.Context, ss *surveys.Store, wave, file string, audit func(n int64) error) (int, error) {
	var n int
	err := publishFile(file, ".stemme-dump-*", "responses dump", func(w io.Writer) (err error) {
		n, err = dumpResponses(ctx, ss, wave, w)
		return err
	}, func() error { return audit(int64(n)) })
	if err != nil {
		return 0, err
	}
	return n, nil
}

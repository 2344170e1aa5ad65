package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/store"
)

// runRetally rebuilds tallies from the stored answers, counting those still
// in the inbox first, with a progress bar: from the packed answer chunks
// where they are complete, or with --from-responses from the responses
// alone, writing the chunks anew.
func runRetally(ctx context.Context, args []string, out io.Writer) error {
	var wave string
	var fromResponses bool
	return storeCommand(ctx, "retally", args, out, func(fs *flag.FlagSet) {
		fs.StringVar(&wave, "wave", "", "the wave to recount (default: every wave)")
		fs.BoolVar(&fromResponses, "from-responses", false,
			"recount from the responses alone and write the answer chunks anew (slower; for when verify finds differences)")
	}, func(cfg config, st *store.Store) error {
		tallier := newTallier(st)
		stop := tallier.Start()
		defer stop()
		bar := progressBar{out: out, label: "Recounting"}
		began := time.Now()
		recount := tallier.Retally
		if fromResponses {
			recount = tallier.Rebuild
		}
		if err := recount(ctx, wave, bar.show); err != nil {
			return err
		}
		bar.finish()
		fmt.Fprintf(out, "Recounted %d answers in %s.\n", bar.done, time.Since(began).Round(time.Millisecond))
		return nil
	})
}

// runVerify compares the stored tallies with a fresh recount and fails on
// any difference, listing them.
func runVerify(ctx context.Context, args []string, out io.Writer) error {
	var wave string
	return storeCommand(ctx, "verify", args, out, func(fs *flag.FlagSet) {
		fs.StringVar(&wave, "wave", "", "the wave to verify (default: every wave)")
	}, func(cfg config, st *store.Store) error {
		// Answers waiting in the inbox are counted first, so the comparison is
		// between the tallies and every accepted answer.
		if err := flushInbox(ctx, st); err != nil {
			return err
		}
		bar := progressBar{out: out, label: "Recounting"}
		diffs, err := analysis.Verify(ctx, st.DB, wave, bar.show)
		if err != nil {
			return err
		}
		bar.finish()
		for _, d := range diffs {
			fmt.Fprintln(out, d)
		}
		if len(diffs) > 0 {
			return fmt.Errorf("%d differences between the tallies and a recount of %d answers (run stemme retally --from-responses)", len(diffs), bar.done)
		}
		fmt.Fprintf(out, "Tallies equal a recount of %d answers.\n", bar.done)
		return nil
	})
}

// progressBar draws "Recounting [#####·····] 52% 5200/10000" on one line.
type progressBar struct {
	out   io.Writer
	label string
	done  int64
	drawn bool
}

func (p *progressBar) show(done, total int64) {
	p.done = done
	if total <= 0 {
		return
	}
	const width = 30
	filled := int(done * width / total)
	fmt.Fprintf(p.out, "\r%s [%s%s] %3d%% %d/%d", p.label, strings.Repeat("#", filled),
		strings.Repeat("·", width-filled), done*100/total, done, total)
	p.drawn = true
}

func (p *progressBar) finish() {
	if p.drawn {
		fmt.Fprintln(p.out)
	}
}

// newTallier returns the process's tallier. The embedded store belongs to
// this process alone, so a tally lease left by a killed one is taken over.
func newTallier(st *store.Store) *analysis.Tallier {
	t := analysis.NewTallier(st.DB, newLogger())
	if st.Embedded {
		t.Exclusive()
	}
	return t
}

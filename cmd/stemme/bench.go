package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/bench"
	"github.com/stemme/stemme/demo"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

const (
	benchStart = "<!-- stemme bench: start -->"
	benchEnd   = "<!-- stemme bench: end -->"
)

// runBench measures the server on loopback against a store of its own (a
// temporary embedded one, or a scratch database on MONGODB_URI) and can
// write the figures into docs/BENCHMARKS.md.
func runBench(ctx context.Context, args []string, out io.Writer) error {
	var quick bool
	var write, only, profile string
	cfg, err := loadConfig("bench", args, out, func(fs *flag.FlagSet) {
		fs.BoolVar(&quick, "quick", false, "a short run (for a smoke test; its figures mean little)")
		fs.StringVar(&write, "write", "", "write the figures into this Markdown file (e.g. docs/BENCHMARKS.md)")
		fs.StringVar(&only, "only", "", "make only these measurements, comma-separated: "+measurementNames())
		fs.StringVar(&profile, "cpuprofile", "", "write CPU profiles of the journeys, the rebuild and the retally to PREFIX-journey.prof, PREFIX-rebuild.prof, PREFIX-retally.prof")
	})
	if err != nil {
		return err
	}
	opts := bench.Full
	if quick {
		opts = bench.Quick
	}
	opts.Progress, opts.CPUProfile, opts.Spawn = out, profile, spawnLoad
	if only != "" {
		opts.Only = strings.Split(only, ",")
		for _, name := range opts.Only {
			if !strings.Contains(","+measurementNames()+",", ","+name+",") {
				return usageError{fmt.Errorf("unknown measurement %q (known: %s)", name, measurementNames())}
			}
		}
		if write != "" {
			return usageError{errors.New("--write records a whole run: leave out --only")}
		}
	}
	dir, err := os.MkdirTemp("", "stemme-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.DataDir = dir
	if cfg.MongoURI != "" {
		cfg.Database = "stemme_bench"
	}
	return withStore(ctx, cfg, func(st *store.Store) error {
		if cfg.MongoURI != "" {
			// A scratch database of its own, emptied before and after.
			for _, db := range []*mongo.Database{st.DB, surveys.CodesDB(st.DB)} {
				if err := db.Drop(ctx); err != nil {
					return err
				}
				defer db.Drop(context.Background())
			}
			if err := ensureIndexes(ctx, st); err != nil {
				return err
			}
		}
		info, err := demo.Seed(ctx, st.DB, time.Now())
		if err != nil {
			return err
		}
		if len(info.Links) == 0 {
			return errors.New("bench: the demo has no open link")
		}
		secret := make([]byte, 32)
		_, _ = rand.Read(secret)
		fmt.Fprintf(out, "Measuring on loopback (%s)…\n", storeKind(st))
		report, err := bench.Run(ctx, st, info.Links[0].Path, secret, opts)
		if err != nil {
			return err
		}
		md := report.Markdown()
		fmt.Fprint(out, "\n"+md)
		if write == "" {
			return nil
		}
		return writeSection(write, md)
	})
}

func measurementNames() string {
	var names []string
	for _, m := range bench.Measurements {
		names = append(names, m.Name)
	}
	return strings.Join(names, ",")
}

// spawnLoad makes a load of the bench in a child process (bench-load), so
// that the server's CPU time, read from this process, holds none of it.
func spawnLoad(ctx context.Context, spec bench.LoadSpec) (*bench.LoadResult, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	in, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "bench-load")
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: the load process failed: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res bench.LoadResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("bench: the load process answered %q: %w", stdout.String(), err)
	}
	return &res, nil
}

// runBenchLoad is the child process of spawnLoad: it reads a load's spec
// on stdin, makes the load and writes what it measured on stdout.
func runBenchLoad(ctx context.Context, _ []string, out io.Writer) error {
	var spec bench.LoadSpec
	if err := json.NewDecoder(os.Stdin).Decode(&spec); err != nil {
		return usageError{fmt.Errorf("bench-load reads a load's spec as JSON on stdin: %w", err)}
	}
	res, err := bench.RunLoad(ctx, spec)
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(res)
}

func storeKind(st *store.Store) string {
	if st.Embedded {
		return "embedded store in a temporary directory"
	}
	return "scratch database stemme_bench on MONGODB_URI"
}

// writeSection replaces the bench section of a Markdown file, or appends it.
func writeSection(path, md string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	section := benchStart + "\n" + md + benchEnd + "\n"
	text := string(old)
	start, end := strings.Index(text, benchStart), strings.Index(text, benchEnd)
	if start >= 0 && end > start {
		text = text[:start] + section + text[end+len(benchEnd)+1:]
	} else {
		text += "\n## stemme bench (issue 11)\n\n`go run ./cmd/stemme bench --write docs/BENCHMARKS.md`\n\n" + section
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

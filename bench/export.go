package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// exportXLSX writes the retally wave (Options.Retally answers) as a
// workbook with every sheet, raw data included, to a temporary file,
// sampling the heap while it runs.
func exportXLSX(ctx context.Context, env *Env) ([]Result, error) {
	bundle, _, err := locales.Load()
	if err != nil {
		return nil, err
	}
	in, err := surveys.NewStore(env.Store.DB).Instrument(ctx, "parorende@1")
	if err != nil {
		return nil, err
	}
	questions := 0
	for _, q := range in.Questions() {
		if q.Type != surveys.TypeInfo {
			questions++
		}
	}
	f, err := os.CreateTemp("", "stemme-bench-*.xlsx")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if used := m.HeapInuse + m.StackInuse; used > peak.Load() {
				peak.Store(used)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	view, err := analysis.NewService(env.Store.DB).View(ctx, analysis.Reader{All: true}, "bench_retally")
	if err != nil {
		return nil, err
	}
	e, err := exports.Prepare(ctx, env.Store.DB, bundle, view.Results,
		exports.Options{Lang: "nb", Raw: true, Actor: "stemme bench", Now: time.Now()})
	if err == nil {
		err = e.WriteXLSX(ctx, f, nil)
	}
	took := time.Since(start)
	close(stop)
	<-sampled
	if err != nil {
		return nil, err
	}
	size, _ := f.Seek(0, io.SeekEnd)
	n := env.Options.Retally
	per100k := time.Duration(float64(took) * 100_000 / float64(n))
	mb := float64(peak.Load()) / (1 << 20)
	return []Result{{
		Name: fmt.Sprintf("xlsx export, %d answers × %d questions, all sheets", n, questions),
		Figure: fmt.Sprintf("%s, peak heap %.0f MB (the whole process, server included), %.1f MB file",
			took.Round(time.Millisecond), mb, float64(size)/(1<<20)),
		Goal: "< 10 s and < 256 MB for 100,000", Met: per100k < 10*time.Second && mb < 256,
	}}, nil
}

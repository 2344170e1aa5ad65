package exports_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// benchInstrument has 30 questions: a background question, 28 scale
// items in 7 focus areas and a number.
func benchInstrument() *surveys.Instrument {
	in := testInstrument()
	in.Key, in.FocusAreas = "bench", nil
	qs := []surveys.Question{in.Pages[0].Questions[0]}
	for a := range 7 {
		key := "area" + strconv.Itoa(a)
		in.FocusAreas = append(in.FocusAreas, surveys.FocusArea{Key: key, Name: tx("Område "+strconv.Itoa(a), "")})
		for i := range 4 {
			qs = append(qs, surveys.Question{Key: fmt.Sprintf("q%d_%d", a, i), Type: surveys.TypeScale, List: "s",
				FocusArea: key, Text: tx("Spørsmål", "")})
		}
	}
	qs = append(qs, surveys.Question{Key: "age", Type: surveys.TypeNumber, Text: tx("Alder", "")})
	in.Pages[0].Questions = qs
	return in
}

var benchUnits = []string{"u1", "u2", "u3", "u4", "u5", "u6"}

// BenchmarkExport writes the workbook of a wave with 10,000 and then
// 100,000 answers × 30 questions, reporting time, peak heap in use and
// allocation per export: the peak must not grow with the rows.
func BenchmarkExport(b *testing.B) {
	ctx := context.Background()
	db := storetest.DB(b)
	in := benchInstrument()
	w := &surveys.Wave{ID: "bench", Units: benchUnits, Threshold: 5, Name: "Bench", Opens: "2026-01-01", Closes: "2026-02-01"}
	bundle, _, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	col := db.Collection("responses")
	inserted := 0
	for _, n := range benchSizes() {
		began := time.Now()
		for inserted < n {
			docs := make([]any, 0, 1000)
			for range 1000 {
				a := surveys.Answers{"relation": surveys.ChoiceAnswer([]string{"child", "partner"}[rng.IntN(2)]),
					"age": surveys.NumberAnswer(float64(30 + rng.IntN(60)))}
				for _, q := range in.Pages[0].Questions[1:29] {
					a[q.Key] = surveys.ChoiceAnswer([]string{"1", "2", "3", "4", "5", "6", "dk"}[rng.IntN(7)])
				}
				inserted++
				docs = append(docs, surveys.Response{ID: "r" + strconv.Itoa(inserted), Wave: w.ID,
					Unit: benchUnits[inserted%len(benchUnits)], Instrument: "bench@1", Lang: "nb", Answers: a})
			}
			if _, err := col.InsertMany(ctx, docs); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("%d answers inserted in %s", n, time.Since(began).Round(time.Millisecond))
		// The results say every unit is shown, with as many respondents as
		// it has answers (the raw sheet declares its size from them); the
		// rest of the tallies does not matter to the cost of the raw data,
		// which dominates.
		var tallies []*analysis.Tally
		for i, u := range benchUnits {
			k := n / len(benchUnits)
			if i < n%len(benchUnits) {
				k++
			}
			tallies = append(tallies, &analysis.Tally{Wave: w.ID, Unit: u, N: int64(k)})
		}
		r := analysis.Compute(analysis.Input{Wave: w, Instrument: in, Tallies: tallies})
		e, err := exports.New(db, r, map[string]string{}, nil, bundle, exports.Options{Lang: "nb", Raw: true, Now: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		// The baseline: one pass of the cursor over the same answers, doing
		// nothing with them. The export can be no faster than this.
		b.Run(fmt.Sprintf("scan-only=%dk", n/1000), func(b *testing.B) {
			for b.Loop() {
				if err := surveys.NewStore(db).EachResponse(ctx, w.ID, func(*surveys.Response) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("answers=%dk", n/1000), func(b *testing.B) {
			runtime.GC() // what inserting left behind is not the export's
			peak := newPeakSampler()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			rows := int64(0)
			for b.Loop() {
				if err := e.WriteXLSX(ctx, io.Discard, func(done, _ int64) { rows = done }); err != nil {
					b.Fatal(err)
				}
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(peak.stop())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
			b.ReportMetric(float64(rows), "rows")
		})
		// The package for statistics software with the record-level data
		// (the command line's --format stats --raw).
		b.Run(fmt.Sprintf("stats-raw=%dk", n/1000), func(b *testing.B) {
			var size countingWriter
			for b.Loop() {
				size = 0
				if err := e.WriteStats(ctx, &size, exports.Comma, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size)/(1<<20), "zip-MB")
		})
	}
}

// countingWriter counts the bytes written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// peakSampler records the largest heap in use while an export runs.
type peakSampler struct {
	mu   sync.Mutex
	peak uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func newPeakSampler() *peakSampler {
	p := &peakSampler{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(25 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			p.mu.Lock()
			p.peak = max(p.peak, m.HeapInuse)
			p.mu.Unlock()
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakSampler) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	return p.peak
}

// benchSizes are the answer counts measured; STEMME_BENCH_SMALL=1 keeps
// to the first, for profiling.
func benchSizes() []int {
	if os.Getenv("STEMME_BENCH_SMALL") != "" {
		return []int{10_000}
	}
	return []int{10_000, 100_000}
}

package report_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stemme/stemme/demo"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/report"
	"github.com/stemme/stemme/store/storetest"
)

// BenchmarkYearlyReport builds the demo's report of 2026 from the store
// (build) and writes its PDF (pdf), reporting the PDF's size. The results
// service keeps final results, as in the server, so after the first round
// building reads the units, waves, actions, council and feedback and the
// cached results.
func BenchmarkYearlyReport(b *testing.B) {
	ctx := context.Background()
	db := storetest.DB(b)
	if _, err := demo.Seed(ctx, db, now); err != nil {
		b.Fatal(err)
	}
	if err := demo.SeedCouncil(ctx, db, now); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.SeedFeedback(ctx, db, testSecret, now); err != nil {
		b.Fatal(err)
	}
	src := sources(b, db)
	bundle, _, err := locales.Load()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			if _, err := report.Build(ctx, src, bundle, report.Options{Year: 2026, Lang: "nb", Now: now}); err != nil {
				b.Fatal(err)
			}
		}
	})
	r, err := report.Build(ctx, src, bundle, report.Options{Year: 2026, Lang: "nb", Now: now})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("pdf", func(b *testing.B) {
		var size int
		for b.Loop() {
			var buf bytes.Buffer
			if err := report.WritePDF(&buf, r, now); err != nil {
				b.Fatal(err)
			}
			size = buf.Len()
		}
		b.ReportMetric(float64(size), "pdf-bytes")
	})
}

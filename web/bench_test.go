package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/bench"
	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/web"
)

// BenchmarkSubmitAgainstInsertOne measures, in one run on the same store,
// the whole submit path (HTTP POST over loopback, form parsing, validation,
// durable write, thank-you page) against a bare InsertOne of the same
// response document. The goal is a ratio of at least 0.8. Run with
//
//	go test ./web -run '^$' -bench SubmitAgainstInsertOne -benchtime 400x
func BenchmarkSubmitAgainstInsertOne(b *testing.B) { benchmarkSubmit(b, 1) }

// BenchmarkSubmitConcurrent is the same with 16 relatives submitting at
// once against 16 goroutines inserting at once: the load of a care home's
// family evening. Concurrent answers share one commit (group commit).
//
//	go test ./web -run '^$' -bench SubmitConcurrent -benchtime 1600x
func BenchmarkSubmitConcurrent(b *testing.B) { benchmarkSubmit(b, 16) }

func benchmarkSubmit(b *testing.B, clients int) {
	f := webtest.New(b)
	// Relatives come from many addresses through a reverse proxy; each
	// request gets its own, so the rate limit works as in production
	// without refusing the benchmark.
	app, err := web.New(web.Config{Store: f.Store, BaseURL: "http://localhost:8080", Secret: webtest.Secret,
		Now: func() time.Time { return webtest.FixedNow }, TrustedProxies: []string{"127.0.0.1"}, Tallier: f.Tallier})
	if err != nil {
		b.Fatal(err)
	}
	f.App = app
	base := webtest.Listen(b, f)
	// The submit's answer is its redirect to the thank-you page; following
	// it would measure another page.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := b.N

	// Forms are fetched before the clock starts: a relative loads the form once.
	forms := make([]string, n)
	for i := range forms {
		resp, err := client.Get(base + "/s/" + f.Open)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		form := webtest.FormTokens(b, string(body))
		form.Set("relation", "child")
		form.Set("info_given", "5")
		form.Set("has_children", "no")
		form.Set("age", "54")
		form.Set("important", "Å bli lyttet til når noe endrer seg.")
		form.Set("_action", "submit")
		forms[i] = form.Encode()
	}

	ctx := context.Background()
	raw := f.Store.DB.Collection("baseline")
	doc := func() *surveys.Response {
		return &surveys.Response{ID: surveys.NewSubmissionID(), Wave: "open", Unit: "solbakken", Instrument: "test@1",
			Lang: "nb", Segments: map[string]string{"relation": "child"},
			Answers: surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "info_given": surveys.ChoiceAnswer("5"), "has_children": surveys.ChoiceAnswer("no"), "age": surveys.NumberAnswer(54),
				"important": surveys.TextAnswer("Å bli lyttet til når noe endrer seg.")}}
	}

	// Submits and inserts alternate in rounds, so a burst of load from
	// elsewhere on the machine hits both sides alike; the median round wins.
	const rounds = 8
	var ratios []float64
	var submitTotal, insertTotal time.Duration
	b.ResetTimer()
	for r := range rounds {
		lo, hi := r*n/rounds, (r+1)*n/rounds
		if lo == hi {
			continue
		}
		start := time.Now()
		mustParallel(b, clients, lo, hi, func(i int) error {
			req, _ := http.NewRequest(http.MethodPost, base+"/s/"+f.Open, strings.NewReader(forms[i]))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				return fmt.Errorf("submit: status %d", resp.StatusCode)
			}
			return nil
		})
		submit := time.Since(start)
		start = time.Now()
		mustParallel(b, clients, lo, hi, func(int) error {
			_, err := raw.InsertOne(ctx, doc())
			return err
		})
		insert := time.Since(start)
		submitTotal += submit
		insertTotal += insert
		ratios = append(ratios, insert.Seconds()/submit.Seconds())
	}
	b.StopTimer()
	slices.Sort(ratios)
	b.ReportMetric(float64(n)/submitTotal.Seconds(), "submits/s")
	b.ReportMetric(float64(n)/insertTotal.Seconds(), "inserts/s")
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}

// mustParallel is bench.Parallel failing the benchmark on the first error.
func mustParallel(b *testing.B, workers, lo, hi int, do func(i int) error) {
	b.Helper()
	if err := bench.Parallel(workers, lo, hi, do); err != nil {
		b.Fatal(err)
	}
}

package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

var tokenRE = regexp.MustCompile(`name="(_sid|_sig)" value="([^"]+)"`)

const submitClients = 16

// submitThroughput posts whole answers with 16 clients at once against 16
// goroutines inserting the same documents straight into the store.
func submitThroughput(ctx context.Context, env *Env) ([]Result, error) {
	return submitAgainstInsert(ctx, env, submitClients, env.Options.Submits)
}

// singleSubmit is the same with one client at a time: a relative's wait
// for their answer to be stored, against one InsertOne's.
func singleSubmit(ctx context.Context, env *Env) ([]Result, error) {
	return submitAgainstInsert(ctx, env, 1, max(env.Options.Submits/4, 8))
}

func submitAgainstInsert(ctx context.Context, env *Env, clients, n int) ([]Result, error) {
	// A submit is answered with a redirect to the thank-you page, which is
	// another page (formLatency measures pages): it is not followed here.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	last, err := lastPage()
	if err != nil {
		return nil, err
	}
	forms := make([]string, n)
	for i := range forms {
		body, err := get(client, env.Base+env.Link)
		if err != nil {
			return nil, err
		}
		f := url.Values{"_page": {last}, "_action": {"submit"}, "relation": {"child"}, "age_group": {"50_66"},
			"info_contact": {fmt.Sprint(1 + i%6)}, "inv_listened": {fmt.Sprint(1 + (i/6)%6)},
			"important": {"Å bli lyttet til når noe endrer seg."}}
		for _, m := range tokenRE.FindAllStringSubmatch(body, -1) {
			f.Set(m[1], m[2])
		}
		forms[i] = f.Encode()
	}
	baseline := env.Store.DB.Collection("bench_baseline")
	doc := func(i int) *surveys.Response {
		return &surveys.Response{ID: fmt.Sprintf("baseline-%d-%d", time.Now().UnixNano(), i), Wave: "bench", Unit: "u",
			Instrument: "parorende@1", Lang: "nb", Segments: map[string]string{"relation": "child"},
			Answers: surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "age_group": surveys.ChoiceAnswer("50_66"),
				"info_contact": surveys.ChoiceAnswer("4"), "inv_listened": surveys.ChoiceAnswer("5"),
				"important": surveys.TextAnswer("Å bli lyttet til når noe endrer seg.")}}
	}
	// Rounds alternate so that load from elsewhere hits both sides alike.
	const rounds = 8
	var submitTook, insertTook time.Duration
	var ratios []float64
	for r := range rounds {
		lo, hi := r*n/rounds, (r+1)*n/rounds
		// Neither side pays for the other's aftermath: the tallier files
		// the submits it was kicked for before the inserts' clock starts,
		// and before the next submits'.
		if err := env.Tallier.Flush(ctx); err != nil {
			return nil, err
		}
		start := time.Now()
		err := Parallel(clients, lo, hi, func(i int) error {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.Base+env.Link, strings.NewReader(forms[i]))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", clientAddress(clients<<18+i))
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				return fmt.Errorf("bench: submit answered %d", resp.StatusCode)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		s := time.Since(start)
		if err := env.Tallier.Flush(ctx); err != nil {
			return nil, err
		}
		start = time.Now()
		err = Parallel(clients, lo, hi, func(i int) error {
			_, err := baseline.InsertOne(ctx, doc(i))
			return err
		})
		if err != nil {
			return nil, err
		}
		ins := time.Since(start)
		submitTook += s
		insertTook += ins
		ratios = append(ratios, ins.Seconds()/s.Seconds())
	}
	sort.Float64s(ratios)
	ratio := (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
	return []Result{{
		Name:   fmt.Sprintf("submit throughput, %d %s, vs InsertOne", clients, map[bool]string{true: "client", false: "clients"}[clients == 1]),
		Figure: fmt.Sprintf("%.0f submits/s vs %.0f inserts/s: ratio %.2f (median of %d rounds)", float64(n)/submitTook.Seconds(), float64(n)/insertTook.Seconds(), ratio, rounds),
		Goal:   "ratio ≥ 0.8", Met: ratio >= 0.8,
	}}, nil
}

// formLatency loads the survey form with many clients at once.
func formLatency(ctx context.Context, env *Env) ([]Result, error) {
	n, clients := env.Options.FormRequests, env.Options.FormClients
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	took := make([]time.Duration, n)
	err := Parallel(clients, 0, n, func(i int) error {
		start := time.Now()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Base+env.Link, nil)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("bench: form answered %d", resp.StatusCode)
		}
		took[i] = time.Since(start)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortDurations(took)
	p50, p95, p99 := percentile(took, .5), percentile(took, .95), percentile(took, .99)
	return []Result{{
		Name:   fmt.Sprintf("form page latency, %d clients, %d requests", clients, n),
		Figure: fmt.Sprintf("p50 %s, p95 %s, p99 %s", ms(p50), ms(p95), ms(p99)),
		Goal:   "p99 < 50 ms", Met: p99 < 50*time.Millisecond,
	}}, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func get(client *http.Client, u string) (string, error) {
	resp, err := client.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("bench: GET answered %d", resp.StatusCode)
	}
	return string(b), err
}

// Parallel runs do(i) for i in [lo, hi) on workers goroutines and returns the
// first error; the benchmarks of the web package use it too.
func Parallel(workers, lo, hi int, do func(i int) error) error {
	next := make(chan int)
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := do(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := lo; i < hi; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

// lastPage is the index of the built-in questionnaire's last page, where an
// answer is sent from.
func lastPage() (string, error) {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		return "", err
	}
	return strconv.Itoa(len(in.Pages) - 1), nil
}

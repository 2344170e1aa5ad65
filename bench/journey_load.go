package bench

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
	"github.com/stemme/stemme/surveys/synth"
)

// The load of relatives answering the built-in survey without JavaScript,
// as a browser makes it: the blank form, then one post per page (Next, and
// Send on the last), each answered with a redirect that is followed, with
// the journey's cookie, to the page it names. It runs in a process of its
// own under "stemme bench" (see Options.Spawn), so that the server's CPU
// time, read from its own process, holds none of the client's.

// LoadSpec says what a load process does.
type LoadSpec struct {
	// Base is the server's address, Link the survey's path (/s/…).
	Base, Link string
	// Kind is "journeys" (complete journeys) or "blank" (blank-form GETs).
	Kind    string
	Clients int
	// N is the number of journeys or GETs; First numbers the first, so
	// that every client address and every relative's answers differ.
	N, First int
}

// LoadResult is what a load process measured.
type LoadResult struct {
	// Steps holds the latency of each page step (a post and the page it
	// leads to), in microseconds; Requests counts every HTTP request made.
	Steps    []int64       `json:"steps,omitempty"`
	Requests int64         `json:"requests"`
	Wall     time.Duration `json:"wall"`
}

// RunLoad makes the load spec asks for against a running server.
func RunLoad(ctx context.Context, spec LoadSpec) (*LoadResult, error) {
	transport := &http.Transport{MaxIdleConnsPerHost: spec.Clients}
	defer transport.CloseIdleConnections()
	res := &LoadResult{}
	var requests atomic.Int64
	steps := make([][]int64, spec.N)
	start := time.Now()
	err := Parallel(spec.Clients, 0, spec.N, func(i int) error {
		n := spec.First + i
		switch spec.Kind {
		case "blank":
			requests.Add(1)
			return blankForm(ctx, transport, spec, n)
		case "journeys":
			took, reqs, err := journey(ctx, transport, spec, n)
			steps[i] = took
			requests.Add(reqs)
			return err
		}
		return fmt.Errorf("bench: unknown load %q", spec.Kind)
	})
	res.Wall = time.Since(start)
	res.Requests = requests.Load()
	for _, s := range steps {
		res.Steps = append(res.Steps, s...)
	}
	return res, err
}

// clientAddress is relative n's address, sent through the trusted proxy.
func clientAddress(n int) string {
	return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
}

func blankForm(ctx context.Context, transport http.RoundTripper, spec LoadSpec, n int) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, spec.Base+spec.Link, nil)
	req.Header.Set("X-Forwarded-For", clientAddress(n))
	resp, err := transport.RoundTrip(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bench: blank form answered %d", resp.StatusCode)
	}
	return nil
}

var (
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	pageRE   = regexp.MustCompile(`<input type="hidden" name="_page" value="(\d+)">`)
)

// journey answers the built-in survey once as relative n and returns the
// latency of each page step and the number of requests made.
func journey(ctx context.Context, transport http.RoundTripper, spec LoadSpec, n int) ([]int64, int64, error) {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	answers := synth.Answers(rng, in, rng.NormFloat64(), synth.ItemBiases(rng, in))
	jar, _ := cookiejar.New(nil)
	var requests int64
	client := &http.Client{Transport: countRequests{transport, &requests}, Jar: jar, Timeout: 30 * time.Second}
	send := func(method string, body url.Values) (string, error) {
		var r io.Reader
		if body != nil {
			r = strings.NewReader(body.Encode())
		}
		req, _ := http.NewRequestWithContext(ctx, method, spec.Base+spec.Link, r)
		if body != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		// Kept by the client across the redirect, as a proxy would send it.
		req.Header.Set("X-Forwarded-For", clientAddress(n))
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		page, err := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("bench: %s %s answered %d", method, resp.Request.URL.Path, resp.StatusCode)
		}
		return string(page), err
	}
	page, err := send(http.MethodGet, nil)
	if err != nil {
		return nil, requests, err
	}
	var steps []int64
	for range len(in.Pages) + 1 {
		m := pageRE.FindStringSubmatch(page)
		if m == nil {
			return steps, requests, errors.New("bench: a page of the journey has no form")
		}
		index, _ := strconv.Atoi(m[1])
		form := url.Values{}
		for _, h := range hiddenRE.FindAllStringSubmatch(page, -1) {
			form.Add(h[1], html.UnescapeString(h[2]))
		}
		for _, q := range in.Pages[index].Questions {
			setAnswer(form, q.Key, answers[q.Key])
		}
		last := strings.Contains(page, `name="_action" value="submit"`)
		form.Set("_action", map[bool]string{true: "submit", false: "next"}[last])
		began := time.Now()
		page, err = send(http.MethodPost, form)
		if err != nil {
			return steps, requests, err
		}
		steps = append(steps, time.Since(began).Microseconds())
		if last {
			if !strings.Contains(page, `class="receipt"`) {
				return steps, requests, errors.New("bench: the last step did not lead to the thank-you page")
			}
			return steps, requests, nil
		}
	}
	return steps, requests, errors.New("bench: the journey did not end")
}

// setAnswer puts an answer into a form as a browser sends it.
func setAnswer(form url.Values, key string, v surveys.Answer) {
	if s, ok := v.Choice(); ok {
		form.Set(key, s)
	}
	if codes, ok := v.Choices(); ok {
		form[key] = codes
	}
	if x, ok := v.Number(); ok {
		form.Set(key, strconv.FormatFloat(x, 'f', -1, 64))
	}
}

// countRequests counts the requests a client makes, redirects included.
type countRequests struct {
	next http.RoundTripper
	n    *int64
}

func (c countRequests) RoundTrip(r *http.Request) (*http.Response, error) {
	atomic.AddInt64(c.n, 1)
	return c.next.RoundTrip(r)
}

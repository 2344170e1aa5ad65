package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// server is the real stemme binary (this test binary standing in for it)
// running as a child process, so it can be killed with SIGKILL.
type server struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	base string
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startProcess(t *testing.T, dir, addr string) *server {
	t.Helper()
	s := &server{out: &syncBuffer{}, base: "http://" + addr}
	s.cmd = exec.Command(os.Args[0], "serve")
	s.cmd.Env = append(cleanEnv(), "STEMME_TEST_MAIN=1", "STEMME_DATA_DIR="+dir, "STEMME_ADDR="+addr,
		"STEMME_BASE_URL="+s.base, "STEMME_TRUSTED_PROXIES=127.0.0.1")
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = s.cmd.Process.Kill()
	t.Fatalf("the server did not become ready:\n%s", s.out.String())
	return nil
}

func (s *server) terminate(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, s.out.String())
		}
	case <-time.After(60 * time.Second):
		_ = s.cmd.Process.Kill()
		t.Fatal("the server did not stop")
	}
}

var (
	linkRE    = regexp.MustCompile(`(/s/[A-Za-z0-9]+)`)
	tokenRE   = regexp.MustCompile(`name="(_sid|_sig)" value="([^"]+)"`)
	receiptRE = regexp.MustCompile(`class="code"[^>]*>([A-Z0-9-]+)<`)
)

// TestKillDuringSubmissionsLosesNothing sends 2,000 concurrent answers to a
// real server process, kills it with SIGKILL in the middle, restarts it, and
// checks that every answer that got a thank-you page is stored exactly once,
// that every stored answer is whole, and that the tallies equal a recount.
func TestKillDuringSubmissionsLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs the server three times")
	}
	dir := t.TempDir()
	addr := freePort(t)
	srv := startProcess(t, dir, addr)
	link := linkRE.FindString(srv.out.String())
	if link == "" {
		t.Fatalf("no survey link in the start-up output:\n%s", srv.out.String())
	}

	const total, killAfter, workers = 2000, 600, 32
	// Redirects are followed by hand: each submit's receipt cookie is its own.
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var thanked sync.Map // receipt → true
	var ok, failed atomic.Int64
	killed := make(chan struct{})
	var once sync.Once
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				receipt, err := submitOne(client, srv.base+link, i)
				if err != nil {
					failed.Add(1)
					continue
				}
				thanked.Store(receipt, true)
				if ok.Add(1) == killAfter {
					once.Do(func() {
						_ = srv.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
						close(killed)
					})
				}
			}
		}()
	}
	for i := range total {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatalf("only %d answers were accepted; the kill never happened", ok.Load())
	}
	_ = srv.cmd.Wait()
	t.Logf("accepted %d answers before and around the kill, %d refused or cut off", ok.Load(), failed.Load())

	// Restart: the tallier finishes what the kill interrupted. Then verify
	// counts whatever is still waiting and compares tallies with a recount.
	srv = startProcess(t, dir, addr)
	srv.terminate(t)
	code, out, errOut := stemme(t, []string{"STEMME_DATA_DIR=" + dir}, "verify")
	if code != 0 {
		t.Fatalf("verify after the crash: exit %d\n%s%s", code, out, errOut)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: dir, Database: "stemme"})
	if err != nil {
		t.Fatal(err)
	}
	responses, inbox := st.DB.Collection("responses"), st.DB.Collection("response_inbox")
	thanked.Range(func(k, _ any) bool {
		id := surveys.ResponseID(k.(string))
		a, _ := responses.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		b, _ := inbox.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
		if a+b != 1 {
			t.Errorf("answer with receipt %s stored %d times", k, a+b)
		}
		return true
	})
	// Every stored answer of this test (the only ones in English), filed
	// or still waiting to be counted, is whole: nothing half-written.
	var stored int
	for _, col := range []*mongo.Collection{responses, inbox} {
		cur, err := col.Find(ctx, bson.D{{Key: "lang", Value: "en"}})
		if err != nil {
			t.Fatal(err)
		}
		for cur.Next(ctx) {
			var r surveys.Response
			if err := cur.Decode(&r); err != nil {
				t.Fatal(err)
			}
			stored++
			if len(r.Answers) != 4 || r.Answers["info_contact"].IsZero() || r.Segments["relation"] != "child" || r.Unit == "" {
				t.Errorf("incomplete answer stored: %+v", r)
			}
		}
		_ = cur.Close(ctx)
	}
	_ = st.Close(ctx)
	if int64(stored) < ok.Load() {
		t.Errorf("%d answers filed, fewer than the %d thanked", stored, ok.Load())
	}
}

// submitOne fetches the form and submits one answer from its own address,
// returning the receipt on the thank-you page.
func submitOne(client *http.Client, formURL string, i int) (string, error) {
	forwarded := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
	req, _ := http.NewRequest(http.MethodGet, formURL+"?lang=en", nil)
	req.Header.Set("X-Forwarded-For", forwarded)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// An answer is sent from the last page of the built-in questionnaire.
	form := url.Values{"_page": {lastPage}, "_action": {"submit"}, "relation": {"child"}, "age_group": {"50_66"},
		"info_contact": {fmt.Sprint(1 + i%6)}, "inv_listened": {fmt.Sprint(1 + (i/6)%6)}}
	for _, m := range tokenRE.FindAllStringSubmatch(string(body), -1) {
		form.Set(m[1], m[2])
	}
	req, _ = http.NewRequest(http.MethodPost, formURL+"?lang=en", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwarded)
	req.Header.Set("Accept-Language", "en")
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	thanks, err := resp.Location()
	if resp.StatusCode != http.StatusSeeOther || err != nil {
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	// The thank-you page shows the receipt its cookie carries.
	req, _ = http.NewRequest(http.MethodGet, thanks.String(), nil)
	req.Header.Set("X-Forwarded-For", forwarded)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	m := receiptRE.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("thank-you page: status %d", resp.StatusCode)
	}
	return string(m[1]), nil
}

// lastPage is the index of the built-in questionnaire's last page.
var lastPage = func() string {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		panic(err)
	}
	return strconv.Itoa(len(in.Pages) - 1)
}()

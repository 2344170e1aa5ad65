package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
)

// rawRequest sends bytes as they are over a new TCP connection, as app.Test
// cannot: fasthttp refuses an oversized request before any handler runs.
func rawRequest(t *testing.T, addr, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	go func() { _, _ = io.WriteString(conn, raw) }() // the server may answer before reading it all
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// TestOversizedRequestsGetAClearPage: a request line or header over the 8 KB
// read buffer is answered 431, a body over the limit 413, each with a
// translated page that puts the fault with the request (not "an error on
// our side") and the usual security headers; a 4 KB lang value fits.
func TestOversizedRequestsGetAClearPage(t *testing.T) {
	f := webtest.New(t)
	addr := strings.TrimPrefix(webtest.Listen(t, f), "http://")
	big := func(n int) string { return strings.Repeat("x", n) }
	for _, tt := range []struct {
		name   string
		raw    string
		status int
		want   string
	}{
		{"4 KB lang value", "GET /?lang=" + big(4096) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
			http.StatusOK, `<html lang="nb"`},
		{"10 KB lang value", "GET /?lang=" + big(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
			http.StatusRequestHeaderFieldsTooLarge, "Forespørselen var for stor"},
		{"9 KB header", "GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + big(9000) + "\r\n\r\n",
			http.StatusRequestHeaderFieldsTooLarge, "Forespørselen var for stor"},
		{"9 KB of cookies", "GET /s/x HTTP/1.1\r\nHost: localhost\r\nCookie: a=" + big(9000) + "\r\n\r\n",
			http.StatusRequestHeaderFieldsTooLarge, "slett informasjonskapslene"},
		{"300 KB body", fmt.Sprintf("POST /tilbakemelding?lang=en HTTP/1.1\r\nHost: localhost\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", 300<<10, "text="+big(300<<10-5)),
			http.StatusRequestEntityTooLarge, "Too much data"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawRequest(t, addr, tt.raw)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("status %d, want %d with %q:\n%.600s", resp.StatusCode, tt.status, tt.want, body)
			}
			if strings.Contains(body, "feil hos oss") || strings.Contains(body, "on our side") {
				t.Error("the page blames the server")
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
		})
	}
}

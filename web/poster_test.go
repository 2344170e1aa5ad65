package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestPosterHasAQRCodeOfTheLinkInTheChosenLanguage(t *testing.T) {
	f := newFixture(t)
	users := staffUsers(t, f)
	advisor := users["advisor"]
	s := signIn(t, f, &advisor)
	for _, tt := range []struct{ lang, heading string }{{"nb", "Hva mener du som pårørende?"}, {"en", "What do you think, as a relative?"}} {
		resp, body := f.get(t, "/admin/posters/"+f.open+"?lang="+tt.lang, "Cookie", s.cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tt.lang, resp.StatusCode)
		}
		for _, want := range []string{tt.heading, "http://localhost:8080/s/" + f.open + "?lang=" + tt.lang, `<svg xmlns="http://www.w3.org/2000/svg"`, `role="img"`, "Solbakken sykehjem"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s poster lacks %q", tt.lang, want)
			}
		}
		if n := strings.Count(body, "h1v1h-1z"); n < 200 {
			t.Errorf("%s: QR code has %d dark modules; a real code of this URL has hundreds", tt.lang, n)
		}
	}
	if resp, _ := f.get(t, "/admin/posters/nosuchlink", "Cookie", s.cookie); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown link: %d", resp.StatusCode)
	}
}

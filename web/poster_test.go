package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
)

func TestPosterHasAQRCodeOfTheLinkInTheChosenLanguage(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	advisor := users["advisor"]
	s := webtest.SignIn(t, f, &advisor)
	for _, tt := range []struct{ lang, heading string }{{"nb", "Hva mener du som pårørende?"}, {"en", "What do you think, as a relative?"}} {
		resp, body := f.Get(t, "/admin/posters/"+f.Open+"?lang="+tt.lang, "Cookie", s.Cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tt.lang, resp.StatusCode)
		}
		for _, want := range []string{tt.heading, "http://localhost:8080/s/" + f.Open + "?lang=" + tt.lang, `<svg xmlns="http://www.w3.org/2000/svg"`, `role="img"`, "Solbakken sykehjem"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s poster lacks %q", tt.lang, want)
			}
		}
		if n := strings.Count(body, "h1v1h-1z"); n < 200 {
			t.Errorf("%s: QR code has %d dark modules; a real code of this URL has hundreds", tt.lang, n)
		}
	}
	if resp, _ := f.Get(t, "/admin/posters/nosuchlink", "Cookie", s.Cookie); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown link: %d", resp.StatusCode)
	}
}

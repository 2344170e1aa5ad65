package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
)

// TestBlankFormsAreEachTheirOwn: blank forms come from a cache, but each
// carries its own submission id and a signature that holds, in the
// language asked for.
func TestBlankFormsAreEachTheirOwn(t *testing.T) {
	f := webtest.New(t)
	seen := map[string]bool{}
	for i, lang := range []string{"nb", "nb", "en", "en", "nb"} {
		resp, body := f.Get(t, "/s/"+f.Open+"?lang="+lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("form %d: %d", i, resp.StatusCode)
		}
		if strings.Contains(body, "MarkQ7x") {
			t.Fatalf("form %d shows a placeholder", i)
		}
		if want := map[string]string{"nb": "Testundersøkelse", "en": "Test survey"}[lang]; !strings.Contains(body, want) {
			t.Errorf("form %d in %s lacks %q", i, lang, want)
		}
		form := webtest.FormTokens(t, body)
		if seen[form.Get("_sid")] {
			t.Fatalf("form %d repeats a submission id", i)
		}
		seen[form.Get("_sid")] = true
		form.Set("relation", "child")
		form.Set("_action", "submit")
		if resp, _ := f.Post(t, "/s/"+f.Open, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submitting form %d: %d", i, resp.StatusCode)
		}
	}
	if n, _ := f.Filed(t).CountDocuments(t.Context(), map[string]any{}); n != 5 {
		t.Fatalf("%d answers stored, want 5", n)
	}
}

package web

import (
	"strings"
	"testing"
)

// FuzzSafeNext: whatever a login link's ?next= holds, the redirect stays on
// this site's staff pages.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/admin/users", "//evil.example", "https://evil.example", "/admin\\@evil", "/admin/\r\nSet-Cookie: x", "", "/adminx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/admin") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
	})
}

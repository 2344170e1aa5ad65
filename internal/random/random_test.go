package random_test

import (
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/random"
)

const (
	hexDigits = "0123456789abcdef"
	base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// TestShapes checks each generator's length and alphabet, and that 2,000
// values never collide: every case has at least 48 bits, so a collision
// among them has a chance below 1 in 10^7 (n²/2^(bits+1)).
func TestShapes(t *testing.T) {
	cases := []struct {
		name     string
		make     func() string
		length   int
		alphabet string
	}{
		{"hex 12 bytes", func() string { return random.Hex(12) }, 24, hexDigits},
		{"hex 8 bytes", func() string { return random.Hex(8) }, 16, hexDigits},
		{"url-safe 32 bytes", func() string { return random.URLSafe(32) }, 43, base64URL},
		{"url-safe 16 bytes", func() string { return random.URLSafe(16) }, 22, base64URL},
		{"url-safe 8 bytes", func() string { return random.URLSafe(8) }, 11, base64URL},
		{"31 letters, 10", func() string { return random.String("abcdefghjkmnpqrstuvwxyz23456789", 10) }, 10, "abcdefghjkmnpqrstuvwxyz23456789"},
		{"32 letters, 12", func() string { return random.String("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 12) }, 12, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"},
		{"56 letters, 20", func() string {
			return random.String("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20)
		}, 20, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seen := make(map[string]bool)
			for range 2000 {
				v := c.make()
				if len(v) != c.length {
					t.Fatalf("%q has %d characters, want %d", v, len(v), c.length)
				}
				if i := strings.IndexFunc(v, func(r rune) bool { return !strings.ContainsRune(c.alphabet, r) }); i >= 0 {
					t.Fatalf("%q holds %q, outside %q", v, v[i], c.alphabet)
				}
				if seen[v] {
					t.Fatalf("%q drawn twice in %d values", v, len(seen))
				}
				seen[v] = true
			}
		})
	}
}

// TestStringIsUniform draws 310,000 characters from a 31-letter alphabet
// and checks every letter's count lies within 5 standard deviations (±490)
// of the expected 10,000. 31 does not divide 256: a plain modulo would draw
// the first 8 letters 10,900 times each, and fail.
func TestStringIsUniform(t *testing.T) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	counts := make(map[rune]int)
	for _, r := range random.String(alphabet, 310000) {
		counts[r]++
	}
	for _, r := range alphabet {
		if n := counts[r]; n < 9510 || n > 10490 {
			t.Errorf("%q drawn %d times of 310,000, want 10,000 ± 490", r, n)
		}
	}
}

func TestStringRefusesABadAlphabet(t *testing.T) {
	for _, alphabet := range []string{"", "a", strings.Repeat("x", 257)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("String(%d characters) did not panic", len(alphabet))
				}
			}()
			random.String(alphabet, 4)
		}()
	}
}

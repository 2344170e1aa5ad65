package surveys_test

import (
	"regexp"
	"testing"

	"github.com/stemme/stemme/surveys"
)

// TestRandomFormats pins the shape of every random id and code this package
// hands out: they are stored, printed on letters and typed back, so a new
// generator must keep drawing exactly these, or existing letters and
// links stop working.
func TestRandomFormats(t *testing.T) {
	cases := []struct {
		name  string
		make  func() string
		shape string
	}{
		{"resume code (60 bits, groups of four)", surveys.NewResumeCode, `^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`},
		{"link id (49 bits)", surveys.NewLinkID, `^[a-hj-km-np-z2-9]{10}$`},
		{"wave id", surveys.NewWaveID, `^w[a-hj-km-np-z2-9]{9}$`},
		{"submission id (128 bits)", surveys.NewSubmissionID, `^[a-hj-km-np-z2-9]{26}$`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shape := regexp.MustCompile(c.shape)
			seen := map[string]bool{}
			for range 500 {
				v := c.make()
				if !shape.MatchString(v) {
					t.Fatalf("%q does not match %s", v, c.shape)
				}
				if seen[v] {
					t.Fatalf("%q drawn twice", v)
				}
				seen[v] = true
			}
		})
	}
	// A resume code is typed back in any case, with or without dashes.
	code := surveys.NewResumeCode()
	if got := surveys.FormatCode(surveys.NormalizeCode(code)); got != code {
		t.Fatalf("resume code %q reads back as %q", code, got)
	}
}

package staff_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/stemme/stemme/staff"
)

// TestEveryAuditActionIsListed: each audit action constant is offered by
// the audit log's filter.
func TestEveryAuditActionIsListed(t *testing.T) {
	src, err := os.ReadFile("audit.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^\s+Audit\w+\s+= "([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(staff.AuditActions, m[1]) {
			t.Errorf("audit action %q is not in AuditActions", m[1])
		}
	}
}

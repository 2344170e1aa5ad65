package feedback_test

import (
	"testing"

	"github.com/stemme/stemme/store/storetest"
)

// TestMain starts one embedded store for the package's tests; the internal
// tests (package feedback) share the binary and simply do not use it.
func TestMain(m *testing.M) { storetest.Main(m) }

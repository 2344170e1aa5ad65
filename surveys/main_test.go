package surveys_test

import (
	"testing"

	"github.com/stemme/stemme/store/storetest"
)

// TestMain starts one embedded store for the package's tests. The internal
// tests (package surveys) share this binary and simply do not use it.
func TestMain(m *testing.M) { storetest.Main(m) }

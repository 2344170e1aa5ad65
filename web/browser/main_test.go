// Package browser_test drives the web app in real Chromium: axe-core on
// every page in every language, layouts at 320 px, flows without
// JavaScript, and the documentation's screenshots. It is its own package
// so that "go test ./..." runs it beside the web package's HTTP tests and
// neither comes near go test's per-package time limit.
package browser_test

import (
	"testing"

	"github.com/stemme/stemme/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchQuickRunWritesItsSection runs the harness briefly and checks it
// measures every path and writes its section into a Markdown file twice
// without duplicating it. The figures of a quick run are not judged.
func TestBenchQuickRunWritesItsSection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the harness")
	}
	doc := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := os.WriteFile(doc, []byte("# Benchmarks\n\nHand-written text stays.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		code, out, errOut := stemme(t, nil, "bench", "--quick", "--write", doc)
		if code != 0 {
			t.Fatalf("bench: exit %d\n%s%s", code, out, errOut)
		}
		for _, want := range []string{"submit throughput", "form page latency", "retally of 2000 answers", "xlsx export, 2000 answers", "results from tallies, 100000 vs 1000 answers"} {
			if !strings.Contains(out, want) {
				t.Errorf("bench output lacks %q:\n%s", want, out)
			}
		}
	}
	text, _ := os.ReadFile(doc)
	if strings.Count(string(text), benchStart) != 1 || !strings.Contains(string(text), "Hand-written text stays.") ||
		!strings.Contains(string(text), "| measurement | figure | goal | met |") {
		t.Fatalf("BENCHMARKS.md after two runs:\n%s", text)
	}
}

// TestBenchStorageOnDemand: the storage measurement is left out of a
// whole run (above) and made with --only storage: both forms read, the
// retally projected, the native answers migrated and read back.
func TestBenchStorageOnDemand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the harness")
	}
	code, out, errOut := stemme(t, nil, "bench", "--quick", "--only", "storage")
	if code != 0 {
		t.Fatalf("bench: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"answers read whole, native vs packed, 2000", "projected retally", "migrating the native answers to packed"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
}

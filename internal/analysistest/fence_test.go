package analysistest_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const self = "github.com/stemme/stemme/internal/analysistest"

// TestOnlyTestsAndTheBenchmarkWriteTallies reads the imports of every
// non-test Go file of the module: only package analysis (which lends the
// writers) and the benchmark (which builds a large wave in a scratch
// database of its own) may import this package. The server, the commands
// and every domain package may not, as go's internal/ rule alone cannot
// tell them from the tests.
func TestOnlyTestsAndTheBenchmarkWriteTallies(t *testing.T) {
	allowed := []string{"analysis", "bench"}
	root := filepath.Join("..", "..")
	var files int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self && !slices.Contains(allowed, filepath.ToSlash(dir)) {
				t.Errorf("%s imports %s: only tests and the benchmark may write tallies without the tallier", path, self)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d Go files: is the walk at the module's root?", files)
	}
}

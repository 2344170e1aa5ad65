package surveys

import (
	"go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/locales"
)

// TestEveryXLSFormMessageIsTranslated finds every message id of the XLSForm
// reader and the expression parser in the source, and the ids made from
// the tables of columns and characters, and requires each in the staff
// languages: the web shows them translated.
func TestEveryXLSFormMessageIsTranslated(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := goparser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			// The argument holding the id: fail/warn/problem(sh, row, col, id, …),
			// refuse(id, …) and the parser's p.fail(off, id, …).
			// question's own fail(field, id, …) closure has the id second.
			var fn string
			closure := false
			switch f := call.Fun.(type) {
			case *ast.SelectorExpr:
				fn = f.Sel.Name
			case *ast.Ident:
				fn, closure = f.Name, f.Name == "fail"
			}
			at := map[string]int{"fail": 3, "warn": 3, "problem": 3, "refuse": 0}[fn]
			prefix := "xlsform.problem."
			switch {
			case fn == "fail" && strings.HasPrefix(fset.Position(call.Pos()).Filename, "expr"):
				at, prefix = 1, "expr."
			case closure:
				at = 1
			}
			if _, known := map[string]bool{"fail": true, "warn": true, "problem": true, "refuse": true}[fn]; !known || at >= len(call.Args) {
				return true
			}
			if lit, ok := call.Args[at].(*ast.BasicLit); ok && lit.Kind == gotoken.STRING {
				if id, _ := strconv.Unquote(lit.Value); id != "" {
					ids[prefix+id] = true
				}
			}
			return true
		})
	}
	for _, why := range unsupportedColumns {
		ids["xlsform.problem.column_"+why[0]] = true
	}
	for base := range ignoredColumns {
		ids["xlsform.problem.column_"+base] = true
	}
	for _, h := range lexHints {
		ids["expr.char_"+h[0]] = true
	}
	for _, id := range []string{"expr.char_dot_number", "xlsform.problem.type_time_metadata", "expr.expected_close",
		"expr.expected_open_not", "expr.expected_question", "expr.expected_comparison"} {
		ids[id] = true
	}
	if len(ids) < 100 {
		t.Fatalf("found only %d message ids; the test no longer sees them", len(ids))
	}
	for _, code := range []string{"nb", "nn", "en"} {
		keys, err := locales.Keys(code)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, k := range keys {
			have[k] = true
		}
		for id := range ids {
			if !have[id] {
				t.Errorf("%s: no message %s", code, id)
			}
		}
	}
}

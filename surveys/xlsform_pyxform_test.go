package surveys_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// The converter KoboToolbox and ODK use must accept what Stemme exports:
// pyxform 4.5.0 in ../shared/tools beside the repository (Debian's
// python3-openpyxl, python3-defusedxml, python3-lark and python3-xlrd; .ci/run
// installs them). Every exported XForm must hold each question, choice
// list, language and condition of the instrument.

// xls2xform returns the converter, skipping the test loudly when it or
// Python's libraries are missing, unless CI is set: then it fails.
func xls2xform(t *testing.T) string {
	t.Helper()
	missing := func(why string) string {
		if os.Getenv("CI") != "" {
			t.Fatalf("pyxform is needed in CI: %s", why)
		}
		t.Skipf("SKIPPED: pyxform is not available (%s); see .ci/run for what to install", why)
		return ""
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tool := filepath.Join(root, "..", "shared", "tools", "xls2xform")
	if _, err := os.Stat(tool); err != nil {
		// A git worktree lives elsewhere; the tools sit beside the main checkout.
		if out, gerr := exec.Command("git", "-C", root, "rev-parse", "--path-format=absolute", "--git-common-dir").Output(); gerr == nil {
			tool = filepath.Join(filepath.Dir(filepath.Dir(strings.TrimSpace(string(out)))), "shared", "tools", "xls2xform")
		}
	}
	if _, err := os.Stat(tool); err != nil {
		return missing("no " + tool)
	}
	if out, err := exec.Command("/usr/bin/python3", "-c", "import openpyxl, defusedxml, lark, xlrd").CombinedOutput(); err != nil {
		return missing(strings.TrimSpace(string(out)))
	}
	return tool
}

// convert runs pyxform on an XLSForm and parses the XForm it writes.
func convert(t *testing.T, tool, file string) *xform {
	t.Helper()
	out := filepath.Join(t.TempDir(), "form.xml")
	msg, err := exec.Command(tool, file, out).CombinedOutput()
	if err != nil || !bytes.Contains(msg, []byte("Conversion complete")) {
		t.Fatalf("pyxform refused %s: %v\n%s", filepath.Base(file), err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	x, err := parseXForm(data)
	if err != nil {
		t.Fatalf("the XForm of %s does not parse: %v", filepath.Base(file), err)
	}
	x.warnings = strings.TrimSpace(strings.ReplaceAll(string(msg), "Conversion complete!", ""))
	return x
}

// xform is what the checks need from an XForm.
type xform struct {
	binds     map[string]map[string]string // last path element → attributes
	instances map[string]int               // secondary instance id → items
	langs     map[string]bool
	itemsets  []string
	warnings  string
}

func parseXForm(data []byte) (*xform, error) {
	x := &xform{binds: map[string]map[string]string{}, instances: map[string]int{}, langs: map[string]bool{}}
	dec := xml.NewDecoder(bytes.NewReader(data))
	instance := ""
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				return x, nil
			}
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
			}
			switch el.Name.Local {
			case "bind":
				path := attrs["nodeset"]
				x.binds[path[strings.LastIndex(path, "/")+1:]] = attrs
			case "translation":
				x.langs[attrs["lang"]] = true
			case "instance":
				if attrs["id"] != "" {
					instance, depth = attrs["id"], 0
				}
			case "item":
				if instance != "" {
					x.instances[instance]++
				}
			case "itemset":
				x.itemsets = append(x.itemsets, attrs["nodeset"])
			}
			depth++
		case xml.EndElement:
			if el.Name.Local == "instance" {
				instance = ""
			}
		}
	}
}

// checkXForm requires every question, choice list, language and
// condition of in in the XForm.
func checkXForm(t *testing.T, in *surveys.Instrument, x *xform) {
	t.Helper()
	if len(in.LanguageCodes()) > 1 {
		for _, code := range in.LanguageCodes() {
			if want := surveys.Language(code).Name + " (" + code + ")"; !x.langs[want] && !x.langs[in.LanguageInfo(code).Name+" ("+code+")"] {
				t.Errorf("no translation %q in %v", want, x.langs)
			}
		}
	}
	filters := 0
	for _, q := range in.Questions() {
		b, ok := x.binds[q.Key]
		if !ok {
			t.Errorf("question %s is missing", q.Key)
			continue
		}
		for _, c := range []struct{ attr, src string }{{"relevant", q.ShowIf}, {"constraint", q.Constraint}, {"required", q.RequiredIf}} {
			if c.src == "" {
				continue
			}
			cond, err := surveys.ParseConstraint(c.src) // the widest of the three
			if b[c.attr] == "" {
				t.Errorf("%s: no %s (want %s)", q.Key, c.attr, c.src)
			} else if err == nil {
				for _, ref := range cond.Refs() {
					if ref != q.Key && !strings.Contains(b[c.attr], "/"+ref) {
						t.Errorf("%s: %s %q does not read %s", q.Key, c.attr, b[c.attr], ref)
					}
				}
			}
		}
		if q.Required && b["required"] != "true()" {
			t.Errorf("%s: required %q", q.Key, b["required"])
		}
		if q.ChoiceFilter != "" {
			filters++
		}
		if l, ok := in.List(q.List); ok && q.List != "" && x.instances[q.List] != len(l.Choices) {
			t.Errorf("list %s: %d items in the XForm, %d choices", q.List, x.instances[q.List], len(l.Choices))
		}
		if q.Type == surveys.TypeYesNo && x.instances["yesno"] != 2 {
			t.Errorf("%s: the yes/no list has %d items", q.Key, x.instances["yesno"])
		}
	}
	filtered := 0
	for _, s := range x.itemsets {
		if strings.Contains(s, "[") {
			filtered++
		}
	}
	if filtered != filters {
		t.Errorf("%d filtered itemsets, want %d: %v", filtered, filters, x.itemsets)
	}
}

func exportTo(t *testing.T, in *surveys.Instrument) string {
	t.Helper()
	var b bytes.Buffer
	if err := surveys.WriteXLSForm(&b, in); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), in.Key+".xlsx")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPyxformConvertsTheBuiltInInstruments(t *testing.T) {
	tool := xls2xform(t)
	ins, err := builtin.Instruments()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		t.Run(in.Key, func(t *testing.T) {
			x := convert(t, tool, exportTo(t, in))
			checkXForm(t, in, x)
			t.Logf("pyxform on %s: %d questions, %d lists, %d languages; warnings: %q", in.Key, in.QuestionCount(), len(x.instances), len(x.langs), x.warnings)
		})
	}
}

// TestPyxformConvertsTheTestForms runs pyxform on each test form as its
// author wrote it (so the forms are ones ODK accepts), and on Stemme's
// export of each form Stemme imports.
func TestPyxformConvertsTheTestForms(t *testing.T) {
	tool := xls2xform(t)
	for _, f := range testForms {
		t.Run(f.file, func(t *testing.T) {
			path := filepath.Join(formsDir, f.file)
			if w := convert(t, tool, path).warnings; w != "" {
				t.Logf("pyxform on %s as written: %s", f.file, w)
			}
			if len(f.refused) > 0 {
				return
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			imp, err := surveys.ImportXLSForm(bytes.NewReader(data), f.file)
			if err != nil {
				t.Fatal(err)
			}
			x := convert(t, tool, exportTo(t, imp.Instrument))
			checkXForm(t, imp.Instrument, x)
			t.Logf("pyxform on Stemme's export of %s: warnings %q", f.file, x.warnings)
		})
	}
}

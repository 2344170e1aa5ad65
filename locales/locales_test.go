package locales

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// publicPrefixes are the key prefixes of the pages relatives see. Every
// language must have these; staff keys (login., admin., staff.) need only
// be in nb, nn and en.
var publicPrefixes = []string{"app.", "nav.", "footer.", "home.", "survey.", "thanks.", "error.", "saved.", "resume.", "withdraw.", "privacy.", "a11y.", "invite.", "poster.", "feedback.", "results_public.", "delta."}

func isPublic(key string) bool {
	for _, p := range publicPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// pluralForms are the go-i18n keys of a message object that hold text.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// rawMessages reads one language's merged messages without the "_" meta keys.
func rawMessages(t *testing.T, code string) map[string]any {
	t.Helper()
	m, err := messages(code)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// texts returns the text of a message: the string itself, or the plural
// forms of a message object.
func texts(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for _, f := range pluralForms {
			if s, ok := v[f].(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// placeholderRE matches the field a template action starts with: {{.Min}},
// {{- .Min -}}, {{.Count | f}}.
var placeholderRE = regexp.MustCompile(`\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)`)

func placeholders(v any) []string {
	seen := map[string]bool{}
	for _, s := range texts(v) {
		for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
			seen[m[1]] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func keySet(t *testing.T, code string) map[string]bool {
	t.Helper()
	keys, err := Keys(code)
	if err != nil {
		t.Fatal(err)
	}
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	return set
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestLoad(t *testing.T) {
	want := []struct {
		code string
		rtl  bool
	}{
		{"nb", false},
		{"nn", false},
		{"en", false},
		{"pl", false},
		{"ar", true},
		{"so", false},
		{"ti", false},
		{"uk", false},
		{"ur", true},
	}
	for _, w := range want {
		if _, err := fs.Stat(files, w.code+".json"); err != nil {
			t.Errorf("%s.json is missing: %v", w.code, err)
		}
	}
	bundle, langs, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if bundle == nil {
		t.Fatal("Load returned a nil bundle")
	}
	if len(langs) != len(want) {
		t.Fatalf("Load returned %d languages, want %d: %v", len(langs), len(want), langs)
	}
	for i, w := range want {
		got := langs[i]
		if got.Code != w.code || got.RTL != w.rtl || got.Name == "" {
			t.Errorf("language %d = %+v, want code %q, rtl %v and a name", i, got, w.code, w.rtl)
		}
	}
	if !slices.Equal(langs, All) {
		t.Errorf("Load returned %v, want All in picker order %v", langs, All)
	}
}

func TestKeys(t *testing.T) {
	nb := keySet(t, Default)
	tests := []struct {
		code string
		// staff is true for languages that must also have the staff keys.
		staff bool
	}{
		{"nn", true},
		{"en", true},
		{"pl", false},
		{"ar", false},
		{"so", false},
		{"ti", false},
		{"uk", false},
		{"ur", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			have := keySet(t, tt.code)
			missing := map[string]bool{}
			for k := range nb {
				if (tt.staff || isPublic(k)) && !have[k] {
					missing[k] = true
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s.json lacks %d key(s) of nb.json: %s", tt.code, len(missing), strings.Join(sorted(missing), ", "))
			}
			extra := map[string]bool{}
			for k := range have {
				if !nb[k] {
					extra[k] = true
				}
			}
			if len(extra) > 0 {
				t.Errorf("%s.json has %d key(s) nb.json lacks: %s", tt.code, len(extra), strings.Join(sorted(extra), ", "))
			}
			for k, v := range rawMessages(t, tt.code) {
				ts := texts(v)
				if len(ts) == 0 {
					t.Errorf("%s.json: %s has no text", tt.code, k)
				}
				for _, s := range ts {
					if strings.TrimSpace(s) == "" {
						t.Errorf("%s.json: %s is empty", tt.code, k)
					}
				}
			}
		})
	}
}

func TestPlaceholders(t *testing.T) {
	bundle, _, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	nb := rawMessages(t, Default)
	for _, l := range All {
		if l.Code == Default {
			continue
		}
		t.Run(l.Code, func(t *testing.T) {
			tr := rawMessages(t, l.Code)
			loc := i18n.NewLocalizer(bundle, l.Code)
			for _, key := range sorted(toSet(tr)) {
				src, ok := nb[key]
				if !ok {
					continue // reported by TestKeys
				}
				want := placeholders(src)
				got := placeholders(tr[key])
				for _, p := range want {
					if !slices.Contains(got, p) {
						t.Errorf("%s: %s lacks {{.%s}}", key, l.Code, p)
					}
				}
				for _, p := range got {
					if !slices.Contains(want, p) {
						t.Errorf("%s: %s has {{.%s}}, which nb does not pass", key, l.Code, p)
					}
				}
				// The translation must render as a go-i18n template.
				data := map[string]any{}
				for _, p := range want {
					data[p] = 7
				}
				cfg := &i18n.LocalizeConfig{MessageID: key, TemplateData: data}
				if _, plural := src.(map[string]any); plural {
					cfg.PluralCount = 7
				}
				out, err := loc.Localize(cfg)
				if err != nil {
					t.Errorf("%s: %s does not render: %v", key, l.Code, err)
				} else if strings.Contains(out, "<no value>") {
					t.Errorf("%s: %s renders %q", key, l.Code, out)
				}
			}
		})
	}
}

func toSet(m map[string]any) map[string]bool {
	set := make(map[string]bool, len(m))
	for k := range m {
		set[k] = true
	}
	return set
}

// Package locales holds the user-interface messages, one go-i18n JSON file
// per language with flat dotted keys, embedded in the binary.
package locales

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.json
var files embed.FS

// Default is the language used when nothing else matches.
const Default = "nb"

// Language describes one shipped UI language.
type Language struct {
	Code string
	// Name is the language's name in itself, as the picker shows it.
	Name string
	RTL  bool
}

// All lists the UI languages in picker order; only those with a message file are served.
var All = []Language{
	{"nb", "Norsk bokmål", false},
	{"nn", "Norsk nynorsk", false},
	{"en", "English", false},
	{"pl", "Polski", false},
	{"ar", "العربية", true},
	{"so", "Soomaali", false},
	{"ti", "ትግርኛ", false},
	{"uk", "Українська", false},
	{"ur", "اردو", true},
}

// Load parses every embedded message file into a bundle and returns the
// languages that have one, in picker order. A language's messages may be
// split over several files: "nb.json" and any "<domain>.nb.json", so that
// each domain keeps its own texts.
func Load() (*i18n.Bundle, []Language, error) {
	bundle := i18n.NewBundle(language.MustParse(Default))
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	var have []Language
	for _, l := range All {
		names, err := fileNames(l.Code)
		if err != nil {
			return nil, nil, err
		}
		if len(names) == 0 {
			continue
		}
		if _, err := messages(l.Code); err != nil {
			return nil, nil, err
		}
		for _, name := range names {
			data, err := fs.ReadFile(files, name)
			if err != nil {
				return nil, nil, fmt.Errorf("locales: %w", err)
			}
			if _, err := bundle.ParseMessageFileBytes(data, name); err != nil {
				return nil, nil, fmt.Errorf("locales: %s: %w", name, err)
			}
		}
		have = append(have, l)
	}
	if len(have) == 0 || have[0].Code != Default {
		return nil, nil, fmt.Errorf("locales: the default language %s has no message file", Default)
	}
	return bundle, have, nil
}

// fileNames lists the message files of one language: "<code>.json" and
// "<domain>.<code>.json", sorted.
func fileNames(code string) ([]string, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if n == code+".json" || strings.HasSuffix(n, "."+code+".json") {
			names = append(names, n)
		}
	}
	return names, nil
}

// messages merges one language's files into one map without the "_" meta
// keys. A key defined in two files is an error: go-i18n would silently keep
// one of them.
func messages(code string) (map[string]any, error) {
	names, err := fileNames(code)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("locales: no message file for %s", code)
	}
	all := map[string]any{}
	from := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, fmt.Errorf("locales: %w", err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		for k, v := range m {
			if strings.HasPrefix(k, "_") {
				continue
			}
			if other, dup := from[k]; dup {
				return nil, fmt.Errorf("locales: %q is in both %s and %s", k, other, name)
			}
			from[k] = name
			all[k] = v
		}
	}
	return all, nil
}

// Keys returns the message ids of one language, for completeness checks.
func Keys(code string) ([]string, error) {
	m, err := messages(code)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys, nil
}

// Localize translates a message id with loc; args are name/value pairs
// ("Count", 3, "Unit", "Solbakken"), and "Count" also picks the plural
// form. A message that cannot be found comes back as its id, so a missing
// translation shows where it is missing instead of an empty string.
func Localize(loc *i18n.Localizer, id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				data[k] = args[i+1]
			}
		}
		cfg.TemplateData = data
		if n, ok := data["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	s, err := loc.Localize(cfg)
	if err != nil && s == "" {
		return id
	}
	return s
}

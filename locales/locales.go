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
// languages that have one, in picker order.
func Load() (*i18n.Bundle, []Language, error) {
	bundle := i18n.NewBundle(language.MustParse(Default))
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	var have []Language
	for _, l := range All {
		name := l.Code + ".json"
		data, err := fs.ReadFile(files, name)
		if err != nil {
			continue
		}
		if _, err := bundle.ParseMessageFileBytes(data, name); err != nil {
			return nil, nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		have = append(have, l)
	}
	if len(have) == 0 || have[0].Code != Default {
		return nil, nil, fmt.Errorf("locales: the default language %s has no message file", Default)
	}
	return bundle, have, nil
}

// Keys returns the message ids of one language's file, for completeness checks.
func Keys(code string) ([]string, error) {
	data, err := fs.ReadFile(files, code+".json")
	if err != nil {
		return nil, fmt.Errorf("locales: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("locales: %s.json: %w", code, err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if !strings.HasPrefix(k, "_") {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

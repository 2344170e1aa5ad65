// Package builtin holds the instruments Stemme ships with, as embedded JSON:
// the relatives' survey (parorende) and its youth variant (parorende_ung).
// Every language is marked draft until a person has reviewed it.
package builtin

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/stemme/stemme/surveys"
)

//go:embed *.json
var files embed.FS

// Instruments parses every embedded instrument, marks it published and
// returns them sorted by key.
func Instruments() ([]*surveys.Instrument, error) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, fmt.Errorf("builtin: %w", err)
	}
	ins := make([]*surveys.Instrument, 0, len(names))
	for _, name := range names {
		in, err := parse(name)
		if err != nil {
			return nil, fmt.Errorf("builtin: %s: %w", name, err)
		}
		ins = append(ins, in)
	}
	slices.SortFunc(ins, func(a, b *surveys.Instrument) int { return strings.Compare(a.Key, b.Key) })
	return ins, nil
}

// Instrument returns the built-in instrument with the key.
func Instrument(key string) (*surveys.Instrument, error) {
	ins, err := Instruments()
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		if in.Key == key {
			return in, nil
		}
	}
	return nil, fmt.Errorf("builtin: no instrument %q", key)
}

func parse(name string) (*surveys.Instrument, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var in surveys.Instrument
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the instrument")
	}
	in.ID = surveys.InstrumentID(in.Key, in.Version)
	in.Status = surveys.InstrumentPublished
	return &in, nil
}

package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// FuzzParseConfig: any environment value is either accepted as valid or
// refused with an error naming its variable; nothing panics.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{"localhost:8080", ":0", "[::1]:80", "x", "http://a", "mongodb://h", "99999", "", "\x00"} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, addr, base, db string) {
		env := map[string]string{"STEMME_ADDR": addr, "STEMME_BASE_URL": base, "STEMME_DB": db}
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		cfg, err := parseConfig(fs, nil, func(k string) string { return env[k] })
		if err != nil {
			if !strings.HasPrefix(err.Error(), "STEMME_") {
				t.Fatalf("error %q does not name the variable", err)
			}
			return
		}
		if cfg.BaseURL == "" || cfg.Database == "" || cfg.Addr == "" {
			t.Fatalf("accepted config with an empty field: %+v", cfg)
		}
	})
}

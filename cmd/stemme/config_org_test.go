package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestOrgContactSettings: the accessibility statement's contact is a bare
// e-mail address and a phone number as people write it; anything else
// stops the start with the setting named.
func TestOrgContactSettings(t *testing.T) {
	for _, tt := range []struct {
		name         string
		env          map[string]string
		args         []string
		want         string // error substring; "" for accepted
		email, phone string
	}{
		{"none", nil, nil, "", "", ""},
		{"both", map[string]string{"STEMME_ORG_CONTACT_EMAIL": " postmottak@kommune.no ", "STEMME_ORG_CONTACT_PHONE": "+47 12 34 56 78"}, nil, "",
			"postmottak@kommune.no", "+47 12 34 56 78"},
		{"phone with brackets", map[string]string{"STEMME_ORG_CONTACT_PHONE": "(+47) 123-45-678"}, nil, "", "", "(+47) 123-45-678"},
		{"display name", map[string]string{"STEMME_ORG_CONTACT_EMAIL": "Kommunen <post@kommune.no>"}, nil, "STEMME_ORG_CONTACT_EMAIL: ", "", ""},
		{"two addresses", nil, []string{"--org-contact-email", "a@kommune.no, b@kommune.no"}, "--org-contact-email: ", "", ""},
		{"not an address", map[string]string{"STEMME_ORG_CONTACT_EMAIL": "postmottak"}, nil, "STEMME_ORG_CONTACT_EMAIL: ", "", ""},
		{"letters in the phone", map[string]string{"STEMME_ORG_CONTACT_PHONE": "ring oss"}, nil, "STEMME_ORG_CONTACT_PHONE: ", "", ""},
		{"phone too short", nil, []string{"--org-contact-phone", "113"}, "--org-contact-phone: ", "", ""},
		{"phone on two lines", map[string]string{"STEMME_ORG_CONTACT_PHONE": "12 34\n56 78"}, nil, "STEMME_ORG_CONTACT_PHONE: ", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg, err := parseConfig(fs, tt.args, func(k string) string { return tt.env[k] })
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.OrgContactEmail != tt.email || cfg.OrgContactPhone != tt.phone {
				t.Fatalf("contact %q, %q; want %q, %q", cfg.OrgContactEmail, cfg.OrgContactPhone, tt.email, tt.phone)
			}
		})
	}
}

package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/stemme/stemme/outbox"
)

func TestMessagingSettings(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		want string // error substring; "" for accepted
		smtp *outbox.SMTPConfig
	}{
		{"none", nil, nil, "", nil},
		{"url", map[string]string{"STEMME_SMTP_URL": "smtp://stemme:hemmelig@mail.kommune.no?from=stemme@kommune.no"}, nil, "",
			&outbox.SMTPConfig{Host: "mail.kommune.no", Port: 587, Username: "stemme", Password: "hemmelig", From: "stemme@kommune.no", TLS: "starttls", Domain: "localhost"}},
		{"separate", map[string]string{"STEMME_SMTP_HOST": "mail.kommune.no", "STEMME_SMTP_FROM": "stemme@kommune.no", "STEMME_SMTP_TLS": "tls"}, nil, "",
			&outbox.SMTPConfig{Host: "mail.kommune.no", Port: 465, From: "stemme@kommune.no", TLS: "tls", Domain: "localhost"}},
		{"both", map[string]string{"STEMME_SMTP_URL": "smtp://mail.kommune.no?from=s@kommune.no", "STEMME_SMTP_HOST": "x"}, nil, "STEMME_SMTP_URL: set either", nil},
		{"no sender", map[string]string{"STEMME_SMTP_HOST": "mail.kommune.no"}, nil, "STEMME_SMTP_FROM: needs a sender", nil},
		{"bad port", map[string]string{"STEMME_SMTP_HOST": "mail.kommune.no", "STEMME_SMTP_PORT": "post"}, nil, "STEMME_SMTP_PORT:", nil},
		{"flag named", nil, []string{"--smtp-url", "ftp://x"}, "--smtp-url: must start with smtp://", nil},
		{"plain password elsewhere", map[string]string{"STEMME_SMTP_URL": "smtp://u:hemmelig@mail.kommune.no:25?from=s@kommune.no&tls=none"}, nil, "STEMME_SMTP_URL: would send the password unencrypted", nil},
		{"sms without token", map[string]string{"STEMME_SMS_URL": "https://sms.example.no/send"}, nil, "STEMME_SMS_TOKEN: is needed", nil},
		{"sms over http", map[string]string{"STEMME_SMS_URL": "http://sms.example.no/send", "STEMME_SMS_TOKEN": "t"}, nil, "STEMME_SMS_URL: must be https://", nil},
		{"sms", map[string]string{"STEMME_SMS_URL": "https://sms.example.no/send", "STEMME_SMS_TOKEN": "t"}, nil, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg, err := parseConfig(fs, tt.args, func(k string) string { return tt.env[k] })
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "hemmelig") {
					t.Fatalf("error %v, want %q (and no password)", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (tt.smtp == nil) != (cfg.smtp == nil) || (tt.smtp != nil && *tt.smtp != *cfg.smtp) {
				t.Fatalf("smtp %+v, want %+v", cfg.smtp, tt.smtp)
			}
			ts, err := cfg.transports()
			if err != nil || (tt.smtp != nil) != (ts[outbox.Email] != nil) {
				t.Fatalf("transports %v, %v", ts, err)
			}
		})
	}
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/staff"
)

// config is every setting, read from the environment and overridden by flags.
type config struct {
	Addr          string
	DataDir       string
	MongoURI      string
	Database      string
	BaseURL       string
	Secret        string
	AdminEmail    string
	AdminPassword string
	// TrustedProxies is a comma-separated list of proxy addresses or CIDRs.
	TrustedProxies string
	SessionIdle    string
	SessionMax     string
	Demo           bool
	sessions       staff.Lifetimes
	// ContactRetention is how long contact data is kept after a case is
	// closed, in days ("90" or "90d"); retention is it parsed.
	ContactRetention string
	retention        time.Duration
	// MetricsToken lets a scraper read /metrics on the public listener.
	MetricsToken string
	// AdminAddr is the loopback address of the admin listener (/metrics
	// without a token, /healthz, /readyz); empty means none.
	AdminAddr string
	// Require2FA ("true"/"false") makes a second factor mandatory for
	// admins and advisors; require2FA is it parsed.
	Require2FA string
	require2FA bool
	// Outgoing mail: STEMME_SMTP_URL, or the separate settings; smtp is
	// the result, nil when e-mail is not set up.
	SMTPURL, SMTPHost, SMTPPort, SMTPUser, SMTPPassword, SMTPFrom, SMTPTLS string
	smtp                                                                   *outbox.SMTPConfig
	// SMS through an HTTP gateway; both or neither.
	SMSURL, SMSToken string
	// OrgName is the municipality's name, shown on every page.
	OrgName string
	// OrgContactEmail and OrgContactPhone are where relatives report a
	// problem with the pages, on the accessibility statement.
	OrgContactEmail, OrgContactPhone string
}

// setting ties a config field to its environment variable and flag, so an
// error can name whichever the operator actually used.
type setting struct {
	env, flag, def, usage string
	dst                   *string
}

func (c *config) settings() []setting {
	return []setting{
		{"STEMME_ADDR", "addr", "localhost:8080", "address to listen on (host:port)", &c.Addr},
		{"STEMME_DATA_DIR", "data", "./data", "directory for the embedded store, lock file and generated secret", &c.DataDir},
		{"MONGODB_URI", "mongodb-uri", "", "MongoDB server to use instead of the embedded store", &c.MongoURI},
		{"STEMME_DB", "db", "stemme", "database name", &c.Database},
		{"STEMME_BASE_URL", "base-url", "", "public URL of this server (default http://ADDR)", &c.BaseURL},
		{"STEMME_SECRET", "secret", "", "secret for signing (at least 32 characters; generated into the data directory when unset)", &c.Secret},
		{"STEMME_ADMIN_EMAIL", "admin-email", "", "e-mail of the first admin, used on first start", &c.AdminEmail},
		{"STEMME_ADMIN_PASSWORD", "admin-password", "", "password of the first admin (at least 12 characters), used on first start", &c.AdminPassword},
		{"STEMME_SESSION_IDLE", "session-idle", "30m", "staff sessions end after this long unused", &c.SessionIdle},
		{"STEMME_SESSION_MAX", "session-max", "12h", "staff sessions end this long after login, however busy", &c.SessionMax},
		{"STEMME_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed", &c.TrustedProxies},
		{"STEMME_METRICS_TOKEN", "metrics-token", "", "bearer token for /metrics on the public listener (without it, use STEMME_ADMIN_ADDR)", &c.MetricsToken},
		{"STEMME_ADMIN_ADDR", "admin-addr", "", "loopback address (127.0.0.1:PORT or [::1]:PORT) of a listener for /metrics without a token, /healthz and /readyz", &c.AdminAddr},
		{"STEMME_REQUIRE_2FA", "require-2fa", "false", "true makes a second factor (authenticator app) mandatory for admins and advisors", &c.Require2FA},
		{"STEMME_CONTACT_RETENTION", "contact-retention", "90d", "days contact data is kept after a follow-up case is closed (for example 90d)", &c.ContactRetention},
		{"STEMME_SMTP_URL", "smtp-url", "", "mail server as smtp://user:password@host:587?from=stemme@kommune.no (smtps:// for TLS on 465; &tls=none only for a local relay)", &c.SMTPURL},
		{"STEMME_SMTP_HOST", "smtp-host", "", "mail server host, instead of STEMME_SMTP_URL", &c.SMTPHost},
		{"STEMME_SMTP_PORT", "smtp-port", "", "mail server port (default 587, 465 with STEMME_SMTP_TLS=tls)", &c.SMTPPort},
		{"STEMME_SMTP_USER", "smtp-user", "", "mail server user name", &c.SMTPUser},
		{"STEMME_SMTP_PASSWORD", "smtp-password", "", "mail server password", &c.SMTPPassword},
		{"STEMME_SMTP_FROM", "smtp-from", "", "sender address of Stemme's e-mail", &c.SMTPFrom},
		{"STEMME_SMTP_TLS", "smtp-tls", "", "starttls (default), tls, or none (only for a relay on this machine)", &c.SMTPTLS},
		{"STEMME_SMS_URL", "sms-url", "", "SMS gateway URL that takes a JSON POST {to, text} (https)", &c.SMSURL},
		{"STEMME_SMS_TOKEN", "sms-token", "", "bearer token of the SMS gateway", &c.SMSToken},
		{"STEMME_ORG_NAME", "org-name", "", "the municipality's name, shown on every page beside its logo (for example Eksempel kommune)", &c.OrgName},
		{"STEMME_ORG_CONTACT_EMAIL", "org-contact-email", "", "e-mail address where relatives report problems with the pages, shown on the accessibility statement (for example postmottak@kommune.no)", &c.OrgContactEmail},
		{"STEMME_ORG_CONTACT_PHONE", "org-contact-phone", "", "phone number for the same, shown on the accessibility statement (for example +47 12 34 56 78)", &c.OrgContactPhone},
	}
}

// parseConfig reads the environment, then the flags of fs.
func parseConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (config, error) {
	var c config
	sets := c.settings()
	for _, s := range sets {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.dst, s.flag, def, s.usage+" ["+s.env+"]")
	}
	demo := true
	if v := getenv("STEMME_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("STEMME_DEMO: %q is not true or false", v)
		}
		demo = b
	}
	fs.BoolVar(&c.Demo, "demo", demo, "seed the demo municipality into an empty database [STEMME_DEMO]")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	used := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { used[f.Name] = true })
	name := func(flagName string) string {
		for _, s := range sets {
			if s.flag == flagName {
				if used[flagName] {
					return "--" + flagName
				}
				return s.env
			}
		}
		return flagName
	}
	if err := c.validate(name); err != nil {
		return c, err
	}
	return c, nil
}

var dbNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,63}$`)

func (c *config) validate(name func(string) string) error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || !validPort(port) {
		return fmt.Errorf("%s: %q is not host:port (for example localhost:8080)", name("addr"), c.Addr)
	}
	if c.DataDir == "" {
		return fmt.Errorf("%s: must not be empty", name("data"))
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		return fmt.Errorf("%s: must start with mongodb:// or mongodb+srv://", name("mongodb-uri"))
	}
	if !dbNamePattern.MatchString(c.Database) {
		return fmt.Errorf("%s: %q is not a database name (letters, digits, - and _, at most 63)", name("db"), c.Database)
	}
	if c.BaseURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s: %q is not an http(s) URL such as https://stemme.kommune.no", name("base-url"), c.BaseURL)
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	if c.Secret != "" && len(c.Secret) < 32 {
		return fmt.Errorf("%s: must have at least 32 characters (got %d)", name("secret"), len(c.Secret))
	}
	if c.AdminEmail != "" && !strings.Contains(c.AdminEmail, "@") {
		return fmt.Errorf("%s: %q is not an e-mail address", name("admin-email"), c.AdminEmail)
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 12 {
		return fmt.Errorf("%s: must have at least 12 characters", name("admin-password"))
	}
	idle, err := time.ParseDuration(c.SessionIdle)
	if err != nil || idle < time.Minute {
		return fmt.Errorf("%s: %q is not a duration of at least 1m (for example 30m)", name("session-idle"), c.SessionIdle)
	}
	max, err := time.ParseDuration(c.SessionMax)
	if err != nil || max < idle {
		return fmt.Errorf("%s: %q is not a duration at least as long as the idle limit (for example 12h)", name("session-max"), c.SessionMax)
	}
	c.sessions = staff.Lifetimes{Idle: idle, Absolute: max}
	for _, p := range c.proxies() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("%s: %q is not an IP address or CIDR", name("trusted-proxies"), p)
			}
		}
	}
	days, err := strconv.Atoi(strings.TrimSuffix(c.ContactRetention, "d"))
	if err != nil || days < 1 || days > 3650 {
		return fmt.Errorf("%s: %q is not a number of days from 1 to 3650 (for example 90d)", name("contact-retention"), c.ContactRetention)
	}
	c.retention = time.Duration(days) * 24 * time.Hour
	if c.AdminPassword != "" && c.AdminEmail == "" {
		return fmt.Errorf("%s: is set but STEMME_ADMIN_EMAIL is not", name("admin-password"))
	}
	if err := c.validateAdminAddr(); err != nil {
		return fmt.Errorf("%s: %w", name("admin-addr"), err)
	}
	if c.require2FA, err = strconv.ParseBool(c.Require2FA); err != nil {
		return fmt.Errorf("%s: %q is not true or false", name("require-2fa"), c.Require2FA)
	}
	if err := c.validateOrg(name); err != nil {
		return err
	}
	return c.validateMessaging(name)
}

// validateAdminAddr allows only a loopback address: the admin listener
// serves /metrics without a token.
func (c *config) validateAdminAddr() error {
	if c.AdminAddr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(c.AdminAddr)
	if err != nil || !validPort(port) {
		return fmt.Errorf("%q is not host:port (for example 127.0.0.1:9090)", c.AdminAddr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%q is not a loopback address; the admin listener serves /metrics without a token, "+
			"so it must be 127.0.0.1:PORT or [::1]:PORT", c.AdminAddr)
	}
	if c.AdminAddr == c.Addr && port != "0" {
		return fmt.Errorf("%q is also STEMME_ADDR; the admin listener needs an address of its own", c.AdminAddr)
	}
	return nil
}

// validateMessaging reads the mail and SMS settings. Errors name the
// setting and never repeat a password or token.
func (c *config) validateMessaging(name func(string) string) error {
	separate := c.SMTPHost != "" || c.SMTPPort != "" || c.SMTPUser != "" || c.SMTPPassword != "" || c.SMTPFrom != "" || c.SMTPTLS != ""
	switch {
	case c.SMTPURL != "" && separate:
		return fmt.Errorf("%s: set either it or the separate STEMME_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM and _TLS, not both", name("smtp-url"))
	case c.SMTPURL != "":
		sc, err := outbox.ParseSMTPURL(c.SMTPURL)
		if err != nil {
			return fmt.Errorf("%s: %v", name("smtp-url"), err)
		}
		c.smtp = &sc
	case separate:
		sc := outbox.SMTPConfig{Host: c.SMTPHost, Username: c.SMTPUser, Password: c.SMTPPassword, From: c.SMTPFrom, TLS: c.SMTPTLS}
		if c.SMTPPort != "" {
			p, err := strconv.Atoi(c.SMTPPort)
			if err != nil {
				return fmt.Errorf("%s: %q is not a port number", name("smtp-port"), c.SMTPPort)
			}
			sc.Port = p
		}
		if err := sc.Check(); err != nil {
			field := "smtp-host"
			switch {
			case strings.Contains(err.Error(), "sender"):
				field = "smtp-from"
			case strings.Contains(err.Error(), "TLS") || strings.Contains(err.Error(), "unencrypted"):
				field = "smtp-tls"
			case strings.Contains(err.Error(), "port"):
				field = "smtp-port"
			}
			return fmt.Errorf("%s: %v", name(field), err)
		}
		c.smtp = &sc
	}
	if c.smtp != nil {
		if u, err := url.Parse(c.BaseURL); err == nil {
			c.smtp.Domain = u.Hostname()
		}
	}
	switch {
	case c.SMSURL != "" && c.SMSToken == "":
		return fmt.Errorf("%s: is needed with STEMME_SMS_URL", name("sms-token"))
	case c.SMSURL == "" && c.SMSToken != "":
		return fmt.Errorf("%s: is needed with STEMME_SMS_TOKEN", name("sms-url"))
	case c.SMSURL != "":
		if err := outbox.CheckSMSURL(c.SMSURL); err != nil {
			return fmt.Errorf("%s: %v", name("sms-url"), err)
		}
	}
	return nil
}

// transports returns the outbox transports the settings configure.
func (c *config) transports() (map[string]outbox.Transport, error) {
	ts := map[string]outbox.Transport{}
	if c.smtp != nil {
		s, err := outbox.NewSMTP(*c.smtp)
		if err != nil {
			return nil, err
		}
		ts[outbox.Email] = s
	}
	if c.SMSURL != "" {
		g, err := outbox.NewSMSGateway(c.SMSURL, c.SMSToken)
		if err != nil {
			return nil, err
		}
		ts[outbox.SMS] = g
	}
	return ts, nil
}

// proxies splits the trusted proxy list.
func (c *config) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

// secret returns STEMME_SECRET, or the one kept in the data directory,
// generating it on first start.
func (c *config) secret() ([]byte, error) {
	if c.Secret != "" {
		return []byte(c.Secret), nil
	}
	path := filepath.Join(c.DataDir, "secret")
	if b, err := os.ReadFile(path); err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s holds a secret shorter than 32 characters; remove it to generate a new one", path)
		}
		return []byte(s), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s cannot be created: %w", c.DataDir, errors.Unwrap(err))
	}
	s := random.Hex(32)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, errors.Unwrap(err))
	}
	return []byte(s), nil
}

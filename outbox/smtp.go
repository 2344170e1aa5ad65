package outbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/stemme/stemme/contact"
)

// TLS modes of the SMTP connection.
const (
	TLSStartTLS = "starttls" // STARTTLS required (the default, port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: only for a relay on this machine
)

// SMTPConfig is how to reach the mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// From is the sender address, such as stemme@kommune.no.
	From string
	TLS  string
	// Domain names the Message-ID's right-hand side (the public host).
	Domain string
	// Timeout bounds connecting and each command.
	Timeout time.Duration
}

// ParseSMTPURL reads smtp://user:pass@host:587?from=stemme@kommune.no&tls=starttls
// (smtps:// means implicit TLS on 465). Errors never repeat the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, errors.New("is not a URL such as smtp://user:password@mail.kommune.no:587?from=stemme@kommune.no")
	}
	c := SMTPConfig{Host: u.Hostname(), TLS: TLSStartTLS}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return SMTPConfig{}, fmt.Errorf("must start with smtp:// or smtps:// (got %q)", u.Scheme+"://")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return SMTPConfig{}, fmt.Errorf("port %q is not a number", p)
		}
		c.Port = n
	}
	q := u.Query()
	c.From = q.Get("from")
	if t := q.Get("tls"); t != "" {
		c.TLS = t
	}
	return c, c.Check()
}

// Check validates a configuration and fills in the default port.
func (c *SMTPConfig) Check() error {
	switch c.TLS {
	case "":
		c.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("TLS mode %q is not starttls, tls or none", c.TLS)
	}
	if c.Host == "" {
		return errors.New("names no mail server host")
	}
	if c.Port == 0 {
		c.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[c.TLS]
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("port %d is out of range", c.Port)
	}
	if !contact.ValidEmail(strings.ToLower(c.From)) {
		return errors.New("needs a sender address (from=stemme@kommune.no)")
	}
	if c.TLS == TLSNone && c.Password != "" && !loopback(c.Host) {
		return errors.New("would send the password unencrypted to another machine; use starttls or tls")
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SMTP sends e-mail through a mail server with go-mail, one connection per
// message so that each message's outcome is known on its own.
type SMTP struct {
	cfg SMTPConfig
}

// NewSMTP returns the e-mail transport.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.Domain == "" {
		cfg.Domain = "stemme.invalid"
	}
	return &SMTP{cfg: cfg}, nil
}

// Send delivers one message.
func (s *SMTP) Send(ctx context.Context, m Outgoing) error {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return &SendError{Permanent: true, Err: err}
	}
	if err := msg.To(m.To); err != nil {
		return &SendError{Permanent: true, Err: errors.New("the address is not valid")}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID + "@" + s.cfg.Domain)
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	client, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return &SendError{Err: err}
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil || msg.IsDelivered() {
		return nil
	}
	return classify(err)
}

// classify tells a failure before the server took the message (retry, or
// give up on a 5xx refusal) from one after the message's final "." was
// sent, when only the server knows whether it took it.
func classify(err error) error {
	var se *mail.SendError
	if !errors.As(err, &se) {
		// Connecting, TLS or logging in: the message was not handed over.
		return &SendError{Err: err}
	}
	code := se.ErrorCode()
	switch {
	case code >= 500:
		return &SendError{Permanent: true, Err: err}
	case se.Reason == mail.ErrSMTPDataClose && code == 0:
		return &SendError{Ambiguous: true, Err: err}
	}
	return &SendError{Err: err}
}

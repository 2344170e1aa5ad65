package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// SMSGateway sends SMS through an HTTP gateway, as Norwegian municipalities
// do: a JSON POST {"to": "+4791234567", "text": "…"} with the token as a
// bearer credential. Each request carries an Idempotency-Key (the outbox
// id), so a gateway that honours it never sends a retried message twice.
type SMSGateway struct {
	URL    string
	Token  string
	Client *http.Client
}

// CheckSMSURL validates a gateway URL: https, or http only on this machine.
func CheckSMSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("is not a URL such as https://sms.example.no/api/send")
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
		return errors.New("must be https:// (http:// only to this machine)")
	}
	return nil
}

// NewSMSGateway returns the SMS transport.
func NewSMSGateway(rawURL, token string) (*SMSGateway, error) {
	if err := CheckSMSURL(rawURL); err != nil {
		return nil, err
	}
	if token == "" {
		return nil, errors.New("needs a token")
	}
	return &SMSGateway{URL: rawURL, Token: token, Client: &http.Client{Timeout: 20 * time.Second}}, nil
}

// Send posts one message. 2xx is sent; 408, 425, 429 and 5xx are
// temporary; other 4xx mean the gateway refused it for good. A request
// that got no answer may have been sent: it is retried with the same key.
func (g *SMSGateway) Send(ctx context.Context, m Outgoing) error {
	body, _ := json.Marshal(map[string]string{"to": m.To, "text": m.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return &SendError{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.Token)
	req.Header.Set("Idempotency-Key", m.ID)
	resp, err := g.Client.Do(req)
	if err != nil {
		return &SendError{Ambiguous: true, Err: fmt.Errorf("SMS gateway: %w", errors.Unwrap(err))}
	}
	defer resp.Body.Close()
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusRequestTimeout || s == http.StatusTooEarly || s == http.StatusTooManyRequests || s >= 500:
		return &SendError{Err: fmt.Errorf("SMS gateway answered %d: %s", s, bytes.TrimSpace(detail))}
	default:
		return &SendError{Permanent: true, Err: fmt.Errorf("SMS gateway refused the message (%d): %s", s, bytes.TrimSpace(detail))}
	}
}

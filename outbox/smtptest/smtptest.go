// Package smtptest runs a real SMTP server (emersion/go-smtp) for tests,
// with a mailbox that outlives the server, so a test can stop a server and
// start another on the same address, as in an outage.
package smtptest

import (
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// Mail is one accepted message.
type Mail struct {
	MessageID, To, Subject, Body string
}

// Mailbox records what servers accepted.
type Mailbox struct {
	mu    sync.Mutex
	mails []Mail
	datas int
	// Hook runs inside DATA before a message is kept, with the number of
	// the DATA command (from 1); an error refuses the message.
	Hook func(c *smtp.Conn, m Mail, n int) error
}

// Count is how many times a Message-ID was accepted.
func (b *Mailbox) Count(messageID string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.mails {
		if m.MessageID == messageID {
			n++
		}
	}
	return n
}

// Mails returns a copy of every accepted message.
func (b *Mailbox) Mails() []Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Mail(nil), b.mails...)
}

// Keep records a message as accepted (for hooks that keep one and then
// lose the reply).
func (b *Mailbox) Keep(m Mail) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, m)
}

// SetHook replaces the hook.
func (b *Mailbox) SetHook(h func(c *smtp.Conn, m Mail, n int) error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Hook = h
}

// Server is a running SMTP server.
type Server struct {
	Addr string
	Box  *Mailbox
	srv  *smtp.Server
}

// Close stops the server and drops its connections at once.
func (s *Server) Close() { _ = s.srv.Close() }

// Start serves box on addr ("127.0.0.1:0" for a free port) until the test
// ends. Recipients starting with "ukjent@" are refused with 550.
func Start(t testing.TB, addr string, box *Mailbox) *Server {
	t.Helper()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{box: box, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	var ln net.Listener
	var err error
	for range 50 { // the old server's port may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return &Server{Addr: ln.Addr().String(), Box: box, srv: srv}
}

type session struct {
	box  *Mailbox
	conn *smtp.Conn
	to   []string
}

func (s *session) Reset()                               { s.to = nil }
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "ukjent@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user " + to}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	m := Mail{MessageID: strings.Trim(msg.Header.Get("Message-Id"), "<>"), To: strings.Join(s.to, ","),
		Subject: subject, Body: decodeBody(msg.Header.Get("Content-Transfer-Encoding"), body)}
	s.box.mu.Lock()
	s.box.datas++
	n, hook := s.box.datas, s.box.Hook
	s.box.mu.Unlock()
	if hook != nil {
		if err := hook(s.conn, m, n); err != nil {
			return err
		}
	}
	s.box.Keep(m)
	return nil
}

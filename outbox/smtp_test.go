package outbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/outbox/smtptest"
	"github.com/stemme/stemme/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func smtpTransport(t testing.TB, addr string) *SMTP {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	var p int
	fmt.Sscan(port, &p)
	s, err := NewSMTP(SMTPConfig{Host: host, Port: p, From: "stemme@kommune.no", TLS: TLSNone, Domain: "stemme.test", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fastOptions() Options {
	return Options{Poll: 20 * time.Millisecond, BaseDelay: 20 * time.Millisecond, MaxDelay: 100 * time.Millisecond,
		SendTimeout: 3 * time.Second, Lease: time.Minute}
}

func enqueueMany(t *testing.T, box *Outbox, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		id, err := box.Enqueue(context.Background(), Draft{Channel: Email, Kind: "test", To: fmt.Sprintf("kari%d@kommune.no", i),
			Subject: "Melding", Body: fmt.Sprintf("Melding nummer %d", i)}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMailServerKilledMidSendDeliversEachMessageOnce kills the mail server
// in the middle of receiving the seventh message, starts a new one on the
// same address, and checks that every message arrives exactly once.
func TestMailServerKilledMidSendDeliversEachMessageOnce(t *testing.T) {
	db := storetest.DB(t)
	box, _ := New(db, testSecret)
	mb := &smtptest.Mailbox{}
	midSend := make(chan struct{})
	release := make(chan struct{})
	mb.Hook = func(_ *smtp.Conn, _ smtptest.Mail, n int) error {
		if n == 7 {
			close(midSend)
			<-release
			return errors.New("the server went away")
		}
		return nil
	}
	first := smtptest.Start(t, "127.0.0.1:0", mb)
	ids := enqueueMany(t, box, 20)
	w := NewWorker(box, map[string]Transport{Email: smtpTransport(t, first.Addr)}, fastOptions(), nil)
	stop := w.Start()
	defer stop()

	<-midSend
	first.Close() // the connection in DATA and the listener go at once
	close(release)
	time.Sleep(200 * time.Millisecond) // a few refused attempts while no server listens
	mb.SetHook(nil)
	smtptest.Start(t, first.Addr, mb)

	waitFor(t, "20 deliveries", func() bool { return len(mb.Mails()) >= 20 })
	time.Sleep(100 * time.Millisecond) // a duplicate would arrive now
	for _, id := range ids {
		if n := mb.Count(id + "@stemme.test"); n != 1 {
			t.Errorf("message %s delivered %d times, want exactly once", id, n)
		}
	}
	waitFor(t, "the log", func() bool {
		n, _ := db.Collection(colLog).CountDocuments(context.Background(), bson.D{})
		return n == 20
	})
	if n, _ := db.Collection(colOutbox).CountDocuments(context.Background(), bson.D{}); n != 0 {
		t.Fatalf("%d messages still waiting", n)
	}
	retried := 0
	var raw []bson.Raw
	cur, _ := db.Collection(colLog).Find(context.Background(), bson.D{})
	_ = cur.All(context.Background(), &raw)
	for _, r := range raw {
		if strings.Contains(r.String(), "kommune.no") || strings.Contains(r.String(), "sealed") {
			t.Errorf("a finished message keeps its address or content: %s", r)
		}
		var m Message
		_ = bson.Unmarshal(r, &m)
		if m.Status != Sent {
			t.Errorf("message %s: %s", m.ID, m.Status)
		}
		if m.Attempts > 1 {
			retried++
		}
	}
	if retried == 0 {
		t.Error("no message needed a second attempt: the server was not killed mid-send")
	}
}

// TestLostReplyIsSentAgainWithTheSameMessageID: the server keeps the
// message and drops the connection before its "250 OK". Stemme cannot know
// it arrived, sends it again, and the copy carries the same Message-ID.
func TestLostReplyIsSentAgainWithTheSameMessageID(t *testing.T) {
	db := storetest.DB(t)
	box, _ := New(db, testSecret)
	mb := &smtptest.Mailbox{}
	mb.Hook = func(c *smtp.Conn, m smtptest.Mail, n int) error {
		if n > 1 {
			return nil
		}
		mb.Keep(m)           // kept…
		_ = c.Conn().Close() // …but the reply is lost
		return errors.New("connection closed")
	}
	srv := smtptest.Start(t, "127.0.0.1:0", mb)
	ids := enqueueMany(t, box, 1)
	w := NewWorker(box, map[string]Transport{Email: smtpTransport(t, srv.Addr)}, fastOptions(), nil)
	ctx := context.Background()
	for range 20 {
		if n, _ := db.Collection(colLog).CountDocuments(ctx, bson.D{}); n == 1 {
			break
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	m, err := box.Message(ctx, ids[0])
	if err != nil || m.Status != Sent || m.Attempts != 2 || !strings.Contains(m.LastError, "same Message-ID") {
		t.Fatalf("message after a lost reply: %+v, %v", m, err)
	}
	if n := mb.Count(ids[0] + "@stemme.test"); n != 2 {
		t.Fatalf("delivered %d times; the documented trade-off is one copy with the same Message-ID", n)
	}
}

func TestRefusedRecipientFailsAtOnceAndLeavesNoAddress(t *testing.T) {
	db := storetest.DB(t)
	box, _ := New(db, testSecret)
	srv := smtptest.Start(t, "127.0.0.1:0", &smtptest.Mailbox{})
	ctx := context.Background()
	id, err := box.Enqueue(ctx, Draft{Channel: Email, Kind: "test", To: "ukjent@kommune.no", Subject: "S", Body: "B"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorker(box, map[string]Transport{Email: smtpTransport(t, srv.Addr)}, fastOptions(), nil)
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	m, _ := box.Message(ctx, id)
	if m.Status != Failed || m.Attempts != 1 || !strings.Contains(m.LastError, "550") || strings.Contains(m.LastError, "ukjent") {
		t.Fatalf("refused message: %+v", m)
	}
}

func TestUnreachableOrUnsuitableServersKeepMessagesWaiting(t *testing.T) {
	plain := smtptest.Start(t, "127.0.0.1:0", &smtptest.Mailbox{})
	silent, _ := net.Listen("tcp", "127.0.0.1:0") // accepts, never greets
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	for _, tt := range []struct {
		name string
		cfg  func(*SMTPConfig)
		addr string
		want string
	}{
		{"STARTTLS required but not offered", func(c *SMTPConfig) { c.TLS = TLSStartTLS }, plain.Addr, "STARTTLS"},
		{"server never answers", func(c *SMTPConfig) { c.Timeout = 300 * time.Millisecond }, silent.Addr().String(), "timeout"},
		{"nothing listens", nil, closedAddr, "refused"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := storetest.DB(t)
			box, _ := New(db, testSecret)
			ctx := context.Background()
			id, _ := box.Enqueue(ctx, Draft{Channel: Email, Kind: "test", To: "kari@kommune.no", Subject: "S", Body: "B"}, time.Now())
			s := smtpTransport(t, tt.addr)
			if tt.cfg != nil {
				tt.cfg(&s.cfg)
			}
			w := NewWorker(box, map[string]Transport{Email: s}, fastOptions(), nil)
			tried := time.Now()
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			m, _ := box.Message(ctx, id)
			// The next attempt is put off from the failed one (not compared
			// with the clock now: on a busy machine the back-off may be over).
			if m.Status != Queued || m.Attempts != 1 || !strings.Contains(strings.ToLower(m.LastError), strings.ToLower(tt.want)) ||
				!m.NextAttempt.After(tried) {
				t.Fatalf("after a failed attempt: %+v", m)
			}
		})
	}
}

func TestWithoutATransportMessagesWaitAndNothingFails(t *testing.T) {
	db := storetest.DB(t)
	box, _ := New(db, testSecret)
	ids := enqueueMany(t, box, 3)
	w := NewWorker(box, nil, fastOptions(), nil)
	if n, err := w.RunOnce(context.Background()); err != nil || n != 0 {
		t.Fatalf("RunOnce without transports: %d, %v", n, err)
	}
	list, err := box.List(context.Background(), 100)
	if err != nil || len(list) != 3 {
		t.Fatalf("listed %d, %v", len(list), err)
	}
	for _, m := range list {
		if m.Status != Queued || m.Attempts != 0 || len(m.Sealed) != 0 {
			t.Errorf("waiting message %+v", m)
		}
	}
	if w.transports[Email] != nil {
		t.Error("e-mail reported configured")
	}
	// The same key is enqueued once.
	d := Draft{Key: "case/1/new", Channel: Email, Kind: "test", To: "kari@kommune.no", Body: "B"}
	a, _ := box.Enqueue(context.Background(), d, time.Now())
	b, _ := box.Enqueue(context.Background(), d, time.Now())
	if a != b || len(ids) != 3 {
		t.Fatalf("a repeated key gave two messages: %s, %s", a, b)
	}
	if _, err := box.Enqueue(context.Background(), Draft{Channel: SMS, To: "12"}, time.Now()); !errors.Is(err, ErrAddress) {
		t.Fatalf("a bad number: %v", err)
	}
}

func TestParseSMTPURL(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want SMTPConfig
		err  string
	}{
		{"smtp://stemme:hemmelig@mail.kommune.no:587?from=stemme@kommune.no",
			SMTPConfig{Host: "mail.kommune.no", Port: 587, Username: "stemme", Password: "hemmelig", From: "stemme@kommune.no", TLS: TLSStartTLS}, ""},
		{"smtps://mail.kommune.no?from=stemme@kommune.no", SMTPConfig{Host: "mail.kommune.no", Port: 465, From: "stemme@kommune.no", TLS: TLSImplicit}, ""},
		{"smtp://localhost:25?from=stemme@kommune.no&tls=none", SMTPConfig{Host: "localhost", Port: 25, From: "stemme@kommune.no", TLS: TLSNone}, ""},
		{"http://mail.kommune.no?from=stemme@kommune.no", SMTPConfig{}, "smtp://"},
		{"smtp://mail.kommune.no:587", SMTPConfig{}, "sender address"},
		{"smtp://u:hemmelig@mail.kommune.no:25?from=s@kommune.no&tls=none", SMTPConfig{}, "unencrypted"},
		{"smtp://mail.kommune.no:587?from=s@kommune.no&tls=maybe", SMTPConfig{}, "TLS mode"},
	} {
		got, err := ParseSMTPURL(tt.in)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "hemmelig") {
				t.Errorf("%s: error %v, want one about %q without the password", tt.in, err, tt.err)
			}
		case err != nil || got != tt.want:
			t.Errorf("%s: %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

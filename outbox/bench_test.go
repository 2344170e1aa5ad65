package outbox

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stemme/stemme/outbox/smtptest"
	"github.com/stemme/stemme/store/storetest"
)

// BenchmarkDeliverThroughSMTP measures queueing and sending messages to a
// real SMTP server on loopback, one connection per message, through the
// embedded store: what a batch of e-mailed invitations costs.
func BenchmarkDeliverThroughSMTP(b *testing.B) {
	db := storetest.DB(b)
	box, _ := New(db, testSecret)
	srv := smtptest.Start(b, "127.0.0.1:0", &smtptest.Mailbox{})
	w := NewWorker(box, map[string]Transport{Email: smtpTransport(b, srv.Addr)}, fastOptions(), nil)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if _, err := box.Enqueue(ctx, Draft{Channel: Email, Kind: "bench", To: fmt.Sprintf("p%d@example.no", i),
			Subject: "Invitasjon", Body: "Svar her: https://stemme.kommune.no/i?kode=ABCD-EFGH"}, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	for sent := 0; sent < b.N; {
		n, err := w.RunOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		sent += n
	}
	b.StopTimer()
	if got := len(srv.Box.Mails()); got != b.N {
		b.Fatalf("%d delivered, want %d", got, b.N)
	}
}

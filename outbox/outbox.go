// Package outbox keeps every e-mail and SMS Stemme sends until it is sent:
// messages are stored first and delivered by a worker with retries and
// exponential back-off, so an outage of the mail server or SMS gateway
// loses nothing, and without a configured transport they simply wait (and
// show on the admins' outbox page) instead of failing what caused them.
//
// What is stored: the recipient's address or number, the subject and the
// body are sealed (encrypted) and deleted as soon as the message is sent or
// refused for good; only what the outbox page needs stays: kind, channel,
// status, attempts, the last error with the address taken out, and for
// staff messages the staff member's address.
//
// Delivery is at least once, never knowingly twice. SMTP has no way to make
// a send idempotent: when the server accepted a message but its reply was
// lost (connection dropped after the final "."), or when Stemme stopped
// between the server's reply and recording it, the message is sent again
// with the same Message-ID, which lets mail systems and readers recognise
// the copy. Every other failure happens before the server took the message
// and is simply retried. See docs/OPERATIONS.md ("Outgoing messages").
package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/contact"
	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/seal"
	"github.com/stemme/stemme/store"
)

// Channels.
const (
	Email = "email"
	SMS   = "sms"
)

// Statuses: queued → sending → sent, or back to queued after a temporary
// failure, or failed when the recipient was refused for good.
const (
	Queued  = "queued"
	Sending = "sending"
	Sent    = "sent"
	Failed  = "failed"
)

// Waiting messages and the log of finished ones are kept apart, so the
// worker's frequent look for due messages reads a small collection (the
// embedded store scans what it filters).
const (
	colOutbox = "outbox"
	colLog    = "outbox_log"
)

// sealLabel is the purpose of the key that seals waiting messages.
const sealLabel = "stemme/outbox/message/v1"

// Message is one e-mail or SMS in the outbox, without its sealed content.
type Message struct {
	ID      string `bson:"_id"`
	Channel string `bson:"channel"`
	// Kind says what the message is (staff_link, contact_new, invitation, …).
	Kind string `bson:"kind"`
	// Recipient is shown on the outbox page: a staff member's address, or
	// empty for relatives, whose addresses are never shown.
	Recipient string `bson:"recipient,omitempty"`
	// Ref names what the message is about (a case, an action, a wave), for the page.
	Ref         string    `bson:"ref,omitempty"`
	Status      string    `bson:"status"`
	Attempts    int       `bson:"attempts"`
	NextAttempt time.Time `bson:"next_attempt"`
	LeaseUntil  time.Time `bson:"lease_until,omitempty"`
	LastError   string    `bson:"last_error,omitempty"`
	Created     time.Time `bson:"created"`
	Sent        time.Time `bson:"sent,omitempty"`
	// Sealed holds the address, subject and body until the message is done.
	Sealed []byte `bson:"sealed,omitempty"`
}

// Draft is a message to enqueue.
type Draft struct {
	// Key makes enqueueing idempotent: a second draft with the same key is
	// dropped. Empty means every draft is a new message.
	Key     string
	Channel string
	Kind    string
	// To is the e-mail address or phone number.
	To string
	// Staff is set when To is a staff member's own address, which the
	// outbox page may show.
	Staff   bool
	Ref     string
	Subject string
	Body    string
}

// content is what is sealed.
type content struct {
	To      string `json:"to"`
	Subject string `json:"subject,omitempty"`
	Body    string `json:"body"`
}

// Outbox stores and lists messages; a Worker sends them.
type Outbox struct {
	db   *mongo.Database
	seal *seal.Sealer
	// wake tells a worker in this process that a message is waiting.
	wake chan struct{}
}

// New returns the outbox on db; secret is the configured secret.
func New(db *mongo.Database, secret []byte) (*Outbox, error) {
	s, err := seal.New(secret, sealLabel)
	if err != nil {
		return nil, err
	}
	return &Outbox{db: db, seal: s, wake: make(chan struct{}, 1)}, nil
}

// Indexes lists the outbox's indexes.
func Indexes() []store.Index {
	return []store.Index{{Collection: colLog, Keys: bson.D{{Key: "created", Value: 1}}}}
}

// ErrAddress means a draft's address or number is not one its channel can use.
var ErrAddress = errors.New("outbox: not a valid address for the channel")

// Normalize checks an address for a channel and returns it as it will be
// used: an e-mail address in lower case, a phone number as +CCNNNN.
func Normalize(channel, to string) (string, error) {
	switch channel {
	case Email:
		to = contact.NormalizeEmail(to)
		if !contact.ValidEmail(to) {
			return "", ErrAddress
		}
		return to, nil
	case SMS:
		n, ok := contact.MobileNumber(to)
		if !ok {
			return "", ErrAddress
		}
		return n, nil
	}
	return "", fmt.Errorf("outbox: unknown channel %q", channel)
}

// Enqueue stores a draft to be sent as soon as possible and returns its id.
// A draft whose key was enqueued before is not stored again.
func (o *Outbox) Enqueue(ctx context.Context, d Draft, now time.Time) (string, error) {
	to, err := Normalize(d.Channel, d.To)
	if err != nil {
		return "", err
	}
	id := newID()
	if d.Key != "" {
		sum := sha256.Sum256([]byte("stemme-outbox\x00" + d.Key))
		id = hex.EncodeToString(sum[:12])
	}
	plain, err := json.Marshal(content{To: to, Subject: d.Subject, Body: d.Body})
	if err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	m := Message{ID: id, Channel: d.Channel, Kind: d.Kind, Ref: d.Ref, Status: Queued, NextAttempt: now.UTC(),
		Created: now.UTC(), Sealed: o.seal.Seal(plain, id)}
	if d.Staff {
		m.Recipient = to
	}
	if _, err := o.db.Collection(colOutbox).InsertOne(ctx, m); err != nil {
		if store.IsDuplicate(err) {
			return id, nil
		}
		return "", fmt.Errorf("outbox: unable to enqueue: %w", err)
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
	return id, nil
}

// List returns the waiting messages and the latest finished ones, newest
// first, without their content.
func (o *Outbox) List(ctx context.Context, limit int64) ([]Message, error) {
	noContent := bson.D{{Key: "sealed", Value: 0}}
	newest := bson.D{{Key: "created", Value: -1}}
	waiting, err := store.FindAll[Message](ctx, o.db.Collection(colOutbox), bson.D{},
		options.Find().SetSort(newest).SetProjection(noContent))
	if err != nil {
		return nil, fmt.Errorf("outbox: unable to list messages: %w", err)
	}
	done, err := store.FindAll[Message](ctx, o.db.Collection(colLog), bson.D{},
		options.Find().SetSort(newest).SetLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("outbox: unable to list messages: %w", err)
	}
	all := append(waiting, done...)
	slices.SortStableFunc(all, func(a, b Message) int { return b.Created.Compare(a.Created) })
	return all, nil
}

// Message returns one message, waiting or finished, without its content.
func (o *Outbox) Message(ctx context.Context, id string) (Message, error) {
	var m Message
	err := o.db.Collection(colOutbox).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m)
	if store.IsNotFound(err) {
		err = o.db.Collection(colLog).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m)
	}
	if err != nil {
		return Message{}, fmt.Errorf("outbox: unable to read message %s: %w", id, err)
	}
	m.Sealed = nil
	return m, nil
}

// Waiting returns how many messages wait per channel.
func (o *Outbox) Waiting(ctx context.Context) (map[string]int, error) {
	ms, err := store.FindAll[Message](ctx, o.db.Collection(colOutbox), bson.D{},
		options.Find().SetProjection(bson.D{{Key: "channel", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("outbox: unable to count messages: %w", err)
	}
	out := map[string]int{}
	for _, m := range ms {
		out[m.Channel]++
	}
	return out, nil
}

func (o *Outbox) open(m Message) (content, error) {
	var c content
	plain, err := o.seal.Open(m.Sealed, m.ID)
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal(plain, &c)
}

// redact takes an address out of an error text.
func redact(text, to string) string {
	if to == "" {
		return text
	}
	text = strings.ReplaceAll(text, to, "<recipient>")
	if at := strings.LastIndex(to, "@"); at > 0 {
		text = strings.ReplaceAll(text, to[:at], "<recipient>")
	}
	return text
}

func newID() string { return random.Hex(12) }

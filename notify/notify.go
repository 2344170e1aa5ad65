// Package notify decides who is told what, and when: one-time staff links,
// new contact requests and their deadline, due actions, council meeting
// notices, follow-up conversations due and survey invitations. It writes
// each message into the outbox, which sends it. Messages to staff carry
// no personal data about relatives: a link to the case is enough.
//
// Every message has a key naming what it is about and for whom, so the
// periodic checks (Tick) can run as often as they like, in several
// instances, or again after a crash, and each message is still queued once.
package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// StaffLanguage is the language of messages to staff.
const StaffLanguage = "nb"

// Notifier queues messages in the outbox.
type Notifier struct {
	Outbox   *outbox.Outbox
	Staff    *staff.Store
	Surveys  *surveys.Store
	Feedback *feedback.Store
	Actions  *actions.Store
	Council  *council.Store
	BaseURL  string
	bundle   *i18n.Bundle
}

// New returns a notifier on db; secret opens the follow-up register and
// baseURL is the public URL links point to.
func New(db *mongo.Database, box *outbox.Outbox, secret []byte, baseURL string) (*Notifier, error) {
	bundle, _, err := locales.Load()
	if err != nil {
		return nil, err
	}
	fb, err := feedback.NewStore(db, secret)
	if err != nil {
		return nil, err
	}
	ss := surveys.NewStore(db)
	// Invitation codes are stored as keyed hashes (surveys.Store.SetSecret).
	ss.SetSecret(secret)
	return &Notifier{Outbox: box, Staff: staff.NewStore(db), Surveys: ss, Feedback: fb,
		Actions: actions.NewStore(db), Council: council.NewStore(db),
		BaseURL: strings.TrimSuffix(baseURL, "/"), bundle: bundle}, nil
}

// T renders a message in a language.
func (n *Notifier) T(lang, id string, data map[string]any) string {
	s, err := i18n.NewLocalizer(n.bundle, lang, StaffLanguage).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil && s == "" {
		return id
	}
	return s
}

// toStaff queues one e-mail to each user, keyed by what it is about.
func (n *Notifier) toStaff(ctx context.Context, users []staff.User, key, kind, ref, subjectID, bodyID string,
	data map[string]any, now time.Time) (int, error) {
	sent := 0
	for _, u := range users {
		d := map[string]any{"Name": u.Name}
		for k, v := range data {
			d[k] = v
		}
		_, err := n.Outbox.Enqueue(ctx, outbox.Draft{Key: key + "/" + u.ID, Channel: outbox.Email, Kind: kind,
			To: u.Email, Staff: true, Ref: ref, Subject: n.T(StaffLanguage, subjectID, d),
			Body: n.T(StaffLanguage, bodyID, d) + "\n\n" + n.T(StaffLanguage, "mail.footer", nil)}, now)
		if err != nil {
			return sent, fmt.Errorf("notify: %s to %s: %w", kind, u.ID, err)
		}
		sent++
	}
	return sent, nil
}

// StaffLink sends a one-time link to set a password.
func (n *Notifier) StaffLink(ctx context.Context, u staff.User, link string, now time.Time) error {
	// Each link is a message of its own: a new link replaces the last.
	_, err := n.toStaff(ctx, []staff.User{u}, "staff-link/"+link, "staff_link", u.Email,
		"mail.staff_link.subject", "mail.staff_link.body",
		map[string]any{"Link": link, "Hours": int(staff.LinkLifetime.Hours()), "URL": n.BaseURL}, now)
	return err
}

// withRole lists the active users holding a role; unit-bound roles only
// those whose grant covers unit.
func (n *Notifier) withRole(ctx context.Context, role staff.Role, unit string) ([]staff.User, error) {
	all, err := n.Staff.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []staff.User
	for _, u := range all {
		if !u.Active || !u.Has(role) {
			continue
		}
		if role.UnitBound() && !slices.Contains(u.UnitsFor(role), unit) {
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// followUpStaff are the follow-up staff of a unit, or the admins when the
// unit has none, so that no request goes unseen.
func (n *Notifier) followUpStaff(ctx context.Context, unit string) ([]staff.User, error) {
	us, err := n.withRole(ctx, staff.RoleFollowUp, unit)
	if err != nil || len(us) > 0 {
		return us, err
	}
	return n.withRole(ctx, staff.RoleAdmin, "")
}

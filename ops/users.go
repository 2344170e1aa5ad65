package ops

import (
	"context"
	"log/slog"
	"strings"

	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/staff"
)

// Users runs an admin's operations on staff accounts: creating one,
// changing its roles or deactivating it, and issuing a password link,
// which is also e-mailed. Each writes its entry first (see the package
// doc).
type Users struct {
	journal *Journal
	staff   *staff.Store
	notify  *notify.Notifier
	logger  *slog.Logger
}

// NewUsers returns the account operations on the users in ss, e-mailing
// links through n; logger hears of a link that could not be queued.
func NewUsers(j *Journal, ss *staff.Store, n *notify.Notifier, logger *slog.Logger) *Users {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Users{journal: j, staff: ss, notify: n, logger: logger}
}

// Create adds u without a password and issues its first password link
// (IssueLink); it returns the user as stored and the link.
func (o *Users) Create(ctx context.Context, who string, u staff.User) (staff.User, string, error) {
	added, err := o.Add(ctx, who, u)
	if err != nil {
		return staff.User{}, "", err
	}
	link, err := o.IssueLink(ctx, who, added)
	return added, link, err
}

// Add adds u without a password and without a link, and returns the user
// as stored; the command line issues the link itself (Link), to say
// whether its e-mail was queued. An address or grants the staff package
// refuses by itself are refused before the entry; an e-mail address
// already in use is found by the store, so that refusal leaves the attempt
// and its failure in the log.
func (o *Users) Add(ctx context.Context, who string, u staff.User) (staff.User, error) {
	email, err := staff.NormalizeEmail(u.Email)
	if err != nil {
		return staff.User{}, err
	}
	if err := staff.ValidateGrants(u.Grants); err != nil {
		return staff.User{}, err
	}
	u.Email = email
	var added staff.User
	err = o.journal.record(ctx, who, entry{staff.AuditUserCreate, u.Email, rolesSummary(u.Grants)}, func() (err error) {
		added, err = o.staff.CreateUser(ctx, u, "")
		return err
	})
	return added, err
}

// Update replaces u's name, roles and whether the account is active.
func (o *Users) Update(ctx context.Context, who string, u staff.User) error {
	detail := rolesSummary(u.Grants)
	if !u.Active {
		detail += "; deactivated"
	}
	return o.journal.record(ctx, who, entry{staff.AuditUserUpdate, u.Email, detail}, func() error {
		return o.staff.UpdateUser(ctx, u.ID, u.Name, u.Grants, u.Active)
	})
}

// IssueLink makes a one-time link for u to set a password (Link), queues
// it for e-mail and returns it to show. A link that cannot be queued is
// logged, not an error: the admin hands over the link shown.
func (o *Users) IssueLink(ctx context.Context, who string, u staff.User) (string, error) {
	link, err := o.Link(ctx, who, u)
	if err != nil {
		return "", err
	}
	if err := o.notify.StaffLink(ctx, u, link, o.journal.now()); err != nil {
		o.logger.Warn("staff link not queued for e-mail", slog.String("error", err.Error()))
	}
	return link, nil
}

// Link makes a one-time link for u to set a password and returns it,
// without e-mailing it: for a caller that queues the e-mail itself and
// reports its failure (the command line).
func (o *Users) Link(ctx context.Context, who string, u staff.User) (string, error) {
	var link string
	err := o.journal.record(ctx, who, entry{staff.AuditUserLinkIssued, u.Email, ""}, func() error {
		token, err := o.staff.IssuePasswordLink(ctx, u.ID, o.journal.now())
		if err != nil {
			return err
		}
		link = o.notify.BaseURL + "/passord/" + token
		return nil
	})
	return link, err
}

// rolesSummary is a user's grants as the audit log shows them.
func rolesSummary(gs []staff.Grant) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = string(g.Role)
		if len(g.Units) > 0 {
			parts[i] += "(" + strings.Join(g.Units, ",") + ")"
		}
	}
	return strings.Join(parts, " ")
}

// SetPasswordByLink sets the password of u, who opened the password link
// token (staff.Store.PasswordLinkUser), and spends the link; u writes the
// entry. A password the policy refuses (*staff.PolicyError) or a link
// already used (staff.ErrNoSession) leaves no entry.
func (o *Users) SetPasswordByLink(ctx context.Context, u staff.User, token, password string) error {
	return o.journal.recordAtCommit(ctx, u.Email, entry{staff.AuditPasswordSet, u.Email, ""}, func(commit func() error) error {
		_, err := o.staff.UsePasswordLinkWith(ctx, token, password, o.journal.now(), commit)
		return err
	})
}

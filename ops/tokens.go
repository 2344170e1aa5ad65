package ops

import (
	"context"
	"time"

	"github.com/stemme/stemme/staff"
)

// Tokens runs a staff user's operations on their own API tokens: making
// one and revoking one. Each writes a staff.AuditToken entry first (see
// the package doc).
type Tokens struct {
	area
	staff *staff.Store
}

// NewTokens returns the token operations on the users in ss.
func NewTokens(j *Journal, ss *staff.Store) *Tokens {
	return &Tokens{area: area{j, staff.AuditToken}, staff: ss}
}

// Create makes a token for u named name (expires is zero for none) and
// returns it, the only time it is seen, with its record. A bad name or
// expiry, or too many tokens (staff.ErrTokenName, ErrTokenExpiry,
// ErrTooManyTokens), is refused before the entry.
func (o *Tokens) Create(ctx context.Context, u staff.User, name string, expires time.Time) (string, staff.APIToken, error) {
	token, t, err := o.staff.PrepareToken(ctx, u.ID, name, expires, o.now())
	if err != nil {
		return "", staff.APIToken{}, err
	}
	if err := o.record(ctx, u.Email, t.Ref, "create", func() error { return o.staff.InsertToken(ctx, t) }); err != nil {
		return "", staff.APIToken{}, err
	}
	return token, t, nil
}

// Revoke deletes one of u's tokens by its ref; staff.ErrNoToken, before
// any entry, when u has none by that ref.
func (o *Tokens) Revoke(ctx context.Context, u staff.User, ref string) error {
	if _, err := o.staff.Token(ctx, u.ID, ref); err != nil {
		return err
	}
	return o.record(ctx, u.Email, ref, "revoke", func() error {
		_, err := o.staff.RevokeToken(ctx, u.ID, ref)
		return err
	})
}

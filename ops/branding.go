package ops

import (
	"context"

	"github.com/stemme/stemme/branding"
	"github.com/stemme/stemme/staff"
)

// Branding runs the operations on the municipality's logo, each writing a
// staff.AuditBranding entry first (see the package doc).
type Branding struct {
	journal  *Journal
	branding *branding.Store
}

// NewBranding returns the operations on the logo in bs.
func NewBranding(j *Journal, bs *branding.Store) *Branding {
	return &Branding{journal: j, branding: bs}
}

// SaveLogo replaces the logo with l, which branding.Check has passed.
func (o *Branding) SaveLogo(ctx context.Context, who string, l branding.Logo) error {
	return o.journal.record(ctx, who, entry{staff.AuditBranding, "logo", l.ContentType + " " + l.Version}, func() error {
		return o.branding.SaveLogo(ctx, l, who, o.journal.now())
	})
}

// RemoveLogo removes the logo; pages show the name alone.
func (o *Branding) RemoveLogo(ctx context.Context, who string) error {
	return o.journal.record(ctx, who, entry{staff.AuditBranding, "logo", "removed"}, func() error {
		return o.branding.RemoveLogo(ctx)
	})
}

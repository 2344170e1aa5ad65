package ops_test

import (
	"context"
	"testing"

	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/branding"
	"github.com/stemme/stemme/staff"
)

func newEvent() arenas.Event {
	return arenas.Event{Kind: arenas.KindCafe, Title: "Pårørendekafé", Date: "2026-04-01", Place: "Solbakken"}
}

func arenaOperations() []operation {
	events := func(t *testing.T, w *world) int {
		t.Helper()
		es, err := w.arenas.Events(context.Background(), "2026-01-01")
		must(t, err)
		return len(es)
	}
	return []operation{
		{name: "arena text", action: staff.AuditArena,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				return arenas.KindCafe, o.arenas.SaveSection(ctx, who, arenas.Section{Kind: arenas.KindCafe, Intro: "Velkommen"})
			},
			changed: func(t *testing.T, w *world, _ string) bool {
				ss, err := w.arenas.Sections(context.Background())
				must(t, err)
				return ss[arenas.KindCafe].Intro == "Velkommen"
			}},
		{name: "arena event add", action: staff.AuditArena,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				e := newEvent()
				err := o.arenas.AddEvent(ctx, who, &e)
				return e.ID, err
			},
			changed: func(t *testing.T, w *world, _ string) bool { return events(t, w) == 1 }},
		{name: "arena event remove", action: staff.AuditArena,
			setup: func(t *testing.T, w *world) string {
				e := newEvent()
				must(t, w.arenas.AddEvent(context.Background(), &e, today))
				return e.ID
			},
			run: func(ctx context.Context, o operations, id string) (string, error) {
				return id, o.arenas.RemoveEvent(ctx, who, id)
			},
			changed: func(t *testing.T, w *world, _ string) bool { return events(t, w) == 0 }},
	}
}

// logoSVG is a logo that branding.Check accepts.
const logoSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`

func brandingOperations() []operation {
	logo := func(t *testing.T, w *world) bool {
		t.Helper()
		_, ok, err := w.branding.Logo(context.Background())
		must(t, err)
		return ok
	}
	return []operation{
		{name: "logo save", action: staff.AuditBranding,
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				l, err := branding.Check([]byte(logoSVG))
				if err != nil {
					return "", err
				}
				return "logo", o.branding.SaveLogo(ctx, who, l)
			},
			changed: func(t *testing.T, w *world, _ string) bool { return logo(t, w) }},
		{name: "logo remove", action: staff.AuditBranding,
			setup: func(t *testing.T, w *world) string {
				l, err := branding.Check([]byte(logoSVG))
				must(t, err)
				must(t, w.branding.SaveLogo(context.Background(), l, who, today))
				return "logo"
			},
			run: func(ctx context.Context, o operations, _ string) (string, error) {
				return "logo", o.branding.RemoveLogo(ctx, who)
			},
			changed: func(t *testing.T, w *world, _ string) bool { return !logo(t, w) }},
	}
}

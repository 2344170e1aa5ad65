package web

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/staff"
)

// readerOf is the reader a staff user is to the results service (the one
// read policy, analysis.Reader): admins and advisors read every wave,
// council members published ones, unit leaders those of their units.
func readerOf(u *staff.User) analysis.Reader {
	if u == nil {
		return analysis.Reader{}
	}
	return analysis.Reader{
		All:       u.HasAny(staff.RoleAdmin, staff.RoleAdvisor),
		Published: u.Has(staff.RoleCouncil),
		Units:     u.UnitsFor(staff.RoleUnitLeader),
	}
}

// resultsCacheEntries bounds the entries of the results cache (a wave's
// results with its comparison wave, or an open wave's counts; 0 turns the
// cache off; the benchmark measures both).
var resultsCacheEntries = 16

// view is a wave as the reader may read it (analysis.Service.View).
func (h *handler) view(ctx context.Context, rd analysis.Reader, wave string) (*analysis.View, error) {
	h.results.SetLimit(resultsCacheEntries)
	return h.results.View(ctx, rd, wave)
}

// resultsError turns the results service's refusal into 404: a wave the
// reader may not read is not confirmed to exist.
func resultsError(err error) error {
	if errors.Is(err, analysis.ErrNoResults) {
		return fiber.ErrNotFound
	}
	return storeError(err)
}

package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// Export formats, as the form and the URL name them.
const (
	formatXLSX     = "xlsx"
	formatRaw      = "csv-raw"
	formatSummary  = "csv-summary"
	formatCodebook = "csv-codebook"
)

var exportFormats = []string{formatXLSX, formatSummary, formatRaw, formatCodebook}

// exportForm is the export form as sent (a GET, so it is a link too).
type exportForm struct {
	Wave, Unit, Format, Lang, Sep string
}

func parseExportForm(c *fiber.Ctx) exportForm {
	f := exportForm{Wave: c.Query("wave"), Unit: c.Query("unit"), Format: c.Query("format"),
		Lang: c.Query("lang"), Sep: c.Query("sep")}
	if f.Format == "" {
		f.Format = formatXLSX
	}
	if f.Lang == "" {
		f.Lang = "nb"
	}
	if f.Sep == "" {
		f.Sep = "semicolon"
	}
	return f
}

func (f exportForm) separator() exports.Separator {
	if f.Sep == "comma" {
		return exports.Comma
	}
	return exports.Semicolon
}

// exportRefusal is why an export is not made: a message id, the field it
// is about and the status to answer with.
type exportRefusal struct {
	field, message string
	status         int
}

// checkExport validates the form and decides access. Advisors and admins
// export anything. Unit leaders export the results of their own units
// (any wave, as on their dashboards), never raw data. The council exports
// published results only, never raw data. Everyone's export is suppressed.
func checkExport(u *staff.User, f exportForm, w *surveys.Wave) *exportRefusal {
	switch {
	case w == nil:
		return &exportRefusal{"f-wave", "export.error.wave", fiber.StatusBadRequest}
	case !slices.Contains(exportFormats, f.Format):
		return &exportRefusal{"f-format", "export.error.format", fiber.StatusBadRequest}
	case !slices.Contains(surveys.Languages, f.Lang):
		return &exportRefusal{"f-lang", "export.error.lang", fiber.StatusBadRequest}
	case f.Sep != "comma" && f.Sep != "semicolon":
		return &exportRefusal{"f-sep", "export.error.sep", fiber.StatusBadRequest}
	case f.Unit != "" && !slices.Contains(w.Units, f.Unit):
		return &exportRefusal{"f-unit", "export.error.unit", fiber.StatusBadRequest}
	}
	if u.HasAny(staff.RoleAdmin, staff.RoleAdvisor) {
		return nil
	}
	if f.Format == formatRaw {
		return &exportRefusal{"f-format", "export.error.raw", fiber.StatusForbidden}
	}
	if u.Has(staff.RoleCouncil) && w.Published != "" {
		return nil
	}
	if u.Has(staff.RoleUnitLeader) && f.Unit != "" && slices.Contains(u.UnitsFor(staff.RoleUnitLeader), f.Unit) {
		return nil
	}
	if u.Has(staff.RoleUnitLeader) {
		return &exportRefusal{"f-unit", "export.error.unit", fiber.StatusForbidden}
	}
	return &exportRefusal{"f-wave", "export.error.unpublished", fiber.StatusForbidden}
}

// exportableWaves are the waves a user may choose from: every wave with
// answers for advisors, the waves of their units for unit leaders, and
// published waves for the council.
func exportableWaves(u *staff.User, all []surveys.Wave) []surveys.Wave {
	var out []surveys.Wave
	for _, w := range all {
		switch {
		case w.Status == surveys.WaveDraft:
		case u.HasAny(staff.RoleAdmin, staff.RoleAdvisor),
			u.Has(staff.RoleCouncil) && w.Published != "",
			slices.ContainsFunc(u.UnitsFor(staff.RoleUnitLeader), func(x string) bool { return slices.Contains(w.Units, x) }):
			out = append(out, w)
		}
	}
	return out
}

func sortUnits(us []exportUnit) {
	slices.SortFunc(us, func(a, b exportUnit) int { return strings.Compare(a.Name, b.Name) })
}

package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/exports"
	"github.com/stemme/stemme/surveys"
)

// Export formats, as the form and the URL name them.
const (
	formatXLSX     = "xlsx"
	formatSummary  = "csv-summary"
	formatCodebook = "csv-codebook"
	// formatStats is the package for statistics software (a zip).
	formatStats = "stats"
)

var exportFormats = []string{formatXLSX, formatSummary, formatCodebook, formatStats}

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

// checkExport validates the form and decides access, by the one read
// policy: the wave must be one whose results the reader may read (view is
// nil otherwise), a unit one of theirs, and the language one the export
// can be written in for its questionnaire (exports.Languages). Everyone's
// export is suppressed, and none holds answers row by row (see
// exports.Options.Raw).
func checkExport(rd analysis.Reader, f exportForm, view *analysis.View) *exportRefusal {
	switch {
	case !slices.Contains(exportFormats, f.Format):
		return &exportRefusal{"f-format", "export.error.format", fiber.StatusBadRequest}
	case !surveys.ValidLanguageCode(f.Lang):
		return &exportRefusal{"f-lang", "export.error.lang", fiber.StatusBadRequest}
	case f.Sep != "comma" && f.Sep != "semicolon":
		return &exportRefusal{"f-sep", "export.error.sep", fiber.StatusBadRequest}
	case view == nil || view.State != analysis.StateFinal:
		return &exportRefusal{"f-wave", "export.error.wave", fiber.StatusBadRequest}
	case !slices.Contains(exports.Languages(view.Results.Instrument), f.Lang):
		return &exportRefusal{"f-lang", "export.error.lang", fiber.StatusBadRequest}
	case f.Unit != "" && !slices.Contains(view.Wave.Units, f.Unit):
		return &exportRefusal{"f-unit", "export.error.unit", fiber.StatusBadRequest}
	case f.Unit != "" && !rd.SeesUnit(view.Wave, f.Unit):
		return &exportRefusal{"f-unit", "export.error.unit", fiber.StatusForbidden}
	}
	return nil
}

func sortUnits(us []exportUnit) {
	slices.SortFunc(us, func(a, b exportUnit) int { return strings.Compare(a.Name, b.Name) })
}

// Package report builds the yearly report on the municipality's work with
// relatives (årsrapport), meant to be attached to a political case ("til
// behandling i Hovedutvalget"): the year's published survey results and
// their changes, the volume of standing feedback by theme, the share of
// contact requests answered within 2 working days, the actions with their
// status and effect, and the council's meetings and decisions.
//
// One Report is built once and rendered twice, as the printable page (web)
// and as a PDF (WritePDF), so both show the same figures. A report for
// politicians is public in effect: survey figures come only from published
// waves, read as analysis.Public from the results service, and never from
// sums or averages over its groups; feedback counts per unit are shown
// only where no small group can be read from them (protectCounts).
package report

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// Sources are the stores a report reads. Survey figures come from Results
// alone, as the public reads them.
type Sources struct {
	DB       *mongo.Database
	Results  *analysis.Service
	Surveys  *surveys.Store
	Feedback *feedback.Store
	Actions  *actions.Store
	Council  *council.Store
}

// Options choose the report.
type Options struct {
	Year int
	// Lang is the language of the texts: nb, nn or en (others get en).
	Lang string
	Now  time.Time
}

// Report is the yearly report, every figure already written as shown.
type Report struct {
	Year         int
	Lang         string
	Municipality string
	// Generated is the day the report was made; AsOf says that statuses
	// (actions, decisions) are as of that day.
	Generated string
	Surveys   []Survey
	// Unpublished counts the year's closed waves not (yet) published,
	// which the report leaves out.
	Unpublished int
	Feedback    FeedbackSection
	Actions     ActionSection
	Council     CouncilSection
	// Summary holds the key figures, each a label and a value.
	Summary []Fact
	loc     *i18n.Localizer
}

// Fact is one key figure.
type Fact struct{ Label, Value string }

// T translates a message id for the report; args are name/value pairs.
// The page's template and the PDF both call it, so their words agree.
func (r *Report) T(id string, args ...any) string {
	return locales.Localize(r.loc, id, args...)
}

// MethodText explains how the figures were made, with the numbers taken
// from the constants the figures use: the smallest group shown and the
// smallest change called clear. The page and the PDF both show it.
func (r *Report) MethodText() string {
	return r.T("report.method.text", "K", Threshold, "Points", analysis.MeaningfulChange)
}

// Title is the report's title.
func (r *Report) Title() string { return r.T("report.title", "Year", r.Year) }

// Language is the language the report's texts are in: nb, nn or en.
func Language(lang string) string {
	switch lang {
	case "nb", "nn", "en":
		return lang
	}
	return "en"
}

// Build reads everything the report shows for one year.
func Build(ctx context.Context, src Sources, bundle *i18n.Bundle, opt Options) (*Report, error) {
	lang := Language(opt.Lang)
	r := &Report{Year: opt.Year, Lang: lang, loc: i18n.NewLocalizer(bundle, lang)}
	r.Generated = r.date(surveys.LocalDate(opt.Now))
	units, err := src.Surveys.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	names := unitNames{}
	for _, u := range units {
		names[u.ID] = u.Name
		if u.Kind == surveys.KindMunicipality && u.Parent == "" && r.Municipality == "" {
			r.Municipality = u.Name
		}
	}
	if err := r.surveys(ctx, src, names); err != nil {
		return nil, err
	}
	if err := r.feedback(ctx, src, units, opt.Now); err != nil {
		return nil, err
	}
	if err := r.actions(ctx, src, names, opt.Now); err != nil {
		return nil, err
	}
	if err := r.council(ctx, src, opt.Now); err != nil {
		return nil, err
	}
	r.summarize()
	return r, nil
}

// unitNames maps unit ids to names.
type unitNames map[string]string

func (n unitNames) of(id string) string {
	if s := n[id]; s != "" {
		return s
	}
	return id
}

// summarize gathers the key figures from the sections, as they show them.
func (r *Report) summarize() {
	for _, s := range r.Surveys {
		r.Summary = append(r.Summary, Fact{s.Name, s.Answered})
	}
	if len(r.Surveys) == 0 {
		r.Summary = append(r.Summary, Fact{r.T("report.summary.surveys"), r.T("report.summary.no_surveys")})
	}
	fb := r.Feedback
	if !fb.Empty {
		r.Summary = append(r.Summary, Fact{r.T("report.summary.feedback"), fb.Total})
		if fb.Contact.Has {
			r.Summary = append(r.Summary, Fact{r.T("report.summary.contact"), fb.Contact.Text})
		}
	}
	r.Summary = append(r.Summary, Fact{r.T("report.summary.actions"), r.Actions.Counts},
		Fact{r.T("report.summary.council"), r.Council.Counts})
}

// dash stands for an unknown figure.
const dash = "–"

// whole writes a number as a whole number.
func whole(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return dash
	}
	return fmt.Sprintf("%.0f", x)
}

func (r *Report) pct(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return dash
	}
	return r.T("report.percent", "N", whole(100*share))
}

// span writes an index interval, clamped to 0–100.
func span(iv analysis.Interval) string {
	if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) {
		return dash
	}
	return whole(math.Max(0, iv.Lo)) + "–" + whole(math.Min(100, iv.Hi))
}

// date writes a local date (YYYY-MM-DD) as the language does.
func (r *Report) date(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	if r.Lang == "en" {
		return d.Format("2 January 2006")
	}
	return fmt.Sprintf("%d.%d.%d", d.Day(), int(d.Month()), d.Year())
}

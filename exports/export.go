// Package exports writes a wave's results as Excel workbooks and CSV files
// for analysts, BI tools and the council's papers. Everything aggregated
// comes from analysis.Results, which has already suppressed small groups,
// and free text only as reviewed (analysis.ReviewedTexts): an export can
// show nothing a dashboard hides. Answers are read with one pass of a
// cursor and written a row at a time, so memory does not grow with the
// number of answers.
package exports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// Options say what one export holds and for whom.
type Options struct {
	// Unit limits the export to one unit (compared with the municipality);
	// empty means every unit of the wave.
	Unit string
	// Lang is the language of headers, labels and question texts: one of
	// Languages (headers in English where Stemme has no export messages).
	Lang string
	// Raw includes the answers row by row (the Rådata sheet): only for
	// roles that may see individual answers (admins and advisors).
	Raw bool
	// Actor is who exported, as the Om eksporten sheet names them.
	Actor string
	Now   time.Time
}

// ErrUnknownUnit means the unit asked for is not one of the wave's.
var ErrUnknownUnit = errors.New("exports: the unit is not part of the wave")

// Export is one prepared export of one wave: the results are loaded and
// checked, the answers are read only when written.
type Export struct {
	db    *mongo.Database
	r     *analysis.Results
	opt   Options
	l     labels
	names map[string]string
	texts []analysis.Text
	// pending, when set, waits for the reviewed text Prepare is reading.
	pending func() error
	// groups are the units in the export: the municipality first, then
	// the wave's units (or the one unit asked for).
	groups []string
}

// Prepare readies an export of a wave's results, as the results service
// gave them to the reader exporting (analysis.Service.View), with its
// units' names and its reviewed free text. ctx must last while the export
// is written: the free text is read meanwhile.
func Prepare(ctx context.Context, db *mongo.Database, bundle *i18n.Bundle, r *analysis.Results, opt Options) (*Export, error) {
	if opt.Unit != "" && !slices.Contains(r.Units, opt.Unit) {
		return nil, ErrUnknownUnit
	}
	if opt.Lang != "" && !slices.Contains(Languages(r.Instrument), opt.Lang) {
		return nil, ErrLanguage
	}
	units, err := surveys.NewStore(db).Units(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	e, err := New(db, r, names, nil, bundle, opt)
	if err != nil {
		return nil, err
	}
	// Reviewed text is needed only for the last sheet; reading it (the
	// store scans every free-text answer) overlaps with writing the others.
	type loaded struct {
		texts []analysis.Text
		err   error
	}
	ready := make(chan loaded, 1)
	go func() {
		texts, err := analysis.ReviewedTexts(ctx, db, r, opt.Unit)
		ready <- loaded{texts, err}
	}()
	e.pending = func() error {
		l := <-ready
		e.texts = l.texts
		e.sortTexts()
		return l.err
	}
	return e, nil
}

// reviewedTexts waits for the reviewed text Prepare is reading, once.
func (e *Export) reviewedTexts() error {
	if e.pending == nil {
		return nil
	}
	wait := e.pending
	e.pending = nil
	return wait()
}

// New prepares an export of results already computed; texts must be what
// analysis.ReviewedTexts returned for them.
func New(db *mongo.Database, r *analysis.Results, names map[string]string, texts []analysis.Text,
	bundle *i18n.Bundle, opt Options) (*Export, error) {
	if opt.Unit != "" && !slices.Contains(r.Units, opt.Unit) {
		return nil, ErrUnknownUnit
	}
	if opt.Lang == "" {
		opt.Lang = "nb"
	}
	if !slices.Contains(Languages(r.Instrument), opt.Lang) {
		return nil, ErrLanguage
	}
	e := &Export{db: db, r: r, opt: opt, l: newLabels(bundle, opt.Lang), names: names, texts: texts}
	// The units the reader may see: the results hold only those groups.
	e.groups = []string{analysis.Municipality}
	for _, u := range r.Units {
		if _, ok := r.Groups[analysis.GroupKey{Unit: u}]; ok {
			e.groups = append(e.groups, u)
		}
	}
	if opt.Unit != "" {
		e.groups = []string{analysis.Municipality, opt.Unit}
	}
	e.sortTexts()
	return e, nil
}

// Results are the suppressed results the export shows.
func (e *Export) Results() *analysis.Results { return e.r }

// RawRows is how many rows the raw data will have: the respondents of the
// shown units in the export. Only shown groups are counted, so the number
// reveals nothing the summary does not.
func (e *Export) RawRows() int64 {
	var n int64
	for _, u := range e.groups[1:] {
		if g := e.r.Group(u, analysis.AllSegment, ""); !g.Hidden {
			n += g.Respondents
		}
	}
	return n
}

// unitName names a unit, or the municipality for analysis.Municipality.
func (e *Export) unitName(u string) string {
	if u == analysis.Municipality {
		return e.l.t("export.value.municipality")
	}
	if n := e.names[u]; n != "" {
		return n
	}
	return u
}

// inScope reports whether answers of a unit may be written row by row: the
// unit is in the export and its results are shown (a unit hidden for its
// size, or to protect another, gets no rows).
func (e *Export) inScope(unit string) bool {
	if !slices.Contains(e.groups[1:], unit) {
		return false
	}
	return !e.r.Group(unit, analysis.AllSegment, "").Hidden
}

func (e *Export) sortTexts() {
	order := map[string]int{}
	for i, q := range e.r.Instrument.Questions() {
		order[q.Key] = i
	}
	slices.SortStableFunc(e.texts, func(a, b analysis.Text) int {
		if d := slices.Index(e.r.Units, a.Unit) - slices.Index(e.r.Units, b.Unit); d != 0 {
			return d
		}
		if d := order[a.Question] - order[b.Question]; d != 0 {
			return d
		}
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}

// FileName is a name for the downloaded file: wave, unit and extension.
func (e *Export) FileName(kind, ext string) string {
	name := "stemme-" + e.r.Wave.ID
	if e.opt.Unit != "" {
		name += "-" + e.opt.Unit
	}
	if kind != "" {
		name += "-" + kind
	}
	return safeName(name) + "." + ext
}

// safeName keeps a file name to letters, digits, "-" and "_", so it needs
// no quoting in a Content-Disposition header or a shell.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("exports: unable to write %s: %w", what, err)
}

// errNoRaw means raw data was asked of an export prepared without it.
var errNoRaw = errors.New("exports: raw data is not part of this export")

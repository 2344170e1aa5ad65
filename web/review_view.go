package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

// reviewFilter is the queue's filter as the form and links carry it.
type reviewFilter struct {
	Wave, Unit, Status, Source string
	Flagged                    bool
	Page                       int
}

// parseReviewFilter reads a filter from query values, keeping only what is
// valid; bad reports whether anything had to be dropped. Pending texts are
// the default: that is the reviewer's work.
func parseReviewFilter(q url.Values, waves, units map[string]bool) (f reviewFilter, bad bool) {
	f = reviewFilter{Status: analysis.TextPending, Page: 1}
	if w := q.Get("wave"); w != "" {
		if waves[w] {
			f.Wave = w
		} else {
			bad = true
		}
	}
	if u := q.Get("unit"); u != "" {
		if units[u] {
			f.Unit = u
		} else {
			bad = true
		}
	}
	switch s := q.Get("status"); {
	case s == "all":
		f.Status = ""
	case slices.Contains(analysis.TextStatuses, s):
		f.Status = s
	case s != "":
		bad = true
	}
	switch s := q.Get("source"); s {
	case "", analysis.SourceSurvey, analysis.SourceFeedback:
		f.Source = s
	default:
		bad = true
	}
	f.Flagged = q.Get("flagged") == "1"
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			bad = true
		} else {
			f.Page = n
		}
	}
	return f, bad
}

// query encodes the filter for links, with page replaced.
func (f reviewFilter) query(page int) string {
	v := url.Values{}
	if f.Wave != "" {
		v.Set("wave", f.Wave)
	}
	if f.Unit != "" {
		v.Set("unit", f.Unit)
	}
	if f.Status == "" {
		v.Set("status", "all")
	} else {
		v.Set("status", f.Status)
	}
	if f.Source != "" {
		v.Set("source", f.Source)
	}
	if f.Flagged {
		v.Set("flagged", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v.Encode()
}

func (f reviewFilter) domain() analysis.QueueFilter {
	return analysis.QueueFilter{Wave: f.Wave, Unit: f.Unit, Status: f.Status, Source: f.Source, Flagged: f.Flagged, Page: f.Page}
}

// reviewItemView is one text with its context and decision form.
type reviewItemView struct {
	analysis.QueueItem
	P                                           *page
	WaveName, UnitName, QuestionText, FocusName string
	LangName, TextDir                           string
	Pieces                                      []analysis.Piece
	RedactedPieces                              []analysis.Piece
	// Prefill is the redaction form's text: the stored redaction, what the
	// reviewer typed, or the text with flagged parts replaced.
	Prefill string
	// Back is the queue's query, to return to after a decision.
	Back  string
	Error string
}

// FormID makes element ids unique per text on a page.
func (v reviewItemView) FormID() string { return v.Source + "-" + v.ID }

// reviewContext resolves names for queue items, caching instruments by wave.
type reviewContext struct {
	h      *handler
	ctx    context.Context
	p      *page
	units  unitIndex
	waves  map[string]*surveys.Wave
	instrs map[string]*surveys.Instrument
}

func (h *handler) newReviewContext(ctx context.Context, p *page, units unitIndex, waves []surveys.Wave) *reviewContext {
	rc := &reviewContext{h: h, ctx: ctx, p: p, units: units, waves: map[string]*surveys.Wave{}, instrs: map[string]*surveys.Instrument{}}
	for i := range waves {
		rc.waves[waves[i].ID] = &waves[i]
	}
	return rc
}

func (rc *reviewContext) instrument(wave string) *surveys.Instrument {
	w := rc.waves[wave]
	if w == nil {
		return nil
	}
	if in, ok := rc.instrs[w.Instrument]; ok {
		return in
	}
	in, err := rc.h.surveys.Instrument(rc.ctx, w.Instrument)
	if err != nil {
		in = nil // names fall back to keys; the text is what matters
	}
	rc.instrs[w.Instrument] = in
	return in
}

func (rc *reviewContext) view(it analysis.QueueItem, back string) reviewItemView {
	p := rc.p
	v := reviewItemView{QueueItem: it, P: p, UnitName: unitLabel(p, rc.units, it.Unit), Back: back,
		Pieces: analysis.Pieces(it.Text), QuestionText: it.Question, FocusName: it.Focus, LangName: it.Lang, TextDir: "ltr"}
	if it.Status == analysis.TextRedacted {
		v.RedactedPieces = analysis.Pieces(it.Redacted)
		v.Prefill = it.Redacted
	} else {
		v.Prefill = analysis.Redact(it.Text, p.T("review.placeholder"))
	}
	for _, l := range locales.All {
		if l.Code == it.Lang {
			v.LangName, v.TextDir = l.Name, dir(l.RTL)
		}
	}
	if it.Source == analysis.SourceFeedback {
		v.QuestionText = p.T("review.feedback_question")
		if it.Focus != "" {
			v.FocusName = feedback.FocusName(it.Focus, p.Lang)
		}
		return v
	}
	if w := rc.waves[it.Wave]; w != nil {
		v.WaveName = w.Name
	}
	if in := rc.instrument(it.Wave); in != nil {
		if q, ok := in.Question(it.Question); ok {
			v.QuestionText = q.Text.In(p.Lang)
		}
		if it.Focus != "" {
			v.FocusName = in.FocusAreaName(it.Focus, p.Lang)
		}
	}
	return v
}

// BackURL is the queue the text was opened from.
func (v reviewItemView) BackURL() string { return "/admin/review?" + v.Back }

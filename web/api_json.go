package web

import (
	"math"
	"strconv"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// jnum is a number in API JSON: NaN ("unknown" in analysis) and infinities
// become null, which encoding/json would otherwise refuse.
type jnum float64

func (x jnum) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'f', -1, 64), nil
}

// round keeps places decimals: means and intervals 2, indices 1, shares 3.
func round(x float64, places int) jnum {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return jnum(x)
	}
	p := math.Pow10(places)
	return jnum(math.Round(x*p) / p)
}

var unknown = jnum(math.NaN())

// apiSuppressed stands for a hidden group or item: it names the cell and
// says it is suppressed, and carries no number at all.
type apiSuppressed struct {
	Unit       *string `json:"unit,omitempty"`
	Segment    *string `json:"segment,omitempty"`
	Value      *string `json:"value,omitempty"`
	Key        string  `json:"key,omitempty"`
	Suppressed bool    `json:"suppressed"`
}

type apiGroup struct {
	Unit         *string `json:"unit"`
	Segment      *string `json:"segment"`
	Value        *string `json:"value"`
	Label        string  `json:"label,omitempty"`
	Suppressed   bool    `json:"suppressed"`
	Respondents  int64   `json:"respondents"`
	ResponseRate jnum    `json:"response_rate"`
	FocusAreas   []any   `json:"focus_areas,omitempty"`
	Items        []any   `json:"items,omitempty"`
}

type apiStats struct {
	Key           string         `json:"key"`
	Name          string         `json:"name,omitempty"`
	FocusArea     string         `json:"focus_area,omitempty"`
	Suppressed    bool           `json:"suppressed"`
	N             int64          `json:"n"`
	Valid         int64          `json:"valid"`
	DontKnow      int64          `json:"dont_know"`
	Mean          jnum           `json:"mean"`
	MeanLow       jnum           `json:"mean_low"`
	MeanHigh      jnum           `json:"mean_high"`
	Index         jnum           `json:"index"`
	IndexLow      jnum           `json:"index_low"`
	IndexHigh     jnum           `json:"index_high"`
	SharePositive jnum           `json:"share_positive"`
	ShareDontKnow jnum           `json:"share_dont_know"`
	Distribution  []apiCount     `json:"distribution,omitempty"`
	VsRest        *apiComparison `json:"vs_rest"`
	VsPrevious    *apiComparison `json:"vs_previous"`
}

type apiCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
	Share jnum   `json:"share"`
}

type apiComparison struct {
	OtherIndex     jnum `json:"other_index"`
	OtherIndexLow  jnum `json:"other_index_low"`
	OtherIndexHigh jnum `json:"other_index_high"`
	// Diff is in index points (0–100), like other_index; DiffMean on the
	// answer scale (1–6), which the t-test is of.
	Diff        jnum `json:"diff"`
	DiffMean    jnum `json:"diff_mean"`
	T           jnum `json:"t"`
	DF          jnum `json:"df"`
	P           jnum `json:"p"`
	Significant bool `json:"significant"`
}

func comparison(c *analysis.Comparison) *apiComparison {
	if c == nil {
		return nil
	}
	return &apiComparison{OtherIndex: round(c.Other.Mean, 1), OtherIndexLow: round(c.Other.Lo, 1), OtherIndexHigh: round(c.Other.Hi, 1),
		Diff: round(c.Test.Diff*100/(analysis.ScaleMax-analysis.ScaleMin), 1), DiffMean: round(c.Test.Diff, 2),
		T: round(c.Test.T, 3), DF: round(c.Test.DF, 1), P: round(c.Test.P, 4), Significant: c.Test.Significant}
}

// stats turns one item into JSON, or a bare suppressed marker when hidden.
// scale is false for number questions, whose index and shares mean nothing.
func stats(key, name, focus string, it *analysis.Item, scale bool) any {
	if it == nil || it.Hidden {
		return apiSuppressed{Key: key, Suppressed: true}
	}
	s := apiStats{Key: key, Name: name, FocusArea: focus, N: it.N, Valid: it.Valid, DontKnow: it.DontKnow,
		Mean: round(it.Mean.Mean, 2), MeanLow: round(it.Mean.Lo, 2), MeanHigh: round(it.Mean.Hi, 2),
		Index: unknown, IndexLow: unknown, IndexHigh: unknown, SharePositive: unknown, ShareDontKnow: round(it.DontKnowShare, 3),
		VsRest: comparison(it.VsRest), VsPrevious: comparison(it.VsPrevious)}
	if scale {
		s.Index, s.IndexLow, s.IndexHigh = round(it.Index.Mean, 1), round(it.Index.Lo, 1), round(it.Index.Hi, 1)
		s.SharePositive = round(it.Positive, 3)
	}
	for _, d := range it.Dist {
		s.Distribution = append(s.Distribution, apiCount{Value: d.Value, Count: d.Count, Share: round(d.Share, 3)})
	}
	return s
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// apiGroupOf describes a group: its focus areas and/or items as asked.
// item limits the items to one question ("" for all).
func apiGroupOf(r *analysis.Results, g *analysis.Group, lang, label string, focus, items bool, item string) any {
	unit, seg, val := strp(g.Key.Unit), strp(g.Key.Segment), strp(g.Key.Value)
	if g.Hidden {
		return apiSuppressed{Unit: unit, Segment: seg, Value: val, Suppressed: true}
	}
	out := apiGroup{Unit: unit, Segment: seg, Value: val, Label: label, Respondents: g.Respondents, ResponseRate: round(g.Rate, 3)}
	in := r.Instrument
	if focus {
		out.FocusAreas = []any{}
		for _, f := range in.FocusAreas {
			out.FocusAreas = append(out.FocusAreas, stats(f.Key, f.Name.In(lang), "", g.Focus[f.Key], true))
		}
	}
	if items {
		out.Items = []any{}
		for _, q := range in.Questions() {
			if (item != "" && q.Key != item) || (q.Type != surveys.TypeScale && q.Type != surveys.TypeNumber) {
				continue
			}
			out.Items = append(out.Items, stats(q.Key, q.Text.In(lang), q.FocusArea, g.Items[q.Key], q.Type == surveys.TypeScale))
		}
	}
	return out
}

package surveys

import (
	"fmt"
	"slices"
	"strings"
)

// Every translatable text of an instrument has a stable id that survives
// moves and additions ("question.informed.text", "choice.scale.dk"), so a
// translator's file and a stale mark keep pointing at the same text while
// the draft is edited, and a place in Validate's terms
// ("pages[0].questions[1] (informed).text") for messages.

// TextRef is one translatable text of an instrument.
type TextRef struct {
	ID, Where string
	Text      Text
	// Required texts are needed in every language; optional ones in every
	// language once one has them (see checkText).
	Required, Long bool
}

// TextRefs lists every text of the instrument in the order an author reads them.
func (in *Instrument) TextRefs() []TextRef {
	refs := []TextRef{{ID: "title", Where: "title", Text: in.Title, Required: true},
		{ID: "intro", Where: "intro", Text: in.Intro, Long: true}}
	for i, f := range in.FocusAreas {
		refs = append(refs, TextRef{ID: "focus_area." + f.Key, Where: fmt.Sprintf("focus_areas[%d].name", i), Text: f.Name, Required: true})
	}
	for i, l := range in.Lists {
		for j, c := range l.Choices {
			refs = append(refs, TextRef{ID: "choice." + l.Name + "." + c.Value,
				Where: fmt.Sprintf("lists[%d].choices[%d].label", i, j), Text: c.Label, Required: true})
		}
	}
	for pi, p := range in.Pages {
		pw := fmt.Sprintf("pages[%d]", pi)
		refs = append(refs, TextRef{ID: "page." + p.Key + ".title", Where: pw + ".title", Text: p.Title})
		for qi, q := range p.Questions {
			where, id := fmt.Sprintf("%s.questions[%d] (%s)", pw, qi, q.Key), "question."+q.Key
			refs = append(refs, TextRef{ID: id + ".text", Where: where + ".text", Text: q.Text, Required: true, Long: true},
				TextRef{ID: id + ".help", Where: where + ".help", Text: q.Help, Long: true},
				TextRef{ID: id + ".constraint_msg", Where: where + ".constraint_msg", Text: q.ConstraintMsg})
		}
	}
	return refs
}

// TextRef finds a text by its id.
func (in *Instrument) TextRef(id string) (TextRef, bool) {
	for _, r := range in.TextRefs() {
		if r.ID == id {
			return r, true
		}
	}
	return TextRef{}, false
}

// StaleText is a translation made before its source text last changed.
type StaleText struct {
	Lang string `bson:"lang" json:"lang"`
	ID   string `bson:"id" json:"id"`
}

// IsStale reports whether the translation of the text id into lang waits
// for a person to update or confirm it.
func (in *Instrument) IsStale(lang, id string) bool {
	return slices.Contains(in.Stale, StaleText{Lang: lang, ID: id})
}

// StaleTexts lists, in Validate's terms, the texts whose translation into
// lang is stale.
func (in *Instrument) StaleTexts(lang string) []string {
	var out []string
	for _, r := range in.TextRefs() {
		if in.IsStale(lang, r.ID) && r.Text[lang] != "" {
			out = append(out, r.Where)
		}
	}
	return out
}

// textChanged records an edit of the text id from old to new: a language
// whose words changed goes back to draft, since a reviewer approved the old
// ones, and has its stale mark cleared, since someone just wrote it. When
// the source text changed, every other language that kept its old words
// is marked stale.
func (in *Instrument) textChanged(id string, old, new Text) {
	src := in.SourceLanguage()
	// A source text emptied is missing, not changed: nothing to check against.
	sourceChanged := old[src] != new[src] && old[src] != "" && new[src] != ""
	for i, l := range in.Languages {
		switch {
		case old[l.Code] != new[l.Code]:
			in.Languages[i].Status = StatusDraft
			in.ConfirmTranslation(l.Code, id)
		case sourceChanged && l.Code != src && new[l.Code] != "" && !in.IsStale(l.Code, id):
			in.Stale = append(in.Stale, StaleText{Lang: l.Code, ID: id})
			in.Languages[i].Status = StatusDraft
		}
	}
}

// ConfirmTranslation clears the stale mark of one translation: a person
// has checked that it still says what the source says.
func (in *Instrument) ConfirmTranslation(lang, id string) {
	in.Stale = slices.DeleteFunc(in.Stale, func(s StaleText) bool { return s.Lang == lang && s.ID == id })
	if len(in.Stale) == 0 {
		in.Stale = nil
	}
}

// renameTexts moves stale marks when a question, list or page key changes,
// so they keep following their text.
func (in *Instrument) renameTexts(oldPrefix, newPrefix string) {
	if oldPrefix == newPrefix {
		return
	}
	for i, s := range in.Stale {
		if rest, ok := strings.CutPrefix(s.ID, oldPrefix); ok {
			in.Stale[i].ID = newPrefix + rest
		}
	}
}

// pruneStale drops stale marks of texts that no longer exist or are empty
// and of languages the instrument no longer has.
func (in *Instrument) pruneStale() {
	live := map[string]Text{}
	for _, r := range in.TextRefs() {
		live[r.ID] = r.Text
	}
	in.Stale = slices.DeleteFunc(in.Stale, func(s StaleText) bool {
		return !in.HasLanguage(s.Lang) || live[s.ID][s.Lang] == ""
	})
	if len(in.Stale) == 0 {
		in.Stale = nil
	}
}

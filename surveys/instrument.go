// Package surveys holds what is asked, of whom and when: instruments,
// focus areas, units, waves, links and the responses relatives give.
package surveys

import (
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"
)

// Languages the built-in material (instruments, survey pages, feedback
// form) ships in, in the order the picker shows them. An instrument may be
// written in any other language too (see languages.go).
var Languages = []string{"nb", "nn", "en", "pl", "ar", "so", "ti", "uk", "ur"}

// Text is a string per language code.
type Text map[string]string

// In returns the text in lang, falling back to nb, then to the built-in
// languages in order and then to any language in code order, so a missing
// translation never shows an empty label and always the same one.
func (t Text) In(lang string) string {
	s, _ := t.InWith(lang)
	return s
}

// InWith is In that also names the language of the text returned, so a
// fallback can be marked up in its own language.
func (t Text) InWith(lang string) (text, in string) {
	if s := t[lang]; s != "" {
		return s, lang
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return s, l
		}
	}
	codes := make([]string, 0, len(t))
	for l, s := range t {
		if s != "" {
			codes = append(codes, l)
		}
	}
	if len(codes) == 0 {
		return "", ""
	}
	slices.Sort(codes)
	return t[codes[0]], codes[0]
}

// QuestionType is what kind of answer a question takes.
type QuestionType string

// Question types. Scale is the 1–6 scale with "Vet ikke / ikke aktuelt".
const (
	TypeScale    QuestionType = "scale"
	TypeSingle   QuestionType = "single"
	TypeMulti    QuestionType = "multi"
	TypeYesNo    QuestionType = "yesno"
	TypeNumber   QuestionType = "number"
	TypeText     QuestionType = "text"
	TypeLongText QuestionType = "longtext"
	TypeInfo     QuestionType = "info"
)

// DontKnow is the stored value of "Vet ikke / ikke aktuelt" on a scale item.
const DontKnow = "dk"

// Translation status of one language of an instrument.
const (
	StatusDraft    = "draft"
	StatusReviewed = "reviewed"
)

// Segment keys: background questions whose answers split results.
var SegmentKeys = []string{"relation", "age_group", "duration", "service_type"}

// Choice is one option of a choice list.
type Choice struct {
	Value string `bson:"value" json:"value"`
	Label Text   `bson:"label" json:"label"`
	// Filter holds the choice's values in the columns choice filters read
	// (XLSForm's cascading selects: a county column on each town).
	Filter map[string]string `bson:"filter,omitempty" json:"filter,omitempty"`
}

// ChoiceList is a named list of options shared by questions, as in XLSForm's choices sheet.
type ChoiceList struct {
	Name    string   `bson:"name" json:"name"`
	Choices []Choice `bson:"choices" json:"choices"`
}

// Question is one item of an instrument.
type Question struct {
	Key       string       `bson:"key" json:"key"`
	Type      QuestionType `bson:"type" json:"type"`
	FocusArea string       `bson:"focus_area,omitempty" json:"focus_area,omitempty"`
	// Segment names the background variable this question defines, if any.
	Segment  string `bson:"segment,omitempty" json:"segment,omitempty"`
	Text     Text   `bson:"text" json:"text"`
	Help     Text   `bson:"help,omitempty" json:"help,omitempty"`
	Required bool   `bson:"required,omitempty" json:"required,omitempty"`
	// List names the choice list of scale, single and multi questions.
	List string `bson:"list,omitempty" json:"list,omitempty"`
	// ShowIf is an XLSForm-style "relevant" expression on earlier answers.
	ShowIf string `bson:"show_if,omitempty" json:"show_if,omitempty"`
	// RequiredIf makes the question required when it holds (XLSForm's
	// required with an expression); Required makes it required always.
	RequiredIf string `bson:"required_if,omitempty" json:"required_if,omitempty"`
	// Constraint must hold for an answer to be accepted; "." is the answer
	// (see ParseConstraint). ConstraintMsg says why, per language; without
	// it the survey page says so in general words.
	Constraint    string `bson:"constraint,omitempty" json:"constraint,omitempty"`
	ConstraintMsg Text   `bson:"constraint_msg,omitempty" json:"constraint_msg,omitempty"`
	// ChoiceFilter keeps the choices of the list for which it holds (see
	// ParseChoiceFilter): XLSForm's choice_filter.
	ChoiceFilter string   `bson:"choice_filter,omitempty" json:"choice_filter,omitempty"`
	Min          *float64 `bson:"min,omitempty" json:"min,omitempty"`
	Max          *float64 `bson:"max,omitempty" json:"max,omitempty"`
}

// Page is one screen of the form.
type Page struct {
	Key       string     `bson:"key" json:"key"`
	Title     Text       `bson:"title" json:"title"`
	Questions []Question `bson:"questions" json:"questions"`
}

// FocusArea (innsatsområde) groups questions and actions.
type FocusArea struct {
	Key  string `bson:"key" json:"key"`
	Name Text   `bson:"name" json:"name"`
}

// LanguageStatus is one language of an instrument: its BCP 47 code,
// whether a person has reviewed it, and the name and direction the
// advisor gave it when they differ from what Language knows.
type LanguageStatus struct {
	Code   string `bson:"code" json:"code"`
	Status string `bson:"status" json:"status"`
	// Name is the language's name in itself; empty means Language(Code).Name.
	Name string `bson:"name,omitempty" json:"name,omitempty"`
	// Dir is "rtl" or "ltr"; empty means Language(Code)'s direction.
	Dir string `bson:"dir,omitempty" json:"dir,omitempty"`
}

// Instrument is one version of a questionnaire.
type Instrument struct {
	ID         string           `bson:"_id" json:"-"`
	Key        string           `bson:"key" json:"key"`
	Version    int              `bson:"version" json:"version"`
	Status     string           `bson:"status" json:"-"`
	Audience   string           `bson:"audience,omitempty" json:"audience,omitempty"`
	Title      Text             `bson:"title" json:"title"`
	Intro      Text             `bson:"intro,omitempty" json:"intro,omitempty"`
	Languages  []LanguageStatus `bson:"languages" json:"languages"`
	FocusAreas []FocusArea      `bson:"focus_areas" json:"focus_areas"`
	Lists      []ChoiceList     `bson:"lists" json:"lists"`
	Pages      []Page           `bson:"pages" json:"pages"`
	// Stale lists translations made before their source text last
	// changed: such a language is not complete until a person has
	// updated or confirmed each of them.
	Stale []StaleText `bson:"stale,omitempty" json:"stale,omitempty"`
	// Rev counts the saved edits of a draft, so that two advisors editing
	// at once cannot overwrite each other unnoticed (see EditDraft).
	Rev int `bson:"rev,omitempty" json:"-"`
}

// Instrument statuses.
const (
	InstrumentDraft     = "draft"
	InstrumentPublished = "published"
)

// InstrumentID is the store id of a version: "key@version".
func InstrumentID(key string, version int) string { return fmt.Sprintf("%s@%d", key, version) }

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ValidKey reports whether s may be used as a question, list or focus-area key
// (also safe as a field name in the store).
func ValidKey(s string) bool { return keyPattern.MatchString(s) }

var choiceValuePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_]{0,63}$`)

// ContentLanguage is the language the instrument's texts are shown in for a
// reader who chose lang: lang itself when offered, otherwise the
// instrument's first language.
func (in *Instrument) ContentLanguage(lang string) string {
	if in.HasLanguage(lang) || len(in.Languages) == 0 {
		return lang
	}
	return in.Languages[0].Code
}

// LanguageInfo describes one of the instrument's languages with the name
// and direction the advisor gave it; any other code is described by Language.
func (in *Instrument) LanguageInfo(code string) LanguageInfo {
	info := Language(code)
	for _, l := range in.Languages {
		if l.Code != code {
			continue
		}
		if l.Name != "" {
			info.Name = l.Name
		}
		if l.Dir != "" {
			info.RTL = l.Dir == "rtl"
		}
	}
	return info
}

// LanguageCodes returns the instrument's language codes.
func (in *Instrument) LanguageCodes() []string {
	codes := make([]string, len(in.Languages))
	for i, l := range in.Languages {
		codes[i] = l.Code
	}
	return codes
}

// HasLanguage reports whether the instrument is offered in lang.
func (in *Instrument) HasLanguage(lang string) bool {
	for _, l := range in.Languages {
		if l.Code == lang {
			return true
		}
	}
	return false
}

// List returns the named choice list.
func (in *Instrument) List(name string) (ChoiceList, bool) {
	for _, l := range in.Lists {
		if l.Name == name {
			return l, true
		}
	}
	return ChoiceList{}, false
}

// Questions yields every question in page order, numbered from 0. It
// copies nothing: a form's every request walks the questions several
// times, and a slice of them was a tenth of a page step's allocations.
func (in *Instrument) Questions() iter.Seq2[int, Question] {
	return func(yield func(int, Question) bool) {
		i := 0
		for _, p := range in.Pages {
			for _, q := range p.Questions {
				if !yield(i, q) {
					return
				}
				i++
			}
		}
	}
}

// QuestionCount is the number of questions on all pages.
func (in *Instrument) QuestionCount() int {
	n := 0
	for _, p := range in.Pages {
		n += len(p.Questions)
	}
	return n
}

// Question returns the question with the key.
func (in *Instrument) Question(key string) (Question, bool) {
	for _, p := range in.Pages {
		for _, q := range p.Questions {
			if q.Key == key {
				return q, true
			}
		}
	}
	return Question{}, false
}

// FocusAreaName returns the name of a focus area in lang.
func (in *Instrument) FocusAreaName(key, lang string) string {
	for _, f := range in.FocusAreas {
		if f.Key == key {
			return f.Name.In(lang)
		}
	}
	return key
}

// Problem is one thing wrong with an instrument; Where locates it for the author.
type Problem struct {
	Where string
	// What is the problem in English, for the command line and the logs.
	What string
	// Lang is set when the problem is a missing translation in that language.
	Lang string
	// ID names the problem for a translated message (see problemid.go),
	// and Args fill that message's placeholders. A problem without an ID
	// can only be shown as What.
	ID   string
	Args map[string]any
}

func (p Problem) Error() string { return p.Where + ": " + p.What }

// Problems collects every problem found, so an author sees all of them at once.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Error()
	}
	return strings.Join(s, "; ")
}

func (ps *Problems) add(where, format string, args ...any) {
	*ps = append(*ps, Problem{Where: where, What: fmt.Sprintf(format, args...)})
}

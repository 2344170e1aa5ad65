package surveys_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// completeInstrument is smallInstrument without its incomplete language.
func completeInstrument() *surveys.Instrument {
	in := smallInstrument()
	in.Languages = in.Languages[:2]
	return in
}

// smallInstrument is complete in nb and nn and lacks two texts in en.
func smallInstrument() *surveys.Instrument {
	scale := surveys.ChoiceList{Name: "scale"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", surveys.DontKnow} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: surveys.Text{"nb": v, "nn": v, "en": v}})
	}
	return &surveys.Instrument{
		ID: "small@1", Key: "small", Version: 1, Status: surveys.InstrumentPublished,
		Title: surveys.Text{"nb": "Liten", "nn": "Lita", "en": "Small"},
		Languages: []surveys.LanguageStatus{
			{Code: "nb", Status: surveys.StatusReviewed}, {Code: "nn", Status: surveys.StatusDraft}, {Code: "en", Status: surveys.StatusDraft},
		},
		FocusAreas: []surveys.FocusArea{{Key: "information", Name: surveys.Text{"nb": "Informasjon", "nn": "Informasjon", "en": "Information"}}},
		Lists:      []surveys.ChoiceList{scale},
		Pages: []surveys.Page{{Key: "p1", Questions: []surveys.Question{
			{Key: "informed", Type: surveys.TypeScale, FocusArea: "information", List: "scale",
				Text: surveys.Text{"nb": "Får du informasjon?", "nn": "Får du informasjon?"},
				Help: surveys.Text{"nb": "Tenk på siste år.", "nn": "Tenk på siste år."}},
			{Key: "other", Type: surveys.TypeLongText, Text: surveys.Text{"nb": "Annet?", "nn": "Anna?", "en": "Other?"}},
		}}},
	}
}

func TestMissingTexts(t *testing.T) {
	in := smallInstrument()
	tests := []struct {
		lang string
		want []string
	}{
		{"nb", nil},
		{"nn", nil},
		{"en", []string{"pages[0].questions[0] (informed).text", "pages[0].questions[0] (informed).help"}},
		// A language the instrument has not begun lacks every required text.
		{"pl", nil},
	}
	for _, tt := range tests {
		got := in.MissingTexts(tt.lang)
		if tt.lang == "pl" {
			if len(got) != 1+1+7+2+1 { // title, focus area, 7 choices, 2 questions, 1 help
				t.Errorf("pl: %d missing, want 12: %v", len(got), got)
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: missing %q, want %q", tt.lang, got, tt.want)
		}
	}
	ts := in.Translations()
	if len(ts) != 3 || !ts[0].Complete || !ts[1].Complete || ts[2].Complete || len(ts[2].Missing) != 2 || ts[0].Status != surveys.StatusReviewed {
		t.Errorf("translations %+v", ts)
	}
}

func TestValidateLanguages(t *testing.T) {
	in := smallInstrument()
	tests := []struct {
		langs []string
		want  string // "" for valid
	}{
		{[]string{"nb", "nn"}, ""},
		{[]string{"nb"}, ""},
		{[]string{"nb", "en"}, "missing text in en"},
		{[]string{"nb", "pl"}, `not offered in "pl"`},
		{nil, "at least one language"},
	}
	for _, tt := range tests {
		err := in.ValidateLanguages(tt.langs)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("ValidateLanguages(%v) = %v, want %q", tt.langs, err, tt.want)
		}
		var ps surveys.Problems
		if err != nil && !errors.As(err, &ps) {
			t.Errorf("ValidateLanguages(%v) did not return Problems: %T", tt.langs, err)
		}
	}
	if len(in.Languages) != 3 {
		t.Error("ValidateLanguages changed the instrument's languages")
	}
}

func TestBuiltinInstrumentsAreCompleteInEveryLanguage(t *testing.T) {
	ins, err := builtin.Instruments()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		for _, ts := range in.Translations() {
			if !ts.Complete {
				t.Errorf("%s lacks %d texts in %s: %v", in.ID, len(ts.Missing), ts.Code, ts.Missing)
			}
		}
	}
}

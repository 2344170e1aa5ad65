package surveys

import (
	"errors"
	"testing"
)

func TestDraftsMayLackTranslationsButNotStructure(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*Instrument)
		draftOK   bool
		publishOK bool
		missingIn string
	}{
		{"complete", func(*Instrument) {}, true, true, ""},
		{"an English question text missing", func(in *Instrument) { delete(in.Pages[0].Questions[0].Text, "en") }, true, false, "en"},
		{"a bad key", func(in *Instrument) { in.Pages[0].Questions[0].Key = "Bad Key" }, false, false, ""},
		{"an unknown list and a missing text", func(in *Instrument) {
			in.Pages[0].Questions[0].List = "nope"
			delete(in.Title, "en")
		}, false, false, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fuzzInstrument()
			in.Languages = append(in.Languages, LanguageStatus{Code: "en", Status: StatusDraft})
			addEnglish(in)
			tt.edit(in)
			if err := in.ValidateDraft(); (err == nil) != tt.draftOK {
				t.Errorf("ValidateDraft: %v, want ok=%v", err, tt.draftOK)
			}
			err := in.Validate()
			if (err == nil) != tt.publishOK {
				t.Errorf("Validate: %v, want ok=%v", err, tt.publishOK)
			}
			var ps Problems
			if tt.missingIn != "" && (!errors.As(err, &ps) || !hasMissing(ps, tt.missingIn)) {
				t.Errorf("Validate does not report the missing %s text: %v", tt.missingIn, err)
			}
		})
	}
}

func hasMissing(ps Problems, lang string) bool {
	for _, p := range ps {
		if p.Lang == lang {
			return true
		}
	}
	return false
}

// addEnglish copies every bokmål text to English, so the instrument is complete in both.
func addEnglish(in *Instrument) {
	copyText := func(t Text) {
		if v, ok := t["nb"]; ok {
			t["en"] = v
		}
	}
	copyText(in.Title)
	for _, f := range in.FocusAreas {
		copyText(f.Name)
	}
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			copyText(c.Label)
		}
	}
	for _, p := range in.Pages {
		copyText(p.Title)
		for _, q := range p.Questions {
			copyText(q.Text)
		}
	}
}

func TestDraftMustBeCompleteInItsSourceLanguage(t *testing.T) {
	in := fuzzInstrument()
	delete(in.Pages[0].Questions[0].Text, "nb")
	if err := in.ValidateDraft(); err == nil {
		t.Fatal("a draft missing text in its source language (nb) passed")
	}
}

package surveys_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stemme/stemme/surveys"
)

// TestStaleTranslations changes a source text: the translations of it
// become stale, the language incomplete for waves, until updated or confirmed.
func TestStaleTranslations(t *testing.T) {
	in := completeInstrument()
	in.Status = surveys.InstrumentDraft
	if err := in.ReplaceQuestion("other", func() surveys.Question {
		q, _ := in.Question("other")
		q.Text = surveys.MergeText(q.Text, surveys.Text{"nb": "Noe annet du vil si?"})
		return q
	}()); err != nil {
		t.Fatal(err)
	}
	if !in.IsStale("nn", "question.other.text") || in.IsStale("nb", "question.other.text") {
		t.Fatalf("stale %v", in.Stale)
	}
	if got := in.StaleTexts("nn"); len(got) != 1 || got[0] != "pages[0].questions[1] (other).text" {
		t.Errorf("StaleTexts %v", got)
	}
	if err := in.ValidateLanguages([]string{"nb", "nn"}); err == nil || !strings.Contains(err.Error(), "before the source text changed") {
		t.Errorf("ValidateLanguages with a stale nn: %v", err)
	}
	if err := in.ValidateDraft(); err != nil {
		t.Errorf("a stale translation does not stop a draft: %v", err)
	}
	// Updating the translation clears the mark; so does confirming it.
	in.ConfirmTranslation("nn", "question.other.text")
	if len(in.Stale) != 0 || in.ValidateLanguages([]string{"nb", "nn"}) != nil {
		t.Errorf("after confirming: %v", in.Stale)
	}
	// A rename keeps the mark with its text.
	in.Stale = []surveys.StaleText{{Lang: "nn", ID: "question.other.text"}}
	q, _ := in.Question("other")
	q.Key = "anything_else"
	if err := in.ReplaceQuestion("other", q); err != nil {
		t.Fatal(err)
	}
	if !in.IsStale("nn", "question.anything_else.text") {
		t.Errorf("after a rename: %v", in.Stale)
	}
}

func TestTranslatorFiles(t *testing.T) {
	in := smallInstrument()
	in.Status = surveys.InstrumentDraft
	for _, semicolon := range []bool{true, false} {
		var b bytes.Buffer
		if err := surveys.WriteTranslationsCSV(&b, in, "en", semicolon); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		sep := ","
		if semicolon {
			sep = ";"
		}
		if !strings.HasPrefix(text, "\uFEFFkey"+sep+"source"+sep+"target"+sep+"status\r\n") ||
			!strings.Contains(text, "question.informed.text"+sep+"Får du informasjon?"+sep+sep+"missing\r\n") {
			t.Fatalf("CSV:\n%s", text)
		}
		rows, err := surveys.ReadTranslationsCSV(strings.NewReader(text))
		if err != nil || len(rows) != len(in.TranslationRows("en")) || rows[0].Line != 2 {
			t.Fatalf("read back: %d rows, %v", len(rows), err)
		}
	}
	// A translator fills in two texts; one from an older source text.
	file := "key;source;target;status\r\n" +
		"question.informed.text;Får du informasjon?;Are you informed?;missing\r\n" +
		"question.informed.help;Tenk på fjoråret.;Think of last year.;missing\r\n" +
		"question.nope.text;x;y;missing\r\n" +
		"title;Liten;'=Small;done\r\n"
	rows, err := surveys.ReadTranslationsCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := in.ApplyTranslations("en", rows)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := in.Question("informed")
	if rep.Updated != 3 || rep.Stale != 1 || len(rep.Problems) != 1 || rep.Problems[0].Line != 4 || rep.Problems[0].ID != "unknown_key" {
		t.Errorf("report %+v", rep)
	}
	if q.Text["en"] != "Are you informed?" || q.Help["en"] != "Think of last year." || in.Title["en"] != "=Small" {
		t.Errorf("texts %v %v %v", q.Text, q.Help, in.Title)
	}
	if !in.IsStale("en", "question.informed.help") || in.IsStale("en", "question.informed.text") {
		t.Errorf("stale %v", in.Stale)
	}
	for _, bad := range []string{"", "nøkkel,mål\r\n", "key,target\r\n\"unclosed,x\r\n"} {
		if _, err := surveys.ReadTranslationsCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

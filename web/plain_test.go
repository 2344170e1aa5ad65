package web_test

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/surveys"
)

var (
	isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	// jargon are words the plain-language pages do not use (docs/GLOSSARY.md).
	jargon = regexp.MustCompile(`(?i)konfidensintervall|sikkerhetsintervall|signifikant|svarte 5 eller 6`)
	// finding is a best or worst finding of the council's report, as a sentence.
	finding = regexp.MustCompile(`^«[^»]+» – (de fleste|omtrent halvparten|færre enn halvparten) \(\d+ %\) svarte «(I svært stor grad|Svært fornøyd)» eller svaret like under\. Indeks \d+ av 100\.$`)
)

// TestCouncilReportInPlainLanguage reads the council's report as a member
// would: a "how to read this" with the scale's own words and the margin of
// error in one sentence, findings as sentences, Norwegian dates, no jargon.
func TestCouncilReportInPlainLanguage(t *testing.T) {
	f := webtest.NewDemoWith(t, true)
	webtest.PublishCurrent(t, f)
	users := webtest.StaffUsers(t, f)
	council := users["council"]
	s := webtest.SignIn(t, f, &council)
	resp, body := staffRequest(t, f, s, http.MethodGet, "/admin/council/results?wave="+webtest.DemoCurrent, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	how := pageText(section(t, body, "how-to-read", "best"))
	for _, want := range []string{"«I svært stor grad»", "«I svært liten grad»", "Feilmarginen (for eksempel 69–73) viser hvor det riktige tallet",
		"neppe skyldes tilfeldigheter", "«Vet ikke / ikke aktuelt»", "færre enn 5 svarte"} {
		if !strings.Contains(how, want) {
			t.Errorf("how to read lacks %q: %s", want, how)
		}
	}
	items := regexp.MustCompile(`(?s)<ol class="findings">(.*?)</ol>`).FindAllStringSubmatch(body, -1)
	if len(items) != 2 {
		t.Fatalf("%d lists of findings, want best and worst", len(items))
	}
	for _, list := range items {
		for _, li := range regexp.MustCompile(`<li>(.*?)</li>`).FindAllStringSubmatch(list[1], -1) {
			if sentence := pageText(li[1]); !finding.MatchString(sentence) {
				t.Errorf("finding not stated as a sentence in the scale's words: %q", sentence)
			}
		}
	}
	text := pageText(body)
	if m := jargon.FindString(text); m != "" {
		t.Errorf("the council's report says %q: %s", m, text[max(0, strings.Index(text, m)-200):strings.Index(text, m)+50])
	}
	if m := isoDate.FindString(text); m != "" {
		t.Errorf("the council's report writes a date as %s", m)
	}
	if !regexp.MustCompile(`Publisert \d{1,2}\.\d{1,2}\.20\d\d`).MatchString(text) {
		t.Error("the council's report does not say when the results were published, in a Norwegian date")
	}
	if !strings.Contains(text, "Feilmargin") {
		t.Error("the focus-area table does not call the interval a margin of error")
	}
}

// TestPublicResultsInPlainLanguage reads /resultater/W in every language:
// the "how to read" is there in the page's own language, the best and the
// weakest area are said in a sentence for each group shown and never for
// a hidden one, and the Norwegian page uses no jargon.
func TestPublicResultsInPlainLanguage(t *testing.T) {
	f := webtest.NewDemoWith(t, true)
	webtest.PublishCurrent(t, f)
	for _, lang := range surveys.Languages {
		t.Run(lang, func(t *testing.T) {
			resp, body := f.Get(t, "/resultater/"+webtest.DemoCurrent+"?lang="+lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, `id="how-to-read"`) || strings.Contains(body, "results_public.") || strings.Contains(body, "{{") {
				t.Error("no how-to-read, or an untranslated message")
			}
			how := section(t, body, "how-to-read", "results-heading")
			if n := strings.Count(how, "<li>"); n != 3 {
				t.Errorf("%d points in how to read, want 3", n)
			}
			if lang != "nb" {
				return
			}
			text := pageText(body)
			if m := jargon.FindString(text); m != "" {
				t.Errorf("the public page says %q", m)
			}
			if m := isoDate.FindString(text); m != "" {
				t.Errorf("the public page writes a date as %s", m)
			}
			for _, card := range strings.Split(body, `<section class="card">`)[1:] {
				name := regexp.MustCompile(`<h3>([^<]+)</h3>`).FindStringSubmatch(card)
				if name == nil {
					continue
				}
				summary := regexp.MustCompile(`Best: [^<]+ \(\d+ av 100\)\. Svakest: [^<]+ \(\d+ av 100\)\.`).MatchString(card)
				hidden := strings.Contains(card, "Skjult for å beskytte små grupper</strong>")
				if hidden && summary {
					t.Errorf("%s is hidden but has a summary", name[1])
				}
				if !hidden && strings.Contains(card, " svar</p>") && !summary {
					t.Errorf("%s has no summary sentence", name[1])
				}
			}
		})
	}
}

// TestGlossaryExplainsThePagesTerms keeps docs/GLOSSARY.md in step with the
// words the results pages use.
func TestGlossaryExplainsThePagesTerms(t *testing.T) {
	b, err := os.ReadFile("../docs/GLOSSARY.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"Indeks", "Innsatsområde", "Feilmargin", "konfidensintervall", "Tydelig endring", "p-verdi",
		"Welchs t-test", "Vet ikke / ikke aktuelt", "Skjult for å beskytte små grupper", "Svarprosent", "De andre enhetene",
		"Forrige sammenlignbare undersøkelse", "to virkedager", "Fritekst som venter på gjennomgang"} {
		if !strings.Contains(string(b), term) {
			t.Errorf("the glossary does not explain %q", term)
		}
	}
}

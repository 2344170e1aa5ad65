package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// TestSkeletonPageEqualsTheTemplate draws pages of random journeys — every
// page, in several languages, with values that need escaping, choices
// hidden and shown by earlier answers, hidden fields — from their
// skeletons and through the template, and wants the same bytes.
func TestSkeletonPageEqualsTheTemplate(t *testing.T) {
	v, err := loadViews()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	h := &handler{views: v, tr: tr, cfg: Config{Secret: []byte("skeleton-test-secret-0123456789ab")}}
	var instruments []*surveys.Instrument
	for _, key := range []string{"parorende", "parorende_ung"} {
		in, err := builtin.Instrument(key)
		if err != nil {
			t.Fatal(err)
		}
		instruments = append(instruments, in)
	}
	instruments = append(instruments, skeletonTestInstrument())
	rng := rand.New(rand.NewPCG(22, 7))
	pages, seen := 0, map[string]int{}
	for _, in := range instruments {
		s := &openSurvey{Link: surveys.Link{ID: "abcdefgh23"}, Wave: &surveys.Wave{ID: "w", Languages: []string{"nb", "nn", "en", "pl", "ar"}},
			Unit: surveys.Unit{ID: "u", Name: "Solbakken & Co <sykehjem>"}, Instrument: in}
		app := fiber.New()
		var fast, slow []byte
		app.Get("/s/:link", func(c *fiber.Ctx) error {
			p := h.surveyPage(c, s)
			values := randomValues(rng, in)
			view := buildSurveyView(p, s, values, nil, rng.IntN(len(in.Pages)))
			view.SID = surveys.NewSubmissionID()
			view.Sig, view.Available = h.formSignature(s.Link.ID, view.SID), true
			if !plainPage(p, &view, fiber.StatusOK) {
				return fmt.Errorf("a page of a journey is not plain")
			}
			sk, err := h.newSkeleton(p, view)
			if err != nil {
				return err
			}
			var filled bytes.Buffer
			sk.fill(&filled, &view)
			fast = filled.Bytes()
			p.Title, p.Data = surveyTitle(p, view, fiber.StatusOK), view
			slow, err = h.views.bytes("survey", p)
			return err
		})
		for range 60 {
			lang := []string{"nb", "nn", "en", "pl", "ar", "so"}[rng.IntN(6)]
			req, _ := http.NewRequest("GET", "http://localhost:8080/s/abcdefgh23?lang="+lang, nil)
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", in.ID, resp.StatusCode, body)
			}
			if !bytes.Equal(fast, slow) {
				at := 0
				for at < min(len(fast), len(slow)) && fast[at] == slow[at] {
					at++
				}
				t.Fatalf("%s (%s): the skeleton's page differs from the template's at byte %d:\nskeleton: %q\ntemplate: %q",
					in.ID, lang, at, around(fast, at), around(slow, at))
			}
			pages++
			for _, want := range []string{" checked>", `<input type="hidden" name="`, "&#34;quoted&#34;", "&lt;b&gt;", "\uFFFD"} {
				if bytes.Contains(fast, []byte(want)) {
					seen[want]++
				}
			}
		}
	}
	// The comparison covered what is written into a skeleton.
	for _, want := range []string{" checked>", `<input type="hidden" name="`, "&#34;quoted&#34;", "&lt;b&gt;", "\uFFFD"} {
		if seen[want] == 0 {
			t.Errorf("no page compared holds %q", want)
		}
	}
	t.Logf("%d pages compared", pages)
}

func around(b []byte, at int) string {
	return string(b[max(at-80, 0):min(at+80, len(b))])
}

// randomValues fills a random share of an instrument's questions, with
// values a browser could send: valid, invalid and needing escapes.
func randomValues(rng *rand.Rand, in *surveys.Instrument) map[string][]string {
	odd := []string{`"quoted" & 'single' <b>bold</b> 1+1`, "ærlig talt – “svar”", "a\x00b", "\xff\xfe not utf-8",
		"line one\nline two\r\n", "", "  ", "42", "-3.5"}
	values := map[string][]string{}
	for _, q := range in.Questions() {
		if rng.IntN(3) == 0 {
			continue
		}
		var choices []string
		if l, ok := in.List(q.List); ok {
			for _, c := range l.Choices {
				choices = append(choices, c.Value)
			}
		}
		if q.Type == surveys.TypeYesNo {
			choices = []string{"yes", "no"}
		}
		switch {
		case len(choices) > 0 && rng.IntN(8) > 0:
			values[q.Key] = []string{choices[rng.IntN(len(choices))]}
			if q.Type == surveys.TypeMulti && rng.IntN(2) == 0 {
				values[q.Key] = append(values[q.Key], choices[rng.IntN(len(choices))])
			}
		default:
			values[q.Key] = []string{odd[rng.IntN(len(odd))]}
		}
	}
	// A value the instrument does not ask for is carried by no field.
	values["not_a_question"] = []string{"x"}
	return values
}

// skeletonTestInstrument has what the built-in ones lack: multiple choice,
// numbers, a short text, a question hidden by an earlier page and one shown
// beside the question it depends on, a choice filter.
func skeletonTestInstrument() *surveys.Instrument {
	txt := func(s string) surveys.Text { return surveys.Text{"nb": s, "en": s + " (en)"} }
	list := func(name string, values ...string) surveys.ChoiceList {
		l := surveys.ChoiceList{Name: name}
		for _, v := range values {
			l.Choices = append(l.Choices, surveys.Choice{Value: v, Label: txt(strings.ToUpper(v) + " + <i>")})
		}
		return l
	}
	return &surveys.Instrument{
		Key: "skeleton", Version: 1, Status: surveys.InstrumentPublished, Title: txt("Skjelett"), Intro: txt("Om <skjemaet>"),
		Languages: []surveys.LanguageStatus{{Code: "nb", Status: "draft"}, {Code: "en", Status: "draft"}},
		Lists:     []surveys.ChoiceList{list("kinds", "home", "care", "other"), list("help", "talk", "money", "time")},
		Pages: []surveys.Page{
			{Key: "a", Title: txt("Først"), Questions: []surveys.Question{
				{Key: "kind", Type: surveys.TypeSingle, List: "kinds", Text: txt("Hva slags?"), Required: true},
				{Key: "has_kids", Type: surveys.TypeYesNo, Text: txt("Barn?")},
				{Key: "kids_age", Type: surveys.TypeNumber, Text: txt("Alder"), ShowIf: "${has_kids} = 'yes'", Help: txt("Bare med barn")},
			}},
			{Key: "b", Title: txt("Så"), Questions: []surveys.Question{
				{Key: "needs", Type: surveys.TypeMulti, List: "help", Text: txt("Hva trengs?")},
				{Key: "kids_talk", Type: surveys.TypeText, Text: txt("Barna sier"), ShowIf: "${has_kids} = 'yes'"},
				{Key: "kind_again", Type: surveys.TypeSingle, List: "kinds", Text: txt("Igjen"), ChoiceFilter: "name != ${kind}"},
			}},
			{Key: "c", Title: txt("Til slutt"), Questions: []surveys.Question{
				{Key: "note", Type: surveys.TypeInfo, Text: txt("Takk & farvel")},
				{Key: "more", Type: surveys.TypeLongText, Text: txt("Mer?")},
			}},
		},
	}
}

// FuzzEscapeHTMLTo checks the skeleton's escape against html/template's.
func FuzzEscapeHTMLTo(f *testing.F) {
	for _, s := range []string{"", "plain", `"'&<>+`, "a\x00b", "\xff", "æøå"} {
		f.Add(s)
	}
	attr := template.Must(template.New("").Parse(`<input value="{{.}}"><textarea>{{.}}</textarea>`))
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		if err := attr.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.WriteString(`<input value="`)
		escapeHTMLTo(&got, s)
		got.WriteString(`"><textarea>`)
		escapeHTMLTo(&got, s)
		got.WriteString(`</textarea>`)
		if got.String() != want.String() {
			t.Fatalf("%q: escaped %q, html/template %q", s, got.String(), want.String())
		}
	})
}

func TestCutIdentity(t *testing.T) {
	for _, c := range []struct{ page, want string }{
		{"<a>" + sidMark + "</a><b>" + sigMark + "</b>", "<a>1</a><b>2</b>"},
		{"<b>" + sigMark + "</b><a>" + sidMark + "</a>", "<b>2</b><a>1</a>"},
		{"<a></a>", "<a></a>"},
	} {
		sk, err := cutIdentity(c.page)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		sk.fill(&got, &surveyView{SID: "1", Sig: "2"})
		if got.String() != c.want {
			t.Errorf("the blank %q filled in = %q, want %q", c.page, got.String(), c.want)
		}
	}
}

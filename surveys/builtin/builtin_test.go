package builtin

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stemme/stemme/surveys"
)

func TestInstruments(t *testing.T) {
	tests := []struct {
		key         string
		audience    string
		langs       []string
		focusAreas  []string
		minPerArea  int // scale items each focus area needs at least
		minScale    int
		maxScale    int
		segmentKeys []string
	}{
		{
			key:         "parorende",
			audience:    "adult",
			langs:       surveys.Languages,
			focusAreas:  []string{"information", "involvement", "respect", "coordination", "burden", "support", "children", "overall"},
			minPerArea:  2,
			minScale:    25,
			maxScale:    35,
			segmentKeys: []string{"relation", "age_group", "duration", "service_type"},
		},
		{
			key:         "parorende_ung",
			audience:    "youth",
			langs:       []string{"nb", "nn", "en"},
			focusAreas:  []string{"information", "involvement", "respect", "burden", "support", "children", "overall"},
			minPerArea:  1,
			minScale:    10,
			maxScale:    14,
			segmentKeys: []string{"relation", "age_group"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			in, err := Instrument(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			if err := in.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if in.ID != surveys.InstrumentID(tt.key, 1) || in.Status != surveys.InstrumentPublished {
				t.Errorf("ID %q, status %q", in.ID, in.Status)
			}
			if in.Audience != tt.audience {
				t.Errorf("audience %q, want %q", in.Audience, tt.audience)
			}
			if got := in.LanguageCodes(); !slices.Equal(got, tt.langs) {
				t.Errorf("languages %v, want %v", got, tt.langs)
			}
			for _, l := range in.Languages {
				if l.Status != surveys.StatusDraft {
					t.Errorf("language %s is %q, want draft until a person has reviewed it", l.Code, l.Status)
				}
			}

			var areas []string
			for _, f := range in.FocusAreas {
				areas = append(areas, f.Key)
			}
			if !slices.Equal(areas, tt.focusAreas) {
				t.Errorf("focus areas %v, want %v", areas, tt.focusAreas)
			}
			perArea := map[string]int{}
			scale := 0
			var segments []string
			for _, q := range in.Questions() {
				if q.Type == surveys.TypeScale {
					perArea[q.FocusArea]++
					scale++
					if q.Required {
						t.Errorf("%s: scale items are optional", q.Key)
					}
				}
				if q.Segment != "" {
					segments = append(segments, q.Segment)
					// Background questions can identify someone in a small unit,
					// so a relative may always leave them out.
					if q.Required {
						t.Errorf("%s: background questions must be optional", q.Key)
					}
				}
			}
			for _, a := range tt.focusAreas {
				if perArea[a] < tt.minPerArea {
					t.Errorf("focus area %s has %d scale items, want at least %d", a, perArea[a], tt.minPerArea)
				}
			}
			if scale < tt.minScale || scale > tt.maxScale {
				t.Errorf("%d scale items, want %d–%d", scale, tt.minScale, tt.maxScale)
			}
			if !slices.Equal(segments, tt.segmentKeys) {
				t.Errorf("segments %v, want %v", segments, tt.segmentKeys)
			}
			if q, ok := in.Question("important"); !ok || q.Type != surveys.TypeLongText {
				t.Errorf("open question important missing or not longtext")
			}

			for where, text := range texts(in) {
				for _, l := range tt.langs {
					s, ok := text[l]
					if !ok || s == "" {
						t.Errorf("%s: empty in %s", where, l)
					} else if s != strings.TrimSpace(s) {
						t.Errorf("%s: leading or trailing space in %s: %q", where, l, s)
					}
				}
				for l := range text {
					if !slices.Contains(tt.langs, l) {
						t.Errorf("%s: text in %s, which the instrument does not offer", where, l)
					}
				}
			}
		})
	}
}

func TestParorendeChildrenCondition(t *testing.T) {
	in, err := Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	q, ok := in.Question("children_present")
	if !ok || q.Type != surveys.TypeYesNo {
		t.Fatalf("children_present missing or not yesno")
	}
	n := 0
	for _, q := range in.Questions() {
		if q.FocusArea == "children" && q.Type == surveys.TypeScale {
			n++
			if q.ShowIf != "${children_present} = 'yes'" {
				t.Errorf("%s: show_if %q", q.Key, q.ShowIf)
			}
			c, err := surveys.ParseCondition(q.ShowIf)
			if err != nil {
				t.Fatalf("%s: %v", q.Key, err)
			}
			if !c.Eval(surveys.Answers{"children_present": surveys.ChoiceAnswer("yes")}) || c.Eval(surveys.Answers{"children_present": surveys.ChoiceAnswer("no")}) {
				t.Errorf("%s: shown or hidden for the wrong answer", q.Key)
			}
		}
	}
	if n < 2 || n > 4 {
		t.Errorf("%d children items, want 2–4", n)
	}
}

func TestInstrumentsSortedAndUnknownKey(t *testing.T) {
	ins, err := Instruments()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, in := range ins {
		keys = append(keys, in.Key)
	}
	if !slices.Equal(keys, []string{"parorende", "parorende_ung"}) {
		t.Errorf("keys %v", keys)
	}
	if _, err := Instrument("nope"); err == nil {
		t.Error("unknown key: want an error")
	}
}

// texts lists every translatable text of the instrument by where it sits.
func texts(in *surveys.Instrument) map[string]surveys.Text {
	m := map[string]surveys.Text{"title": in.Title, "intro": in.Intro}
	for _, f := range in.FocusAreas {
		m["focus_area "+f.Key] = f.Name
	}
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			m[fmt.Sprintf("list %s choice %s", l.Name, c.Value)] = c.Label
		}
	}
	for _, p := range in.Pages {
		m["page "+p.Key] = p.Title
		for _, q := range p.Questions {
			m["question "+q.Key] = q.Text
			if q.Help != nil {
				m["question "+q.Key+" help"] = q.Help
			}
		}
	}
	return m
}

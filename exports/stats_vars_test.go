package exports

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/surveys"
)

func TestMissingCodesAboveEveryAnswer(t *testing.T) {
	list := func(values ...string) surveys.ChoiceList {
		l := surveys.ChoiceList{Name: "l"}
		for _, v := range values {
			l.Choices = append(l.Choices, surveys.Choice{Value: v, Label: surveys.Text{"nb": v}})
		}
		return l
	}
	many := make([]string, 12)
	for i := range many {
		many[i] = "c" + strconv.Itoa(i)
	}
	tests := []struct {
		name                          string
		list                          surveys.ChoiceList
		showIf                        string
		codes                         string // value=code, in order
		dontKnow, notAsked, notAnswer int
	}{
		{"scale", list("1", "2", "3", "4", "5", "6", "dk"), "", "1=1 2=2 3=3 4=4 5=5 6=6 dk=9", 9, 0, 7},
		{"scale shown on a condition", list("1", "2", "3", "4", "5", "6", "dk"), "${a} = 'yes'", "1=1 2=2 3=3 4=4 5=5 6=6 dk=9", 9, 8, 7},
		{"named choices by position", list("child", "partner", "other"), "", "child=1 partner=2 other=3", 0, 0, 7},
		{"seven choices push the codes to 99", list("a", "b", "c", "d", "e", "f", "g"), "", "a=1 b=2 c=3 d=4 e=5 f=6 g=7", 0, 0, 97},
		{"twelve", list(many...), "${a} = 'yes'", "", 0, 98, 97},
		{"numeric values keep their numbers", list("10", "20", "30"), "", "10=10 20=20 30=30", 0, 0, 97},
		{"repeated numbers are coded by position", list("1", "01"), "", "1=1 01=2", 0, 0, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := statVar{q: surveys.Question{Key: "q", Type: surveys.TypeSingle, ShowIf: tt.showIf}, codes: listCodes(tt.list, "nb")}
			v.setMissing()
			var got []string
			for _, c := range v.codes {
				got = append(got, c.value+"="+strconv.Itoa(c.code))
			}
			if tt.codes != "" && strings.Join(got, " ") != tt.codes {
				t.Errorf("codes %q, want %q", strings.Join(got, " "), tt.codes)
			}
			if v.dontKnow != tt.dontKnow || v.notAsked != tt.notAsked || v.notAnswered != tt.notAnswer {
				t.Errorf("missing %d %d %d, want %d %d %d", v.dontKnow, v.notAsked, v.notAnswered, tt.dontKnow, tt.notAsked, tt.notAnswer)
			}
			for _, c := range v.valid() {
				if c.code >= v.notAnswered {
					t.Errorf("answer code %d is not below the missing codes", c.code)
				}
			}
		})
	}
}

func TestVariableNamesValidEverywhere(t *testing.T) {
	n := newNamer()
	long := strings.Repeat("a", 64)
	tests := []struct{ want, got string }{
		{"satisfied", "satisfied"},
		{"satisfied", "satisfied_2"},
		{"count", "count_2"}, // a column of the data files
		{"to", "to_2"},       // SPSS
		{"str80", "str80_2"}, // Stata
		{"function", "function_2"},
		{long, long[:32]},
		{long, long[:30] + "_2"},
		{"help_" + strings.Repeat("x", 40), "help_" + strings.Repeat("x", 27)},
	}
	for _, tt := range tests {
		if got := n.name(tt.want); got != tt.got {
			t.Errorf("name(%q) = %q, want %q", tt.want, got, tt.got)
		}
	}
}

// TestRawCodesTellNotAskedFromNotAnswered: a question shown only when a
// condition holds is coded "not asked" when it did not hold, and "not
// answered" when it held and the relative left it empty.
func TestRawCodesTellNotAskedFromNotAnswered(t *testing.T) {
	scale := surveys.ChoiceList{Name: "s"}
	for _, v := range []string{"1", "2", "3", "4", "5", "6", "dk"} {
		scale.Choices = append(scale.Choices, surveys.Choice{Value: v, Label: surveys.Text{"nb": v}})
	}
	in := &surveys.Instrument{Lists: []surveys.ChoiceList{scale}, Pages: []surveys.Page{{Key: "p", Questions: []surveys.Question{
		{Key: "kids", Type: surveys.TypeYesNo, Text: surveys.Text{"nb": "Barn?"}},
		{Key: "kids_info", Type: surveys.TypeScale, List: "s", ShowIf: "${kids} = 'yes'", Text: surveys.Text{"nb": "Info til barna?"}},
		{Key: "age", Type: surveys.TypeNumber, Text: surveys.Text{"nb": "Alder"}},
	}}}}
	bundle, _, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	vars := statVars(in, "nb", newLabels(bundle, "nb"))
	if len(vars) != 3 {
		t.Fatalf("%d variables, want 3", len(vars))
	}
	tests := []struct {
		answers              surveys.Answers
		kids, kidsInfo, ageC string
	}{
		{surveys.Answers{"kids": surveys.ChoiceAnswer("yes"), "kids_info": surveys.ChoiceAnswer("5"), "age": surveys.NumberAnswer(42.5)}, "1", "5", "42.5"},
		{surveys.Answers{"kids": surveys.ChoiceAnswer("yes"), "kids_info": surveys.ChoiceAnswer("dk")}, "1", "9", ""},
		{surveys.Answers{"kids": surveys.ChoiceAnswer("yes")}, "1", "7", ""},
		{surveys.Answers{"kids": surveys.ChoiceAnswer("no")}, "0", "8", ""},
		{surveys.Answers{}, "7", "8", ""},
	}
	for _, tt := range tests {
		got := []string{rawCode(&vars[0], tt.answers), rawCode(&vars[1], tt.answers), rawCode(&vars[2], tt.answers)}
		if want := []string{tt.kids, tt.kidsInfo, tt.ageC}; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%v: codes %q, want %q", tt.answers, got, want)
		}
	}
}

func TestLabelsQuotedCutAndSplit(t *testing.T) {
	long := "Hvor lenge har den du er pårørende til, fått tjenester fra kommunen? «Svar» – ja"
	parts := chunks(long, 30)
	if strings.Join(parts, "") != long {
		t.Errorf("chunks lose text: %q", parts)
	}
	for _, p := range parts[:len(parts)-1] {
		if len(p) > 30 || !strings.HasSuffix(p, " ") {
			t.Errorf("piece %q: more than 30 bytes or not split after a space", p)
		}
	}
	if got := cut("Ærlig talt", 6); got != "Ær…" || !utf8ValidAll(got) {
		t.Errorf("cut %q", got)
	}
	if got := cutRunes("Ærlig talt", 4); got != "Ærl…" {
		t.Errorf("cutRunes %q", got)
	}
	tests := []struct{ name, got, want string }{
		{"spss", spssString("Don't\nstop"), "'Don''t stop'"},
		{"spss split", spssString(strings.Repeat("ab ", 40)), "'" + strings.Repeat("ab ", 26) + "' +\n    '" + strings.Repeat("ab ", 13) + "ab'"}, // line breaks and the last space go
		{"r", rString(`C:\ "x"`), `"C:\\ \"x\""`},
		{"stata", stataString("Cost $5 `x' \"q\"'"), "`\"Cost \\$5 \\`x' \"q\"’\"'"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func utf8ValidAll(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

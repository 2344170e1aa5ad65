package surveys

import "testing"

func TestNumbersInEveryKeyboard(t *testing.T) {
	in := fuzzInstrument()
	tests := []struct {
		raw  string
		want float64
		ok   bool
	}{
		{"3", 3, true}, {"2,5", 2.5, true}, {"2.5", 2.5, true}, {"٣", 3, true}, {"٢٫٥", 2.5, true},
		{"۷", 7, true}, {" 8 ", 8, true}, {"1 0", 10, true}, {"tre", 0, false}, {"11", 0, false}, {"NaN", 0, false},
	}
	for _, tt := range tests {
		a, errs := in.ParseAnswers(map[string][]string{"q3": {tt.raw}}, in.Pages)
		if got, _ := a["q3"].Number(); tt.ok && (len(errs) != 0 || got != tt.want) {
			t.Errorf("%q: got %v, %v; want %v", tt.raw, a["q3"], errs, tt.want)
		}
		if !tt.ok && len(errs) == 0 {
			t.Errorf("%q: accepted as %v", tt.raw, a["q3"])
		}
	}
}

func TestHiddenQuestionsAreNeitherValidatedNorStored(t *testing.T) {
	in := fuzzInstrument()
	in.Pages[0].Questions[1].Required = true // q2, shown only when q1 >= 3
	tests := []struct {
		name     string
		values   map[string][]string
		wantKeys []string
		wantErrs []string
	}{
		{"condition false: required q2 hidden, its value dropped", map[string][]string{"q1": {"2"}, "q2": {"x"}, "q3": {"1"}}, []string{"q1", "q3"}, nil},
		{"condition true: q2 required", map[string][]string{"q1": {"5"}, "q3": {"1"}}, []string{"q1", "q3"}, []string{"q2"}},
		{"condition true and answered", map[string][]string{"q1": {"5"}, "q2": {"x", "x"}, "q3": {"1"}}, []string{"q1", "q2", "q3"}, nil},
		{"nested: q4 shown by q2", map[string][]string{"q1": {"5"}, "q2": {"x"}, "q3": {"1"}, "q4": {"ok"}}, []string{"q1", "q2", "q3", "q4"}, nil},
		{"nested: q4 hidden", map[string][]string{"q1": {"5"}, "q2": {"y"}, "q3": {"1"}, "q4": {"ok"}}, []string{"q1", "q2", "q3"}, nil},
		{"required number missing", map[string][]string{}, nil, []string{"q3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, errs := in.ParseAnswers(tt.values, in.Pages)
			if len(a) != len(tt.wantKeys) {
				t.Errorf("answers %v, want keys %v", a, tt.wantKeys)
			}
			for _, k := range tt.wantKeys {
				if _, ok := a[k]; !ok {
					t.Errorf("missing answer %s", k)
				}
			}
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("errors %v, want on %v", errs, tt.wantErrs)
			}
			for i, e := range errs {
				if e.Key != tt.wantErrs[i] || e.Message != "survey.error.required" {
					t.Errorf("error %+v, want required on %s", e, tt.wantErrs[i])
				}
			}
		})
	}
}

package surveys_test

import (
	"testing"

	"github.com/stemme/stemme/surveys"
)

func TestWhatCountsAsAnAnswer(t *testing.T) {
	in := smallInstrument()
	in.Pages[0].Questions = append(in.Pages[0].Questions,
		surveys.Question{Key: "note", Type: surveys.TypeInfo, Text: surveys.Text{"nb": "Takk"}},
		surveys.Question{Key: "which", Type: surveys.TypeMulti, List: "scale", Text: surveys.Text{"nb": "Hvilke?"}},
		surveys.Question{Key: "age", Type: surveys.TypeNumber, Text: surveys.Text{"nb": "Alder"}})
	tests := []struct {
		name     string
		min      int
		answers  surveys.Answers
		answered int
		counts   bool
	}{
		{"nothing answered", 0, surveys.Answers{}, 0, false},
		{"one scale answer, default minimum", 0, surveys.Answers{"informed": surveys.ChoiceAnswer("4")}, 1, true},
		{"don't know is an answer", 0, surveys.Answers{"informed": surveys.DontKnowAnswer()}, 1, true},
		{"free text alone", 0, surveys.Answers{"other": surveys.TextAnswer("Noe")}, 1, true},
		{"an empty multiple choice is no answer", 0, surveys.Answers{"which": surveys.ChoicesAnswer()}, 0, false},
		{"a multiple choice is one answer", 0, surveys.Answers{"which": surveys.ChoicesAnswer("1", "2")}, 1, true},
		{"an info item is no question", 0, surveys.Answers{"note": surveys.TextAnswer("x")}, 0, false},
		{"below a minimum of two", 2, surveys.Answers{"informed": surveys.ChoiceAnswer("4")}, 1, false},
		{"at a minimum of two", 2, surveys.Answers{"informed": surveys.ChoiceAnswer("4"), "other": surveys.TextAnswer("Noe")}, 2, true},
		{"a negative minimum means the default", -3, surveys.Answers{}, 0, false},
		{"a number is an answer", 0, surveys.Answers{"age": surveys.NumberAnswer(54)}, 1, true},
		{"an answer to no question of the instrument", 0, surveys.Answers{"elsewhere": surveys.ChoiceAnswer("4")}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &surveys.Wave{MinAnswered: tt.min}
			if got := in.Answered(tt.answers); got != tt.answered {
				t.Errorf("Answered = %d, want %d", got, tt.answered)
			}
			if got := w.CountsAsAnswer(in, tt.answers); got != tt.counts {
				t.Errorf("CountsAsAnswer = %v, want %v", got, tt.counts)
			}
		})
	}
	if got := (&surveys.Wave{}).MinimumAnswered(); got != 1 {
		t.Errorf("default minimum %d, want 1", got)
	}
}

// Package answertest holds a set of answers of every kind, for the golden
// tests that pin how answers are stored, packed, counted and dumped
// (docs/STORAGE.md): one set, so the tests of every form agree on it.
package answertest

import "github.com/stemme/stemme/surveys"

// Text is the free text of EveryKind: HTML characters, quotes, a line
// break, a line separator and non-ASCII text, whose encoding is the
// easiest to change by accident.
const Text = "Takk <b>&</b> \"alle\"!\nÆØÅ\u2028 الموظفون"

// EveryKind returns an answer of every kind a form gives, with numbers of
// every shape (a fraction, a negative, a large and a very large number),
// nothing ticked, an empty text and a null ("nothing"), which an old
// document may hold and which reads as no answer.
func EveryKind() surveys.Answers {
	return surveys.Answers{
		"scale":   surveys.ChoiceAnswer("5"),
		"dk":      surveys.DontKnowAnswer(),
		"single":  surveys.ChoiceAnswer("child"),
		"yesno":   surveys.ChoiceAnswer("yes"),
		"text":    surveys.TextAnswer(Text),
		"blank":   surveys.TextAnswer(""),
		"tick":    surveys.ChoicesAnswer("a", "c"),
		"none":    surveys.ChoicesAnswer(),
		"age":     surveys.NumberAnswer(54),
		"half":    surveys.NumberAnswer(0.5),
		"neg":     surveys.NumberAnswer(-3),
		"big":     surveys.NumberAnswer(123456789.125),
		"huge":    surveys.NumberAnswer(1e21),
		"nothing": {},
	}
}

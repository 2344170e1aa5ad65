// Package synth draws synthetic answers to an instrument, for the demo
// municipality, tests and benchmarks. Draws are deterministic given the rng.
package synth

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/stemme/stemme/surveys"
)

// ItemBiases draws how hard each item is to score well on.
func ItemBiases(rng *rand.Rand, in *surveys.Instrument) map[string]float64 {
	itemBias := map[string]float64{}
	for _, q := range in.Questions() {
		itemBias[q.Key] = rng.NormFloat64() * 0.5
	}
	return itemBias
}

// Answers draws one respondent's answers: person shifts every scale answer
// (a happier or unhappier relative), itemBias each item. Conditions are
// respected, optional questions are sometimes skipped, about 7% of scale
// answers are "vet ikke" and 30% of free-text questions get a comment.
func Answers(rng *rand.Rand, in *surveys.Instrument, person float64, itemBias map[string]float64) surveys.Answers {
	a := surveys.Answers{}
	for _, q := range in.Questions() {
		if !surveys.Visible(q, a) || (!q.Required && rng.Float64() < 0.06) {
			continue
		}
		switch q.Type {
		case surveys.TypeScale:
			if rng.Float64() < 0.07 {
				a[q.Key] = surveys.DontKnowAnswer()
				continue
			}
			v := math.Round(4.1 + person + itemBias[q.Key] + rng.NormFloat64()*0.9)
			a[q.Key] = surveys.ChoiceAnswer(strconv.Itoa(int(min(6, max(1, v)))))
		case surveys.TypeSingle:
			if l, ok := in.List(q.List); ok && len(l.Choices) > 0 {
				a[q.Key] = surveys.ChoiceAnswer(l.Choices[rng.IntN(len(l.Choices))].Value)
			}
		case surveys.TypeMulti:
			if l, ok := in.List(q.List); ok && len(l.Choices) > 0 {
				a[q.Key] = surveys.ChoicesAnswer(l.Choices[rng.IntN(len(l.Choices))].Value)
			}
		case surveys.TypeYesNo:
			a[q.Key] = surveys.ChoiceAnswer(map[bool]string{true: "yes", false: "no"}[rng.Float64() < 0.3])
		case surveys.TypeLongText, surveys.TypeText:
			if rng.Float64() < 0.3 {
				a[q.Key] = surveys.TextAnswer(FreeTexts[rng.IntN(len(FreeTexts))])
			}
		}
	}
	return a
}

// FreeTexts are the comments synthetic respondents write.
var FreeTexts = []string{
	"Det viktigste for meg er at personalet ringer når noe endrer seg.",
	"Jeg ønsker å bli invitert til samtale om hvordan mor har det, ikke bare når noe er galt.",
	"Det er mange forskjellige ansatte, og jeg vet ofte ikke hvem jeg skal snakke med.",
	"Takk for god omsorg for far. Dere ser ham som den han er.",
	"Jeg trenger mer avlastning for å klare å stå i jobb.",
	"Barna våre lurer på hva som skjer med bestefar. Det hadde vært fint med informasjon til dem.",
	"Bedre informasjon om hvilke tilbud som finnes for pårørende.",
	"Det tar lang tid å få svar når jeg tar kontakt.",
	"Jeg føler meg sett og tatt på alvor.",
	"Mer forutsigbare besøkstider fra hjemmetjenesten, takk.",
}

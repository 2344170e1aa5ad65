// Package demo seeds a demo municipality: units of several kinds, the
// built-in instruments, an open overall wave and deterministic synthetic answers.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

// Unit of the demo municipality, with how many answers it gets and how well it does.
type demoUnit struct {
	surveys.Unit
	answers int
	quality float64
}

var units = []demoUnit{
	{surveys.Unit{ID: "solbakken", Name: "Solbakken sykehjem", Kind: surveys.KindNursingHome, Parent: "helse_omsorg", Active: true}, 78, 0.3},
	{surveys.Unit{ID: "fjordtun", Name: "Fjordtun bo- og behandlingssenter", Kind: surveys.KindNursingHome, Parent: "helse_omsorg", Active: true}, 64, -0.4},
	{surveys.Unit{ID: "hjemme_nord", Name: "Hjemmetjenesten nord", Kind: surveys.KindHomeCare, Parent: "helse_omsorg", Active: true}, 71, 0.1},
	{surveys.Unit{ID: "hjemme_sor", Name: "Hjemmetjenesten sør", Kind: surveys.KindHomeCare, Parent: "helse_omsorg", Active: true}, 52, -0.2},
	{surveys.Unit{ID: "bekkestua", Name: "Bekkestua bofellesskap", Kind: surveys.KindHousing, Parent: "helse_omsorg", Active: true}, 31, 0.5},
	// Fewer answers than the threshold, so the demo shows suppression.
	{surveys.Unit{ID: "lia_avlastning", Name: "Lia avlastningssenter", Kind: surveys.KindRespite, Parent: "helse_omsorg", Active: true}, 4, 0},
}

var hierarchy = []surveys.Unit{
	{ID: "demo", Name: "Eksempel kommune", Kind: surveys.KindMunicipality, Active: true},
	{ID: "helse_omsorg", Name: "Helse og omsorg", Kind: surveys.KindSector, Parent: "demo", Active: true},
}

// Info says what was seeded, for the operator's first look.
type Info struct {
	Wave      string
	Links     []Link
	Responses int
}

// Link is an open survey link with its unit's name.
type Link struct {
	Unit, Path string
}

// Seed fills an empty database with the demo municipality as of now.
func Seed(ctx context.Context, db *mongo.Database, now time.Time) (*Info, error) {
	st := surveys.NewStore(db)
	for _, u := range hierarchy {
		if err := st.InsertUnit(ctx, u); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	for _, u := range units {
		if err := st.InsertUnit(ctx, u.Unit); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
	}
	ins, err := builtin.Instruments()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var adult *surveys.Instrument
	for _, in := range ins {
		if err := st.InsertInstrument(ctx, in); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		if in.Key == "parorende" {
			adult = in
		}
	}
	if adult == nil {
		return nil, fmt.Errorf("demo: the built-in instrument parorende is missing")
	}
	today := now.In(surveys.Oslo)
	wave := &surveys.Wave{
		ID: "overall_" + strconv.Itoa(today.Year()), Kind: surveys.WaveOverall, Year: today.Year(),
		Name:       "Pårørendeundersøkelsen " + strconv.Itoa(today.Year()),
		Instrument: adult.ID, Languages: adult.LanguageCodes(),
		Opens:     surveys.LocalDate(today.AddDate(0, 0, -21)),
		Closes:    surveys.LocalDate(today.AddDate(0, 0, 45)),
		Threshold: surveys.DefaultThreshold, Status: surveys.WaveOpen, Population: map[string]int{},
	}
	for _, u := range units {
		wave.Units = append(wave.Units, u.ID)
		wave.Population[u.ID] = u.answers*2 + 10
	}
	links, err := st.InsertWave(ctx, wave)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	info := &Info{Wave: wave.ID}
	for i, l := range links {
		info.Links = append(info.Links, Link{Unit: units[i].Name, Path: "/s/" + l.ID})
	}
	responses := synthesize(adult, wave, today)
	docs := make([]any, len(responses))
	for i := range responses {
		docs[i] = responses[i]
	}
	if _, err := db.Collection("responses").InsertMany(ctx, docs); err != nil {
		return nil, fmt.Errorf("demo: unable to insert answers: %w", err)
	}
	info.Responses = len(responses)
	return info, nil
}

var freeTexts = []string{
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

// synthesize makes the wave's answers from a fixed seed, so every demo is the same.
func synthesize(in *surveys.Instrument, w *surveys.Wave, today time.Time) []surveys.Response {
	rng := rand.New(rand.NewPCG(2026, 1149))
	itemBias := map[string]float64{}
	for _, q := range in.Questions() {
		itemBias[q.Key] = rng.NormFloat64() * 0.5
	}
	var out []surveys.Response
	for _, u := range units {
		for range u.answers {
			a := answer(rng, in, u.quality+rng.NormFloat64()*0.6, itemBias)
			daysAgo := rng.IntN(21)
			out = append(out, surveys.Response{
				ID: surveys.NewSubmissionID(), Wave: w.ID, Unit: u.ID, Instrument: in.ID, Lang: "nb",
				Date: surveys.LocalDate(today.AddDate(0, 0, -daysAgo)), Segments: in.SegmentsOf(a), Answers: a,
			})
		}
	}
	return out
}

func answer(rng *rand.Rand, in *surveys.Instrument, person float64, itemBias map[string]float64) surveys.Answers {
	a := surveys.Answers{}
	for _, q := range in.Questions() {
		if !surveys.Visible(q, a) || (!q.Required && rng.Float64() < 0.06) {
			continue
		}
		switch q.Type {
		case surveys.TypeScale:
			if rng.Float64() < 0.07 {
				a[q.Key] = surveys.DontKnow
				continue
			}
			v := math.Round(4.1 + person + itemBias[q.Key] + rng.NormFloat64()*0.9)
			a[q.Key] = strconv.Itoa(int(min(6, max(1, v))))
		case surveys.TypeSingle:
			if l, ok := in.List(q.List); ok && len(l.Choices) > 0 {
				a[q.Key] = l.Choices[rng.IntN(len(l.Choices))].Value
			}
		case surveys.TypeMulti:
			if l, ok := in.List(q.List); ok && len(l.Choices) > 0 {
				a[q.Key] = []string{l.Choices[rng.IntN(len(l.Choices))].Value}
			}
		case surveys.TypeYesNo:
			a[q.Key] = map[bool]string{true: "yes", false: "no"}[rng.Float64() < 0.3]
		case surveys.TypeLongText, surveys.TypeText:
			if rng.Float64() < 0.3 {
				a[q.Key] = freeTexts[rng.IntN(len(freeTexts))]
			}
		}
	}
	return a
}

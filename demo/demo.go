// Package demo seeds a demo municipality: units of several kinds, the
// built-in instruments, this year's overall wave (closed a fortnight ago,
// so its results exist) and the one of four years ago (so comparisons show
// change), an open follow-up wave in two units to try the survey in, a
// survey plan and a draft unit-level wave, with deterministic synthetic
// answers.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
	"github.com/stemme/stemme/surveys/synth"
)

// Unit of the demo municipality, with how many answers it gets and how well
// it does now and did four years ago.
type demoUnit struct {
	surveys.Unit
	answers int
	quality float64
	before  float64
}

// Some units improved since the last overall survey, one declined and some
// held steady, so the comparison between waves has something to show.
var units = []demoUnit{
	{surveys.Unit{ID: "solbakken", Name: "Solbakken sykehjem", Kind: surveys.KindNursingHome, Parent: "helse_omsorg", Active: true,
		Address: "Solbakkvegen 4", Phone: "69 10 20 30", PhoneHours: "Hverdager 09–15", VisitingHours: "Hver dag 11–19"}, 78, 0.3, -0.1},
	{surveys.Unit{ID: "fjordtun", Name: "Fjordtun bo- og behandlingssenter", Kind: surveys.KindNursingHome, Parent: "helse_omsorg", Active: true,
		Address: "Fjordgata 12", Phone: "69 10 21 00", VisitingHours: "Etter avtale med avdelingen"}, 64, -0.4, 0},
	{surveys.Unit{ID: "hjemme_nord", Name: "Hjemmetjenesten nord", Kind: surveys.KindHomeCare, Parent: "helse_omsorg", Active: true,
		Phone: "69 10 22 00", PhoneHours: "Hverdager 08–15:30"}, 71, 0.1, 0.1},
	{surveys.Unit{ID: "hjemme_sor", Name: "Hjemmetjenesten sør", Kind: surveys.KindHomeCare, Parent: "helse_omsorg", Active: true}, 52, -0.2, -0.5},
	{surveys.Unit{ID: "bekkestua", Name: "Bekkestua bofellesskap", Kind: surveys.KindHousing, Parent: "helse_omsorg", Active: true}, 31, 0.5, 0.4},
	// Fewer answers than the threshold, so the demo shows suppression.
	{surveys.Unit{ID: "lia_avlastning", Name: "Lia avlastningssenter", Kind: surveys.KindRespite, Parent: "helse_omsorg", Active: true}, 4, 0, 0},
}

var hierarchy = []surveys.Unit{
	{ID: "demo", Name: "Eksempel kommune", Kind: surveys.KindMunicipality, Active: true},
	{ID: "helse_omsorg", Name: "Helse og omsorg", Kind: surveys.KindSector, Parent: "demo", Active: true},
}

// Info says what was seeded, for the operator's first look: the open
// wave, its links, and the answers of this year's overall wave.
type Info struct {
	Wave      string
	Links     []Link
	Responses int
	// Units counts the service units.
	Units int
}

// Link is an open survey link with its unit's name.
type Link struct {
	Unit, Path string
}

// Seed fills an empty database with the demo municipality as of now.
func Seed(ctx context.Context, db *mongo.Database, now time.Time) (*Info, error) {
	st := surveys.NewStore(db)
	known := map[string]surveys.Unit{}
	for _, u := range hierarchy {
		if err := st.InsertUnit(ctx, u); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		known[u.ID] = u
	}
	for _, u := range units {
		if err := st.InsertUnit(ctx, u.Unit); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		known[u.ID] = u.Unit
	}
	ins, err := builtin.Instruments()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	// Every start installs the built-in instruments; a database seeded on
	// its own (stemme seed, tests) gets them here.
	if _, err := builtin.Install(ctx, st); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var adult *surveys.Instrument
	for _, in := range ins {
		if in.Key == "parorende" {
			adult = in
		}
	}
	if adult == nil {
		return nil, fmt.Errorf("demo: the built-in instrument parorende is missing")
	}
	today := now.In(surveys.Oslo)
	year := today.Year()
	// This year's overall survey ran from ten weeks to two weeks ago.
	ran := today.AddDate(0, 0, -56)
	current := overallWave(adult, ran, surveys.WaveClosed)
	// The previous overall survey ran four years ago ("hvert 4. år").
	earlier := ran.AddDate(-4, 0, 0)
	previous := overallWave(adult, earlier, surveys.WaveClosed)
	// The two units that did worst follow up with a survey of their own,
	// open now: the links printed at start-up lead to it.
	followUp := &surveys.Wave{
		ID: "oppfolging_" + strconv.Itoa(year), Kind: surveys.WaveUnit, Year: year,
		Name:       "Oppfølging Fjordtun og Hjemmetjenesten sør " + strconv.Itoa(year),
		Instrument: adult.ID, Units: []string{"fjordtun", "hjemme_sor"}, Languages: adult.LanguageCodes(),
		Opens:     surveys.LocalDate(today.AddDate(0, 0, -10)),
		Closes:    surveys.LocalDate(today.AddDate(0, 0, 30)),
		Threshold: surveys.DefaultThreshold, Status: surveys.WaveOpen,
		Population: map[string]int{"fjordtun": 64*2 + 10, "hjemme_sor": 52*2 + 10},
	}
	// A respite unit with too few answers in the overall survey gets its own
	// survey after it, with invitations and the lowest threshold allowed.
	respite := &surveys.Wave{
		ID: "lia_avlastning_" + strconv.Itoa(year), Kind: surveys.WaveUnit, Year: year,
		Name:       "Lia avlastningssenter " + strconv.Itoa(year),
		Instrument: adult.ID, Units: []string{"lia_avlastning"}, Languages: []string{"nb", "nn", "en"},
		Opens:     surveys.LocalDate(today.AddDate(0, 0, 46)),
		Closes:    surveys.LocalDate(today.AddDate(0, 0, 76)),
		Threshold: surveys.MinThreshold, Status: surveys.WaveDraft, Population: map[string]int{"lia_avlastning": 14},
	}
	var links []surveys.Link
	for _, w := range []*surveys.Wave{current, previous, followUp, respite} {
		// The demo shows what a valid wave looks like, so it must be one.
		if err := w.Validate(adult, known); err != nil {
			return nil, fmt.Errorf("demo: wave %s: %w", w.ID, err)
		}
		ls, err := st.InsertWave(ctx, w)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		if w == followUp {
			links = ls
		}
	}
	plan := surveys.Plan{OverallStartYear: year, StaleAfterYears: surveys.DefaultStaleAfterYears, Entries: []surveys.PlanEntry{
		{Unit: "fjordtun", Year: year + 1}, {Unit: "hjemme_sor", Year: year + 2},
	}}
	if err := st.SavePlan(ctx, plan); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	info := &Info{Wave: followUp.ID, Units: len(units)}
	for _, l := range links {
		info.Links = append(info.Links, Link{Unit: known[l.Unit].Name, Path: "/s/" + l.ID})
	}
	// The answers go to the inbox, like any accepted answer: the tallier
	// files and counts them as soon as the server runs.
	// Items are as hard in every wave, so the bias is drawn once; the
	// earlier wave gets its own stream of answers.
	rng := rand.New(rand.NewPCG(2026, 1149))
	bias := synth.ItemBiases(rng, adult)
	answersNow := synthesize(rng, adult, current, bias, func(u demoUnit) float64 { return u.quality }, 1)
	answersThen := synthesize(rand.New(rand.NewPCG(2022, 1149)), adult, previous, bias,
		func(u demoUnit) float64 { return u.before }, 1)
	// A few answers to the follow-up so far: a sixth of the overall's.
	answersFollowUp := synthesize(rand.New(rand.NewPCG(2027, 1149)), adult, followUp, bias,
		func(u demoUnit) float64 { return u.quality + 0.2 }, 6)
	docs := make([]any, 0, len(answersNow)+len(answersThen)+len(answersFollowUp))
	for _, rs := range [][]surveys.Response{answersNow, answersThen, answersFollowUp} {
		for i := range rs {
			docs = append(docs, rs[i])
		}
	}
	if _, err := db.Collection("response_inbox").InsertMany(ctx, docs); err != nil {
		return nil, fmt.Errorf("demo: unable to insert answers: %w", err)
	}
	info.Responses = len(answersNow)
	return info, nil
}

// overallWave is the overall wave of day's year, open from three weeks
// before day to about six weeks after it, for every demo unit.
func overallWave(in *surveys.Instrument, day time.Time, status string) *surveys.Wave {
	y := strconv.Itoa(day.Year())
	w := &surveys.Wave{
		ID: "overall_" + y, Kind: surveys.WaveOverall, Year: day.Year(),
		Name:       "Pårørendeundersøkelsen " + y,
		Instrument: in.ID, Languages: in.LanguageCodes(),
		Opens:     surveys.LocalDate(day.AddDate(0, 0, -21)),
		Closes:    surveys.LocalDate(day.AddDate(0, 0, 45)),
		Threshold: surveys.DefaultThreshold, Status: status, Population: map[string]int{},
	}
	for _, u := range units {
		w.Units = append(w.Units, u.ID)
		w.Population[u.ID] = u.answers*2 + 10
	}
	return w
}

// synthesize makes a wave's answers from rng for the wave's units; quality
// says how well each unit does in this wave, and each unit gets 1/fraction
// of its usual number of answers.
func synthesize(rng *rand.Rand, in *surveys.Instrument, w *surveys.Wave,
	itemBias map[string]float64, quality func(demoUnit) float64, fraction int) []surveys.Response {
	var out []surveys.Response
	for _, u := range units {
		if !slices.Contains(w.Units, u.ID) {
			continue
		}
		for range u.answers / fraction {
			a := synth.Answers(rng, in, quality(u)+rng.NormFloat64()*0.6, itemBias)
			out = append(out, surveys.Response{
				ID: surveys.NewSubmissionID(), Wave: w.ID, Unit: u.ID, Instrument: in.ID, Lang: "nb",
				Segments: in.SegmentsOf(a), Answers: a,
			})
		}
	}
	return out
}

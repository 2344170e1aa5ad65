package surveys_test

import (
	"math/rand/v2"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
	"github.com/stemme/stemme/surveys/synth"
)

// benchResponse is one synthetic response to the built-in questionnaire,
// a third of them with a comment.
func benchResponse(b *testing.B) surveys.Response {
	in, err := builtin.Instrument("parorende")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	return surveys.Response{ID: "r", Wave: "w", Unit: "u", Instrument: in.ID, Lang: "nb",
		Answers: synth.Answers(rng, in, 0, synth.ItemBiases(rng, in))}
}

// BenchmarkResponseDecode measures what every rebuild does per response:
// reading the stored document with its packed answers.
func BenchmarkResponseDecode(b *testing.B) {
	raw, err := bson.Marshal(benchResponse(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var r surveys.Response
		if err := bson.Unmarshal(raw, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResponseEncode measures a submission's and a reshuffle's write.
func BenchmarkResponseEncode(b *testing.B) {
	r := benchResponse(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bson.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
}

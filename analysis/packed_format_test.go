package analysis

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

var packedResponses = []*surveys.Response{
	{ID: "a", Wave: "w", Unit: "u", Instrument: "i@1", Lang: "nb", Segments: map[string]string{"relation": "child"},
		Answers: surveys.Answers{"q1": surveys.ChoiceAnswer("5"), "age": surveys.NumberAnswer(54), "tick": surveys.ChoicesAnswer("x", "y")}},
	{ID: "b", Wave: "w", Unit: "u", Instrument: "i@1", Lang: "nn", Answers: surveys.Answers{"q1": surveys.DontKnowAnswer()}},
}

func packedTally() Tally {
	tl := Tally{ID: "c#1", Cell: "c", Wave: "w", Unit: "u", N: 2, Seq: 1,
		Counts: map[string]map[string]int64{"q1": {"5": 1, "dk": 1}}}
	tl.fill()
	return tl
}

// TestPackedDerivedDataCarriesItsVersion: a chunk's and a tally's packed
// data start with their format's version byte and read back whole; data
// in a format this version does not know, or without the byte, is refused
// with an error that says so.
func TestPackedDerivedDataCarriesItsVersion(t *testing.T) {
	data, err := pack(packedResponses)
	if err != nil {
		t.Fatal(err)
	}
	if data[0] != chunkV1 {
		t.Fatalf("chunk data starts with %#x, want version %d", data[0], chunkV1)
	}
	got, err := unpack(&chunk{ID: "k", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got[0], got[1]) != fmt.Sprint(packedResponses[0], packedResponses[1]) {
		t.Errorf("unpacked %v, want %v", got, packedResponses)
	}
	tb, err := bson.Marshal(packedTally())
	if err != nil {
		t.Fatal(err)
	}
	if d := bson.Raw(tb).Lookup("data").Value[5]; d != tallyV1 {
		t.Fatalf("tally data starts with %#x, want version %d", d, tallyV1)
	}
	var tl Tally
	if err := bson.Unmarshal(tb, &tl); err != nil || tl.Counts["q1"]["dk"] != 1 {
		t.Fatalf("tally read back as %+v, %v", tl, err)
	}

	for name, bad := range map[string][]byte{"future": append([]byte{7}, data[1:]...), "unversioned": data[1:], "empty": nil} {
		if _, err := unpack(&chunk{ID: "k", Data: bad}); err == nil || !strings.Contains(err.Error(), "format") {
			t.Errorf("%s chunk: %v, want an error naming the format", name, err)
		}
	}
	var doc bson.D
	if err := bson.Unmarshal(tb, &doc); err != nil {
		t.Fatal(err)
	}
	for i, e := range doc {
		if e.Key == "data" {
			doc[i].Value = bson.Binary{Data: []byte("\x07{}")}
		}
	}
	future, _ := bson.Marshal(doc)
	if err := bson.Unmarshal(future, &tl); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("tally in format 7: %v, want an error naming the format", err)
	}
}

// TestPackedMigrationAddsTheVersionByte: chunks and tallies written
// before the version byte read as before after the migration, without a
// retally; a second run changes nothing.
func TestPackedMigrationAddsTheVersionByte(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	data, err := pack(packedResponses)
	if err != nil {
		t.Fatal(err)
	}
	legacyChunk := bson.D{{Key: "_id", Value: "k"}, {Key: "wave", Value: "w"}, {Key: "n", Value: int64(2)},
		{Key: "data", Value: bson.Binary{Data: data[1:]}}}
	if _, err := st.DB.Collection(colChunks).InsertOne(ctx, legacyChunk); err != nil {
		t.Fatal(err)
	}
	tb, err := bson.Marshal(packedTally())
	if err != nil {
		t.Fatal(err)
	}
	var legacyTally bson.D
	if err := bson.Unmarshal(tb, &legacyTally); err != nil {
		t.Fatal(err)
	}
	for i, e := range legacyTally {
		if e.Key == "data" {
			legacyTally[i].Value = bson.Binary{Data: e.Value.(bson.Binary).Data[1:]}
		}
	}
	if _, err := talliesOf(st.DB, "w").InsertOne(ctx, legacyTally); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := st.Migrate(ctx, nil, PackedMigration()); err != nil {
			t.Fatal(err)
		}
	}
	var answers []*surveys.Response
	if err := EachAnswer(ctx, st.DB, "w", func(r *surveys.Response) error { answers = append(answers, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(answers) != 2 || answers[0].Answers["q1"].String() != `"5"` {
		t.Errorf("answers from the migrated chunk: %v", answers)
	}
	tallies, err := Tallies(ctx, st.DB, "w")
	if err != nil {
		t.Fatal(err)
	}
	if len(tallies) != 1 || tallies[0].Counts["q1"]["5"] != 1 {
		t.Errorf("tallies after the migration: %+v", tallies)
	}
}

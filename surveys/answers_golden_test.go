package surveys_test

import (
	"encoding/hex"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/answertest"
	"github.com/stemme/stemme/surveys"
)

// goldenAnswers is the packed answers field of everyKindOfAnswer: format
// 1, the version byte and JSON (docs/STORAGE.md).
const goldenAnswers = "\x01" + `{"age":54,"big":123456789.125,"blank":"","dk":"dk","half":0.5,"huge":1e+21,"neg":-3,"none":[],` +
	`"nothing":null,"scale":"5","single":"child","text":"Takk \u003cb\u003e\u0026\u003c/b\u003e \"alle\"!\nÆØÅ\u2028 الموظفون",` +
	`"tick":["a","c"],"yesno":"yes"}`

// goldenResponse is the whole stored document of a response with those answers.
const goldenResponse = "" +
	"7e010000025f6964000300000072310002776176650002000000770002756e69740002000000750002696e737472756d656e74000400000069403100" +
	"026c616e6700030000006e6200037365676d656e747300190000000272656c6174696f6e00060000006368696c64000005616e737765727300030100" +
	"0000017b22616765223a35342c22626967223a3132333435363738392e3132352c22626c616e6b223a22222c22646b223a22646b222c2268616c6622" +
	"3a302e352c2268756765223a31652b32312c226e6567223a2d332c226e6f6e65223a5b5d2c226e6f7468696e67223a6e756c6c2c227363616c65223a" +
	"2235222c2273696e676c65223a226368696c64222c2274657874223a2254616b6b205c7530303363625c75303033655c75303032365c75303033632f" +
	"625c7530303365205c22616c6c655c22215c6ec386c398c3855c753230323820d8a7d984d985d988d8b8d981d988d986222c227469636b223a5b2261" +
	"222c2263225d2c227965736e6f223a22796573227d00"

// TestStoredAnswersKeepTheirBytes pins the stored form of a response with
// every kind of answer (answertest.EveryKind), byte for byte: what a version of stemme writes,
// an earlier one must read and a later one must write the same way
// (docs/STORAGE.md). Reading the bytes back and writing them again gives
// the same bytes.
func TestStoredAnswersKeepTheirBytes(t *testing.T) {
	r := surveys.Response{ID: "r1", Wave: "w", Unit: "u", Instrument: "i@1", Lang: "nb",
		Segments: map[string]string{"relation": "child"}, Answers: answertest.EveryKind()}
	doc, err := bson.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	_, data, ok := bson.Raw(doc).Lookup("answers").BinaryOK()
	if !ok || string(data) != goldenAnswers {
		t.Errorf("answers packed as\n%q\nwant\n%q", data, goldenAnswers)
	}
	if got := hex.EncodeToString(doc); got != goldenResponse {
		t.Errorf("response stored as\n%s\nwant\n%s", got, goldenResponse)
	}
	var back surveys.Response
	if err := bson.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	again, err := bson.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(doc) {
		t.Errorf("read and written again as\n%x\nwant\n%x", again, doc)
	}
}

// TestLegacyAnswersMigrateToTheGoldenBytes: the answers of every kind,
// stored in either format from before the version byte (a subdocument with
// BSON int32, int64 and double numbers; JSON without the byte), are
// rewritten by the migration into exactly the bytes a response written
// today has.
func TestLegacyAnswersMigrateToTheGoldenBytes(t *testing.T) {
	sub := bson.D{{Key: "scale", Value: "5"}, {Key: "dk", Value: "dk"}, {Key: "single", Value: "child"},
		{Key: "yesno", Value: "yes"}, {Key: "text", Value: answertest.Text}, {Key: "blank", Value: ""},
		{Key: "tick", Value: bson.A{"a", "c"}}, {Key: "none", Value: bson.A{}}, {Key: "age", Value: int32(54)},
		{Key: "half", Value: 0.5}, {Key: "neg", Value: int64(-3)}, {Key: "big", Value: 123456789.125},
		{Key: "huge", Value: 1e21}, {Key: "nothing", Value: nil}}
	for name, answers := range map[string]any{
		"subdocument":      sub,
		"JSON, no version": bson.Binary{Data: []byte(goldenAnswers[1:])},
	} {
		raw, err := bson.Marshal(bson.D{{Key: "_id", Value: "r1"}, {Key: "wave", Value: "w"}, {Key: "unit", Value: "u"},
			{Key: "instrument", Value: "i@1"}, {Key: "lang", Value: "nb"}, {Key: "segments", Value: bson.D{{Key: "relation", Value: "child"}}},
			{Key: "date", Value: "2026-11-18"}, {Key: "answers", Value: answers}})
		if err != nil {
			t.Fatal(err)
		}
		out, err := surveys.AnswersMigration().Convert(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := hex.EncodeToString(out); got != goldenResponse {
			t.Errorf("%s: migrated to\n%s\nwant\n%s", name, got, goldenResponse)
		}
	}
}

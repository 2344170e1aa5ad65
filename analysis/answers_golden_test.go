package analysis

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/answertest"
	"github.com/stemme/stemme/surveys"
)

// goldenResponse answers every kind of question (answertest.EveryKind).
func goldenResponse() *surveys.Response {
	return &surveys.Response{ID: "r1", Wave: "w", Unit: "u", Instrument: "i@1", Lang: "nb",
		Segments: map[string]string{"relation": "child", "age_group": "50_66"},
		Answers:  answertest.EveryKind()}
}

// goldenCells are the chunk cells of goldenResponse's answers (docs/STORAGE.md).
var goldenCells = map[string]string{
	"scale": "s5", "dk": "sdk", "single": "schild", "yesno": "syes",
	"text": "s" + answertest.Text, "blank": "s",
	"tick": "ma\x1fc", "none": "m", "age": "n54", "half": "n0.5", "neg": "n-3",
	"big": "n1.23456789125e+08", "huge": "n1e+21", "nothing": "",
}

// TestChunkCellsKeepTheirBytes pins a chunk's encoding of every kind of
// answer: the version byte, gzip, then JSON whose cells are those above
// (the order of the keys follows the map, so the cells are compared by
// key); and a chunk written with those bytes reads back as the answers.
func TestChunkCellsKeepTheirBytes(t *testing.T) {
	data, err := pack([]*surveys.Response{goldenResponse()})
	if err != nil {
		t.Fatal(err)
	}
	if data[0] != chunkV1 || data[1] != 0x1f || data[2] != 0x8b {
		t.Fatalf("chunk starts % x, want 01 and the gzip header", data[:3])
	}
	zr, err := gzip.NewReader(bytes.NewReader(data[1:]))
	if err != nil {
		t.Fatal(err)
	}
	var p packed
	if err := json.NewDecoder(zr).Decode(&p); err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 1 {
		t.Fatalf("%d rows", len(p.Rows))
	}
	row := p.Rows[0]
	if got := strings.Join(row[:rowFixed], "|"); got != "r1|w|u|i@1|nb|||age_group=50_66\x1frelation=child" {
		t.Errorf("fixed columns %q", got)
	}
	cells := map[string]string{}
	for i, k := range p.Keys {
		cells[k] = row[rowFixed+i]
	}
	if !maps.Equal(cells, goldenCells) {
		t.Errorf("cells\n%q\nwant\n%q", cells, goldenCells)
	}

	// Written as a chunk of format 1 with the keys in order.
	keys := slices.Sorted(maps.Keys(goldenCells))
	fixed := []string{"r1", "w", "u", "i@1", "nb", "", "", "age_group=50_66\x1frelation=child"}
	for _, k := range keys {
		fixed = append(fixed, goldenCells[k])
	}
	js, err := json.Marshal(packed{Keys: keys, Rows: [][]string{fixed}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteByte(1)
	zw := gzip.NewWriter(&buf)
	zw.Write(js)
	zw.Close()
	rs, err := unpack(&chunk{ID: "golden", Data: buf.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	want := goldenResponse()
	delete(want.Answers, "nothing") // an empty cell is no answer
	if got := fmt.Sprint(rs[0]); got != fmt.Sprint(want) {
		t.Errorf("golden chunk read as\n%s\nwant\n%v", got, want)
	}
}

// goldenTallyData is the packed data of the tally of goldenResponse.
const goldenTallyData = "\x01" + `{"counts":{"dk":{"dk":1},"scale":{"5":1},"single":{"child":1},"tick":{"a":1,"c":1},"yesno":{"yes":1}},` +
	`"answered":{"age":1,"big":1,"dk":1,"half":1,"huge":1,"neg":1,"scale":1,"single":1,"text":1,"tick":1,"yesno":1},` +
	`"items":{"age":{"n":1,"sum":54,"sumsq":2916},"big":{"n":1,"sum":123456789.125,"sumsq":15241578781054718},` +
	`"half":{"n":1,"sum":0.5,"sumsq":0.25},"huge":{"n":1,"sum":1e+21,"sumsq":1e+42},"neg":{"n":1,"sum":-3,"sumsq":9},` +
	`"scale":{"n":1,"sum":5,"sumsq":25}},"focus":{"info":{"n":1,"sum":5,"sumsq":25}}}`

// TestTallyOfEveryKindKeepsItsBytes pins what a response with every kind
// of answer adds to a tally, as stored.
func TestTallyOfEveryKindKeepsItsBytes(t *testing.T) {
	q := func(key string, typ surveys.QuestionType, list string) surveys.Question {
		return surveys.Question{Key: key, Type: typ, List: list, FocusArea: map[bool]string{true: "info"}[typ == surveys.TypeScale]}
	}
	in := &surveys.Instrument{Pages: []surveys.Page{{Key: "p", Questions: []surveys.Question{
		q("scale", surveys.TypeScale, "s"), q("dk", surveys.TypeScale, "s"), q("single", surveys.TypeSingle, "rel"),
		q("yesno", surveys.TypeYesNo, ""), q("text", surveys.TypeLongText, ""), q("blank", surveys.TypeText, ""),
		q("tick", surveys.TypeMulti, "m"), q("none", surveys.TypeMulti, "m"), q("age", surveys.TypeNumber, ""),
		q("half", surveys.TypeNumber, ""), q("neg", surveys.TypeNumber, ""), q("big", surveys.TypeNumber, ""),
		q("huge", surveys.TypeNumber, ""), q("nothing", surveys.TypeScale, "s"), q("unasked", surveys.TypeSingle, "rel"),
	}}}}
	tl := newTally("w", "u", AllSegment, "")
	tl.add(contributionOf(in, goldenResponse()), 1)
	doc, err := bson.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	data := bson.Raw(doc).Lookup("data")
	_, b, _ := data.BinaryOK()
	if string(b) != goldenTallyData {
		t.Errorf("tally data\n%q\nwant\n%q", b, goldenTallyData)
	}
}

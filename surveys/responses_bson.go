package surveys

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// A response is stored with its identity and background answers as
// fields and its answers packed in one binary field: a version byte, then
// the answers in that version's encoding (docs/STORAGE.md). Answers are
// only ever read whole, and the embedded store decodes a nested document
// field by field: a recount of 100,000 answers stored as subdocuments
// spends several times as long reading them (measured, docs/STORAGE.md).
// Documents written before the version byte are rewritten once when the
// store is opened (AnswersMigration); there is one read path.

// answersV1 is the packed answers' format: JSON of the answers object
// (strings, numbers, lists of strings). A new format gets the next
// number, a case in unpackAnswers, and a note in docs/STORAGE.md.
const answersV1 byte = 1

type responseDoc struct {
	ID         string            `bson:"_id"`
	Wave       string            `bson:"wave"`
	Unit       string            `bson:"unit"`
	Instrument string            `bson:"instrument"`
	Lang       string            `bson:"lang"`
	Segments   map[string]string `bson:"segments,omitempty"`
	Answers    bson.RawValue     `bson:"answers"`
	// Gen is the generation a closed wave's answers were rewritten in
	// (see ReshuffleResponses); 0 before.
	Gen int64 `bson:"gen,omitempty"`
}

// MarshalBSON stores the response as a responseDoc, its answers packed in
// the newest format.
func (r Response) MarshalBSON() ([]byte, error) {
	data, err := packAnswers(r.Answers)
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to encode the answers of %s: %w", r.ID, err)
	}
	t, v, err := bson.MarshalValue(bson.Binary{Subtype: bson.TypeBinaryGeneric, Data: data})
	if err != nil {
		return nil, err
	}
	return bson.Marshal(responseDoc{ID: r.ID, Wave: r.Wave, Unit: r.Unit, Instrument: r.Instrument, Lang: r.Lang,
		Segments: r.Segments, Answers: bson.RawValue{Type: t, Value: v}, Gen: r.gen})
}

// UnmarshalBSON reads a responseDoc.
func (r *Response) UnmarshalBSON(b []byte) error {
	var d responseDoc
	if err := bson.Unmarshal(b, &d); err != nil {
		return err
	}
	_, data, ok := d.Answers.BinaryOK()
	if !ok {
		return fmt.Errorf("surveys: answers of %s are stored as %s, from before their format had a version: "+
			"opening the store with this version of stemme rewrites them", d.ID, d.Answers.Type)
	}
	answers, err := unpackAnswers(data)
	if err != nil {
		return fmt.Errorf("surveys: unable to decode the answers of %s: %w", d.ID, err)
	}
	*r = Response{ID: d.ID, Wave: d.Wave, Unit: d.Unit, Instrument: d.Instrument, Lang: d.Lang,
		Segments: d.Segments, Answers: answers, gen: d.Gen}
	return nil
}

// packAnswers encodes answers in the newest format, version byte first.
func packAnswers(a Answers) ([]byte, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	return append([]byte{answersV1}, data...), nil
}

// ErrUnknownFormat means packed data carries a version byte this version
// of stemme does not know: written by a newer one, or damaged.
var ErrUnknownFormat = errors.New("stored in a format this version of stemme does not know (written by a newer version?)")

// unpackAnswers decodes packed answers by their version byte, giving each
// answer its canonical type (NormalizeAnswer).
func unpackAnswers(data []byte) (Answers, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("empty answers field: %w", ErrUnknownFormat)
	}
	answers := Answers{}
	switch data[0] {
	case answersV1:
		if err := json.Unmarshal(data[1:], &answers); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("format %d: %w", data[0], ErrUnknownFormat)
	}
	for k, v := range answers {
		answers[k] = NormalizeAnswer(v)
	}
	return answers, nil
}

// NormalizeAnswer gives a stored answer the type a parsed form gives it:
// string, []string (multiple choice) or float64 (number). BSON and JSON
// decoders, and Go code, may hand over any integer or float width and
// lists as bson.A or []any; every one of them maps here, once, so callers
// can switch on the three canonical types without recursing.
func NormalizeAnswer(v any) any {
	var list []any
	switch v := v.(type) {
	case nil, string, float64, []string:
		return v
	case []any:
		list = v
	case bson.A:
		list = v
	default:
		// Every integer and float width, by kind: one case per Go type
		// would be ten alike.
		switch rv := reflect.ValueOf(v); rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return float64(rv.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return float64(rv.Uint())
		case reflect.Float32:
			return rv.Float()
		}
		return v
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

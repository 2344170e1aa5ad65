package surveys

import (
	"errors"
	"fmt"

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

// answersV1 is the packed answers' format: JSON of the answers object,
// written and read by the codec in answer.go. A new format gets the next
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
	data, err := marshalAnswers(a)
	if err != nil {
		return nil, err
	}
	return append([]byte{answersV1}, data...), nil
}

// ErrUnknownFormat means packed data carries a version byte this version
// of stemme does not know: written by a newer one, or damaged.
var ErrUnknownFormat = errors.New("stored in a format this version of stemme does not know (written by a newer version?)")

// unpackAnswers decodes packed answers by their version byte.
func unpackAnswers(data []byte) (Answers, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("empty answers field: %w", ErrUnknownFormat)
	}
	if data[0] != answersV1 {
		return nil, fmt.Errorf("format %d: %w", data[0], ErrUnknownFormat)
	}
	return unmarshalAnswers(data[1:])
}

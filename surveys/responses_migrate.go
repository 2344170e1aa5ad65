package surveys

import (
	"encoding/json"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// AnswersMigration rewrites the responses stored before their answers'
// format had a version byte (docs/STORAGE.md), in every collection that
// holds responses: answers as a subdocument (the first format) or as JSON
// in a binary field without a version byte (the second). Afterwards every
// response is written by MarshalBSON, which drops fields earlier versions
// stored and this one does not (a date, once); a reshuffle's staging copy
// keeps its mark.
func AnswersMigration() store.Migration {
	return store.Migration{
		Name:        "answers-version-byte",
		Collections: []string{colResponses, colInbox, colLate, colResponses + "_reshuffle"},
		Convert:     convertResponse,
	}
}

// reshuffleMark is the field store.Reshuffle marks its staging copies with.
const reshuffleMark = "_reshuffle"

func convertResponse(raw bson.Raw) (bson.Raw, error) {
	var d responseDoc
	if err := bson.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	if _, data, ok := d.Answers.BinaryOK(); ok && len(data) > 0 && data[0] != '{' && data[0] != 'n' {
		// Versioned: current, or newer than this version (the read path says so).
		return nil, nil
	}
	answers, err := legacyAnswers(d.Answers)
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to decode the answers of %s: %w", d.ID, err)
	}
	out, err := Response{ID: d.ID, Wave: d.Wave, Unit: d.Unit, Instrument: d.Instrument, Lang: d.Lang,
		Segments: d.Segments, Answers: answers, gen: d.Gen}.MarshalBSON()
	if err != nil {
		return nil, err
	}
	mark, err := raw.LookupErr(reshuffleMark)
	if err != nil {
		return out, nil
	}
	var doc bson.D
	if err := bson.Unmarshal(out, &doc); err != nil {
		return nil, err
	}
	return bson.Marshal(append(doc, bson.E{Key: reshuffleMark, Value: mark}))
}

// legacyAnswers reads answers in the formats from before the version
// byte (through Answer's JSON and BSON decoders, which give numbers of any
// width one form); only the migration reads them.
func legacyAnswers(v bson.RawValue) (Answers, error) {
	answers := Answers{}
	switch v.Type {
	case bson.TypeBinary:
		_, data, _ := v.BinaryOK()
		if err := json.Unmarshal(data, &answers); err != nil {
			return nil, err
		}
	case bson.TypeEmbeddedDocument:
		if err := v.Unmarshal(&answers); err != nil {
			return nil, err
		}
	case 0, bson.TypeNull:
	default:
		return nil, fmt.Errorf("answers stored as %s", v.Type)
	}
	return answers, nil
}

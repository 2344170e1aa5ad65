package surveys

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Answers maps question keys to the answers given; a question not
// answered has no key (and reads as the zero Answer).
type Answers map[string]Answer

// Answer is the answer to one question, in one of three forms that follow
// the question's type:
//
//   - one string: the code of the choice made on a scale, single-choice or
//     yes/no question (DontKnow for "vet ikke / ikke aktuelt"), or the text
//     written in a text question;
//   - a list of codes: the choices ticked on a multiple-choice question,
//     possibly none;
//   - a number: the answer to a numeric question.
//
// The zero Answer is no answer. A string answer does not record whether
// it is a code or a text, as the stored answers never did: the question's
// type says which, so Choice and Text read the same string and a caller
// uses the one its question asks for.
//
// Answers are stored, dumped and exchanged in one form, JSON (the codec
// below, docs/STORAGE.md); this file is the only code that knows it.
type Answer struct {
	kind    answerKind
	text    string   // kindString: a choice's code or a text
	choices []string // kindChoices: never nil
	number  float64  // kindNumber
}

type answerKind uint8

const (
	kindNone answerKind = iota
	kindString
	kindChoices
	kindNumber
)

// ChoiceAnswer is the choice made on a scale, single-choice or yes/no
// question, by its code.
func ChoiceAnswer(code string) Answer { return Answer{kind: kindString, text: code} }

// DontKnowAnswer is "vet ikke / ikke aktuelt" on a scale question.
func DontKnowAnswer() Answer { return ChoiceAnswer(DontKnow) }

// TextAnswer is what a relative wrote in a text question.
func TextAnswer(text string) Answer { return Answer{kind: kindString, text: text} }

// ChoicesAnswer is the choices ticked on a multiple-choice question, by
// their codes in the order given; ticking none is an answer of this form too.
func ChoicesAnswer(codes ...string) Answer {
	return Answer{kind: kindChoices, choices: append([]string{}, codes...)}
}

// NumberAnswer is the number given to a numeric question.
func NumberAnswer(x float64) Answer { return Answer{kind: kindNumber, number: x} }

// IsZero reports whether there is no answer.
func (a Answer) IsZero() bool { return a.kind == kindNone }

// Choice returns the code of the choice made on a scale, single-choice or
// yes/no question; ok is false unless the answer is one string.
func (a Answer) Choice() (code string, ok bool) { return a.text, a.kind == kindString }

// Text returns the text written in a text question: the same string
// Choice returns, read for a question that asks for text.
func (a Answer) Text() (text string, ok bool) { return a.text, a.kind == kindString }

// Choices returns the codes ticked on a multiple-choice question (empty
// when none); ok is false unless the answer is a list. The slice is the
// answer's own: read it, do not change it.
func (a Answer) Choices() (codes []string, ok bool) { return a.choices, a.kind == kindChoices }

// Number returns the answer to a numeric question; ok is false unless the
// answer is a number.
func (a Answer) Number() (x float64, ok bool) { return a.number, a.kind == kindNumber }

// Answered reports whether the answer says something: a choice or a text
// that is not empty, at least one choice ticked, or a number. "Vet ikke"
// says something (see answer_rule.go).
func (a Answer) Answered() bool {
	switch a.kind {
	case kindString:
		return a.text != ""
	case kindChoices:
		return len(a.choices) > 0
	}
	return a.kind == kindNumber
}

// String gives the answer's JSON, for messages and tests.
func (a Answer) String() string {
	b, err := a.MarshalJSON()
	if err != nil {
		return fmt.Sprintf("!(%v)", err)
	}
	return string(b)
}

// The codec. An answer is stored, dumped and exchanged as JSON (format 1
// of docs/STORAGE.md): a string, an array of strings, a number, or null for
// no answer. Whole answers objects go through encoding/json in one pass
// over plain values (marshalAnswers, unmarshalAnswers), which is what
// every rebuild reads 100,000 times; single answers through MarshalJSON
// and UnmarshalJSON. Both meet in stored and answerOf.

// stored is the answer as encoding/json and the BSON driver write it.
func (a Answer) stored() any {
	switch a.kind {
	case kindString:
		return a.text
	case kindChoices:
		return a.choices
	case kindNumber:
		return a.number
	}
	return nil
}

// answerOf reads an answer as encoding/json decodes it into an interface.
// Anything but a string, an array of strings, a number or null is
// refused: no version of stemme ever stored one.
func answerOf(v any) (Answer, error) {
	switch v := v.(type) {
	case nil:
		return Answer{}, nil
	case string:
		return TextAnswer(v), nil
	case float64:
		return NumberAnswer(v), nil
	case []any:
		codes := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return Answer{}, fmt.Errorf("surveys: an answer's list holds %T, not only strings", x)
			}
			codes[i] = s
		}
		return Answer{kind: kindChoices, choices: codes}, nil
	}
	return Answer{}, fmt.Errorf("surveys: an answer is %T, not a string, a list of strings or a number", v)
}

// marshalAnswers writes an answers object as JSON, keys sorted.
func marshalAnswers(as Answers) ([]byte, error) {
	plain := make(map[string]any, len(as))
	for k, a := range as {
		plain[k] = a.stored()
	}
	return json.Marshal(plain)
}

// unmarshalAnswers reads an answers object written by marshalAnswers.
func unmarshalAnswers(data []byte) (Answers, error) {
	var plain map[string]any
	if err := json.Unmarshal(data, &plain); err != nil {
		return nil, err
	}
	as := make(Answers, len(plain))
	for k, v := range plain {
		a, err := answerOf(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		as[k] = a
	}
	return as, nil
}

// MarshalJSON writes the answer's JSON. HTML characters are not escaped
// here: json.Marshal escapes them around it, as marshalAnswers does, and
// an encoder told not to (the dump) leaves them.
func (a Answer) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a.stored()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

// UnmarshalJSON reads the answer's JSON.
func (a *Answer) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	read, err := answerOf(v)
	if err != nil {
		return err
	}
	*a = read
	return nil
}

// MarshalBSONValue writes the answer as a BSON string, array of strings,
// double or null: the native form measured against the packed one
// (docs/STORAGE.md), never the stored one.
func (a Answer) MarshalBSONValue() (byte, []byte, error) {
	if a.kind == kindNone {
		return byte(bson.TypeNull), nil, nil
	}
	t, data, err := bson.MarshalValue(a.stored())
	return byte(t), data, err
}

// UnmarshalBSONValue reads an answer stored as a BSON value, the first
// format (docs/STORAGE.md): a string, an array of strings, a number of any
// width, or null.
func (a *Answer) UnmarshalBSONValue(typ byte, data []byte) error {
	v := bson.RawValue{Type: bson.Type(typ), Value: data}
	switch v.Type {
	case bson.TypeString:
		*a = TextAnswer(v.StringValue())
	case bson.TypeDouble, bson.TypeInt32, bson.TypeInt64:
		x, _ := v.AsFloat64OK()
		*a = NumberAnswer(x)
	case bson.TypeArray:
		values, err := v.Array().Values()
		if err != nil {
			return err
		}
		codes := make([]string, len(values))
		for i, e := range values {
			s, ok := e.StringValueOK()
			if !ok {
				return fmt.Errorf("surveys: an answer's list holds a %s", e.Type)
			}
			codes[i] = s
		}
		*a = ChoicesAnswer(codes...)
	case bson.TypeNull, bson.TypeUndefined:
		*a = Answer{}
	default:
		return fmt.Errorf("surveys: an answer stored as %s, not a string, a list of strings or a number", v.Type)
	}
	return nil
}

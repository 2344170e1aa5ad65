package analysis

import (
	"encoding/json"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// A tally is stored with its identity and sizes as fields and its counts
// packed in one binary field: a version byte, then JSON (docs/STORAGE.md).
// Tallies are only ever read whole, and the embedded store decodes a
// nested document field by field (hundreds of answer values per tally,
// ~15 ms each); one binary field decodes at once.

// tallyV1 is the tally data's format: JSON of tallyData. A new format gets
// the next number and a case in UnmarshalBSON.
const tallyV1 byte = 1

type tallyDoc struct {
	ID      string `bson:"_id"`
	Cell    string `bson:"cell"`
	Wave    string `bson:"wave"`
	Unit    string `bson:"unit"`
	Segment string `bson:"segment"`
	Value   string `bson:"value"`
	N       int64  `bson:"n"`
	Seq     int64  `bson:"seq"`
	Data    []byte `bson:"data"`
}

type tallyData struct {
	Counts   map[string]map[string]int64 `json:"counts,omitempty"`
	Answered map[string]int64            `json:"answered,omitempty"`
	Items    map[string]Moments          `json:"items,omitempty"`
	Focus    map[string]Moments          `json:"focus,omitempty"`
}

// MarshalBSON stores the tally as a tallyDoc.
func (t Tally) MarshalBSON() ([]byte, error) {
	data, err := json.Marshal(tallyData{Counts: t.Counts, Answered: t.Answered, Items: t.Items, Focus: t.Focus})
	if err != nil {
		return nil, fmt.Errorf("analysis: unable to encode tally %s: %w", t.ID, err)
	}
	return bson.Marshal(tallyDoc{ID: t.ID, Cell: t.Cell, Wave: t.Wave, Unit: t.Unit, Segment: t.Segment,
		Value: t.Value, N: t.N, Seq: t.Seq, Data: append([]byte{tallyV1}, data...)})
}

// UnmarshalBSON reads a tallyDoc.
func (t *Tally) UnmarshalBSON(b []byte) error {
	var d tallyDoc
	if err := bson.Unmarshal(b, &d); err != nil {
		return err
	}
	var data tallyData
	switch {
	case len(d.Data) > 0 && d.Data[0] == tallyV1:
		if err := json.Unmarshal(d.Data[1:], &data); err != nil {
			return fmt.Errorf("analysis: unable to decode tally %s: %w", d.ID, err)
		}
	default:
		return fmt.Errorf("analysis: tally %s is in a format this version of stemme does not know "+
			"(a retally of its wave rewrites it)", d.ID)
	}
	*t = Tally{ID: d.ID, Cell: d.Cell, Wave: d.Wave, Unit: d.Unit, Segment: d.Segment, Value: d.Value,
		N: d.N, Seq: d.Seq, Counts: data.Counts, Answered: data.Answered, Items: data.Items, Focus: data.Focus}
	t.fill()
	return nil
}

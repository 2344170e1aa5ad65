package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stemme/stemme/internal/answertest"
	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// TestResponsesDumpOfEveryKind pins the dump's line of a response with
// every kind of answer (answertest.EveryKind), byte for byte: text
// unescaped for HTML (it is read by people and tools, not put in a page),
// numbers in Go's JSON form, an empty multiple choice as [] and a null an
// old document may hold as null.
func TestResponsesDumpOfEveryKind(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Database: "stemme"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	r := &surveys.Response{ID: "r1", Wave: "w", Unit: "u", Instrument: "i@1", Lang: "nb",
		Segments: map[string]string{"relation": "child"}, Answers: answertest.EveryKind()}
	if _, err := st.DB.Collection("responses").InsertOne(ctx, r); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if n, err := dumpResponses(ctx, surveys.NewStore(st.DB), "w", &b); err != nil || n != 1 {
		t.Fatalf("dumped %d, %v", n, err)
	}
	const want = `{"id":"r1","wave":"w","unit":"u","instrument":"i@1","lang":"nb","segments":{"relation":"child"},"answers":{"age":54,"big":123456789.125,"blank":"","dk":"dk","half":0.5,"huge":1e+21,"neg":-3,"none":[],"nothing":null,` +
		`"scale":"5","single":"child","text":"Takk <b>&</b> \"alle\"!\nÆØÅ\u2028 الموظفون","tick":["a","c"],"yesno":"yes"}}` + "\n"
	if b.String() != want {
		t.Errorf("dumped\n%s\nwant\n%s", b.String(), want)
	}
}

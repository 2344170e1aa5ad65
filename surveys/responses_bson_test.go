package surveys_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

// TestAnswersAreStoredPackedAndReadEitherWay: answers are stored as one
// binary field (no answer is readable as a field of the document), come
// back with the types a parsed form gives them, and documents written
// before packing, with answers as a subdocument, are still read.
func TestAnswersAreStoredPackedAndReadEitherWay(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	ss := surveys.NewStore(db)
	want := surveys.Answers{"relation": "child", "tick": []string{"a", "c"}, "age": 54.0, "text": "Takk!"}
	if err := ss.SaveResponse(ctx, &surveys.Response{ID: "packed", Wave: "w", Unit: "u", Answers: want}); err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := db.Collection("response_inbox").FindOne(ctx, bson.M{"_id": "packed"}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["answers"].(bson.Binary); !ok {
		t.Fatalf("answers stored as %T, want one binary field", raw["answers"])
	}
	legacy := bson.M{"_id": "legacy", "wave": "w", "unit": "u", "date": "2026-11-18",
		"answers": bson.M{"relation": "child", "tick": bson.A{"a", "c"}, "age": int32(54), "text": "Takk!"}}
	if _, err := db.Collection("responses").InsertOne(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"packed", "legacy"} {
		r, err := ss.Response(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(r.Answers) != fmt.Sprint(want) {
			t.Errorf("%s: answers %#v, want %#v", id, r.Answers, want)
		}
		if _, ok := r.Answers["tick"].([]string); !ok {
			t.Errorf("%s: multiple choice read as %T", id, r.Answers["tick"])
		}
	}
}

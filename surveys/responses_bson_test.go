package surveys_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

var storedAnswers = surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "tick": surveys.ChoicesAnswer("a", "c"),
	"age": surveys.NumberAnswer(54), "text": surveys.TextAnswer("Takk!")}

// TestAnswersAreStoredPackedWithAVersion: answers are stored as one binary
// field whose first byte is the format's version (no answer is readable as
// a field of the document), and come back with the types a parsed form
// gives them; a version this one does not know is a clear error.
func TestAnswersAreStoredPackedWithAVersion(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	ss := surveys.NewStore(db)
	if err := ss.SaveResponse(ctx, &surveys.Response{ID: "packed", Wave: "w", Unit: "u", Answers: storedAnswers}); err != nil {
		t.Fatal(err)
	}
	var raw bson.M
	if err := db.Collection("response_inbox").FindOne(ctx, bson.M{"_id": "packed"}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	bin, ok := raw["answers"].(bson.Binary)
	if !ok || len(bin.Data) == 0 || bin.Data[0] != 1 {
		t.Fatalf("answers stored as %#v, want one binary field starting with version 1", raw["answers"])
	}
	r, err := ss.Response(ctx, "packed")
	if err != nil {
		t.Fatal(err)
	}
	checkAnswers(t, r)

	future := bson.M{"_id": "future", "wave": "w", "answers": bson.Binary{Data: []byte("\x07whatever")}}
	if _, err := db.Collection("responses").InsertOne(ctx, future); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.Response(ctx, "future"); !errors.Is(err, surveys.ErrUnknownFormat) {
		t.Errorf("answers in format 7 read with %v, want ErrUnknownFormat", err)
	}
}

func checkAnswers(t *testing.T, r *surveys.Response) {
	t.Helper()
	if fmt.Sprint(r.Answers) != fmt.Sprint(storedAnswers) {
		t.Errorf("%s: answers %#v, want %#v", r.ID, r.Answers, storedAnswers)
	}
	if !reflect.DeepEqual(r.Answers, storedAnswers) {
		t.Errorf("%s: answers read as %#v, want %#v", r.ID, r.Answers, storedAnswers)
	}
	if _, ok := r.Answers["tick"].Choices(); !ok {
		t.Errorf("%s: multiple choice read as %v", r.ID, r.Answers["tick"])
	}
}

// TestAnswersMigration: responses stored in both earlier formats (answers
// as a subdocument; JSON without a version byte), in every collection
// that holds responses, are refused by the read path until the migration
// rewrites them, then read with their answers' types; the migration keeps
// a reshuffle's mark, drops fields no longer stored, runs once, and one
// stopped half-way is completed by the next run.
func TestAnswersMigration(t *testing.T) {
	ctx := context.Background()
	for _, interrupted := range []bool{false, true} {
		t.Run(fmt.Sprintf("interrupted=%v", interrupted), func(t *testing.T) {
			st := storetest.New(t)
			ss := surveys.NewStore(st.DB)
			legacy := map[string]bson.M{
				"responses/sub": {"_id": "sub", "wave": "w", "unit": "u", "date": "2026-11-18",
					"answers": bson.M{"relation": "child", "tick": bson.A{"a", "c"}, "age": int32(54), "text": "Takk!"}},
				"responses/json": {"_id": "json", "wave": "w", "unit": "u", "gen": int64(2),
					"answers": bson.Binary{Data: []byte(`{"relation":"child","tick":["a","c"],"age":54,"text":"Takk!"}`)}},
				"response_inbox/inbox": {"_id": "inbox", "wave": "w", "unit": "u",
					"answers": bson.M{"relation": "child", "tick": bson.A{"a", "c"}, "age": 54.0, "text": "Takk!"}},
				"response_late/late": {"_id": "late", "wave": "w", "unit": "u",
					"answers": bson.Binary{Data: []byte(`{"relation":"child","tick":["a","c"],"age":54.0,"text":"Takk!"}`)}},
				"responses_reshuffle/staged": {"_id": "staged", "wave": "w", "unit": "u", "_reshuffle": "w",
					"answers": bson.M{"relation": "child", "tick": bson.A{"a", "c"}, "age": int64(54), "text": "Takk!"}},
			}
			for key, doc := range legacy {
				col, _, _ := strings.Cut(key, "/")
				if _, err := st.DB.Collection(col).InsertOne(ctx, doc); err != nil {
					t.Fatal(err)
				}
			}
			if err := ss.SaveResponse(ctx, &surveys.Response{ID: "current", Wave: "w", Unit: "u", Answers: storedAnswers}); err != nil {
				t.Fatal(err)
			}
			if _, err := ss.Response(ctx, "sub"); err == nil {
				t.Fatal("a response of the first format read without the migration: two read paths")
			}
			if interrupted {
				m := surveys.AnswersMigration()
				convert, seen := m.Convert, 0
				m.Convert = func(raw bson.Raw) (bson.Raw, error) {
					if seen++; seen > 3 {
						return nil, errors.New("killed")
					}
					return convert(raw)
				}
				if err := st.Migrate(ctx, nil, m); err == nil {
					t.Fatal("the interrupted migration did not stop")
				}
			}
			for range 2 {
				if err := st.Migrate(ctx, nil, surveys.AnswersMigration()); err != nil {
					t.Fatal(err)
				}
			}
			for key := range legacy {
				col, id, _ := strings.Cut(key, "/")
				raw, err := st.DB.Collection(col).FindOne(ctx, bson.M{"_id": id}).Raw()
				if err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				var r surveys.Response
				if err := bson.Unmarshal(raw, &r); err != nil {
					t.Fatalf("%s: %v", key, err)
				}
				checkAnswers(t, &r)
				if _, err := raw.LookupErr("date"); err == nil {
					t.Errorf("%s: still carries a date", key)
				}
				if mark, err := raw.LookupErr("_reshuffle"); (err == nil) != (col == "responses_reshuffle") {
					t.Errorf("%s: reshuffle mark %v", key, mark)
				}
			}
			if gen := findGen(t, st, "json"); gen != 2 {
				t.Errorf("generation %d after the migration, want 2", gen)
			}
			r, err := ss.Response(ctx, "current")
			if err != nil {
				t.Fatal(err)
			}
			checkAnswers(t, r)
		})
	}
}

func findGen(t *testing.T, st *store.Store, id string) int64 {
	t.Helper()
	raw, err := st.DB.Collection("responses").FindOne(context.Background(), bson.M{"_id": id}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	return raw.Lookup("gen").AsInt64()
}

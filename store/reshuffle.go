package store

import (
	"context"
	"fmt"
	"math/rand/v2"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Reshuffle rewrites the documents of a collection that match filter in
// random order, so that the order they are stored in (the embedded store
// keeps a table's rows in the order they were inserted, and a copy of the
// database shows it) no longer follows the order they came in. It is for
// answers, once their wave is closed: from then on nothing in the database
// orders them in time.
//
// It is crash-safe without transactions: the documents are first copied in
// random order into a staging collection, then the originals are deleted
// and the copies inserted back in the staging order, then the staging is
// cleared; a state document says which step is done, and a call after an
// interruption resumes there. name identifies the set (e.g. the wave) and
// must be the same for every call about it. The documents are held in
// memory while they are shuffled: about a kilobyte each for answers.
func Reshuffle(ctx context.Context, db *mongo.Database, collection, name string, filter bson.D) error {
	r := reshuffle{db: db, col: db.Collection(collection), staging: db.Collection(collection + "_reshuffle"),
		states: db.Collection("reshuffles"), id: collection + "/" + name, name: name, filter: filter}
	phase, err := r.phase(ctx)
	if err != nil {
		return err
	}
	if phase == "" {
		if err := r.stage(ctx); err != nil {
			return err
		}
		phase = "staged"
	}
	if phase == "staged" {
		if err := r.restore(ctx); err != nil {
			return err
		}
	}
	return r.clear(ctx)
}

type reshuffle struct {
	db                   *mongo.Database
	col, staging, states *mongo.Collection
	id, name             string
	filter               bson.D
}

func (r reshuffle) mark() bson.D { return bson.D{{Key: "_reshuffle", Value: r.name}} }

func (r reshuffle) phase(ctx context.Context) (string, error) {
	var state struct {
		Phase string `bson:"phase"`
	}
	err := r.states.FindOne(ctx, bson.D{{Key: "_id", Value: r.id}}).Decode(&state)
	if err != nil && !IsNotFound(err) {
		return "", fmt.Errorf("store: unable to read the reshuffle of %s: %w", r.id, err)
	}
	return state.Phase, nil
}

func (r reshuffle) setPhase(ctx context.Context, phase string) error {
	_, err := r.states.UpdateOne(ctx, bson.D{{Key: "_id", Value: r.id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "phase", Value: phase}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("store: unable to record the reshuffle of %s: %w", r.id, err)
	}
	return nil
}

// stage copies the documents into staging in random order; an earlier,
// interrupted staging is cleared first.
func (r reshuffle) stage(ctx context.Context) error {
	if _, err := DeleteAll(ctx, r.staging, r.mark()); err != nil {
		return fmt.Errorf("store: unable to clear the staging of %s: %w", r.id, err)
	}
	docs, err := FindAll[bson.D](ctx, r.col, r.filter)
	if err != nil {
		return err
	}
	rand.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	marked := make([]any, len(docs))
	for i, d := range docs {
		marked[i] = append(d, bson.E{Key: "_reshuffle", Value: r.name})
	}
	if err := insertInOrder(ctx, r.staging, marked); err != nil {
		return err
	}
	return r.setPhase(ctx, "staged")
}

// restore replaces the documents with the staged copies, in their order.
// Run again, it deletes what it had put back and starts over.
func (r reshuffle) restore(ctx context.Context) error {
	if _, err := DeleteAll(ctx, r.col, r.filter); err != nil {
		return fmt.Errorf("store: unable to take out the documents of %s: %w", r.id, err)
	}
	docs, err := FindAll[bson.D](ctx, r.staging, r.mark())
	if err != nil {
		return err
	}
	back := make([]any, len(docs))
	for i, d := range docs {
		back[i] = without(d, "_reshuffle")
	}
	if err := insertInOrder(ctx, r.col, back); err != nil {
		return err
	}
	return r.setPhase(ctx, "restored")
}

func (r reshuffle) clear(ctx context.Context) error {
	if _, err := DeleteAll(ctx, r.staging, r.mark()); err != nil {
		return fmt.Errorf("store: unable to clear the staging of %s: %w", r.id, err)
	}
	if _, err := r.states.DeleteOne(ctx, bson.D{{Key: "_id", Value: r.id}}); err != nil {
		return fmt.Errorf("store: unable to finish the reshuffle of %s: %w", r.id, err)
	}
	return nil
}

// insertInOrder inserts docs in their order, a thousand at a time.
func insertInOrder(ctx context.Context, col *mongo.Collection, docs []any) error {
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		// Ordered: the store may not reorder them.
		if _, err := col.InsertMany(ctx, docs[:n], options.InsertMany().SetOrdered(true)); err != nil {
			return fmt.Errorf("store: unable to write %s: %w", col.Name(), err)
		}
		docs = docs[n:]
	}
	return nil
}

func without(d bson.D, key string) bson.D {
	out := make(bson.D, 0, len(d))
	for _, e := range d {
		if e.Key != key {
			out = append(out, e)
		}
	}
	return out
}

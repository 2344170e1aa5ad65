package store

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Migration rewrites the documents of some collections into their current
// stored form, once: a marker in the collection "migrations" says it is
// done, and opening the store again only reads that marker.
type Migration struct {
	// Name identifies the migration; it is never reused.
	Name        string
	Collections []string
	// Prefixes add every collection whose name starts with one of them
	// (one collection per wave), listed when the migration runs.
	Prefixes []string
	// Convert returns a document's current form, or nil when it is
	// current already. It must keep _id, and be pure: a run after an
	// interruption converts the same documents again.
	Convert func(bson.Raw) (bson.Raw, error)
}

const colMigrations = "migrations"

// migrationBatch bounds a write of the migration (and the converted
// documents held in memory on MongoDB); tests make it small.
var migrationBatch = 1000

// migrationStep, when set, runs at each step of a swap (its name) and
// stops the migration there when it returns an error: tests interrupt it.
var migrationStep func(step string) error

func stepDone(step string) error {
	if migrationStep == nil {
		return nil
	}
	return migrationStep(step)
}

// Migrate runs the migrations that have not run yet, in order. It is meant
// for the start of the process, before anything else writes the
// collections: the embedded store, which one process holds, gets each
// collection rewritten whole through a staging copy (an update there scans
// the collection, so one per document would take hours); MongoDB gets one
// replacement per old document, in bulk. Either way a run interrupted at
// any point (kill -9 included) is completed by the next, and the log says
// what was done without saying anything of the documents' content.
func (s *Store) Migrate(ctx context.Context, logger *slog.Logger, ms ...Migration) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	for _, m := range ms {
		if err := s.migrate(ctx, logger, m); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func (s *Store) migrate(ctx context.Context, logger *slog.Logger, m Migration) error {
	states := s.DB.Collection(colMigrations)
	if phase, err := migrationPhase(ctx, states, m.Name); err != nil || phase == "done" {
		return err
	}
	started := time.Now()
	cols, err := s.migrationCollections(ctx, m)
	if err != nil {
		return err
	}
	var rewritten int
	for _, col := range cols {
		r := rewrite{m: m, col: s.DB.Collection(col), states: states, id: m.Name + "/" + col}
		var n int
		var err error
		if s.Embedded {
			n, err = r.swap(ctx)
		} else {
			n, err = r.replace(ctx)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", col, err)
		}
		if n > 0 {
			logger.Info("migrated stored documents", slog.String("migration", m.Name),
				slog.String("collection", col), slog.Int("documents", n))
		}
		rewritten += n
	}
	if rewritten > 0 {
		logger.Info("migration done", slog.String("migration", m.Name), slog.Duration("took", time.Since(started).Round(time.Millisecond)))
	}
	if err := setMigrationPhase(ctx, states, m.Name, "done"); err != nil {
		return err
	}
	for _, col := range cols {
		if _, err := states.DeleteOne(ctx, bson.D{{Key: "_id", Value: m.Name + "/" + col}}); err != nil {
			return err
		}
	}
	return nil
}

// stagingSuffix names a collection's staging copy during a swap.
const stagingSuffix = "_migration"

// migrationCollections lists the collections m rewrites.
func (s *Store) migrationCollections(ctx context.Context, m Migration) ([]string, error) {
	cols := slices.Clone(m.Collections)
	if len(m.Prefixes) == 0 {
		return cols, nil
	}
	names, err := s.DB.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for _, name := range names {
		for _, p := range m.Prefixes {
			if strings.HasPrefix(name, p) && !strings.HasSuffix(name, stagingSuffix) && !slices.Contains(cols, name) {
				cols = append(cols, name)
			}
		}
	}
	return cols, nil
}

type rewrite struct {
	m      Migration
	col    *mongo.Collection
	states *mongo.Collection
	id     string
}

// swap rewrites a collection whole (embedded store): its documents are
// copied in their stored order, converted, into a staging collection; if
// any was converted, the collection is dropped and refilled from the
// staging in the same order (the order a reshuffle gave them stays), its
// indexes created again, and the staging dropped. A state document says
// which step is done.
func (r rewrite) swap(ctx context.Context) (int, error) {
	staging := r.col.Database().Collection(r.col.Name() + stagingSuffix)
	phase, err := migrationPhase(ctx, r.states, r.id)
	if err != nil {
		return 0, err
	}
	var n int
	switch phase {
	case "":
		if err := staging.Drop(ctx); err != nil {
			return 0, err
		}
		if n, err = r.copyOver(ctx, r.col, staging, nil); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, staging.Drop(ctx)
		}
		if err := r.saveIndexes(ctx); err != nil {
			return 0, err
		}
		if err := setMigrationPhase(ctx, r.states, r.id, "staged"); err != nil {
			return 0, err
		}
		if err := stepDone("staged"); err != nil {
			return 0, err
		}
		fallthrough
	case "staged":
		// Dropped, not emptied: the store deletes the documents a delete
		// matches in one SQL statement with a variable per document, which
		// SQLite refuses past 32,766. Run again after an interruption, this
		// drops what it had put back and starts over; the indexes, saved
		// in the state, are created again after the refill.
		if err := r.col.Drop(ctx); err != nil {
			return 0, err
		}
		if _, err := r.copyOver(ctx, staging, r.col, func() error { return stepDone("batch put back") }); err != nil {
			return 0, err
		}
		if err := r.restoreIndexes(ctx); err != nil {
			return 0, err
		}
		if err := setMigrationPhase(ctx, r.states, r.id, "restored"); err != nil {
			return 0, err
		}
		if err := stepDone("restored"); err != nil {
			return 0, err
		}
		if n == 0 {
			// Resumed: how many were converted is not known any more;
			// count what was copied.
			n64, err := staging.EstimatedDocumentCount(ctx)
			if err != nil {
				return 0, err
			}
			n = int(n64)
		}
		fallthrough
	case "restored":
		return n, staging.Drop(ctx)
	}
	return n, nil
}

// copyOver inserts every document of from into to, converted, in their
// stored order, a batch at a time, running afterBatch (if set) after each
// batch; it returns how many it converted.
func (r rewrite) copyOver(ctx context.Context, from, to *mongo.Collection, afterBatch func() error) (int, error) {
	var n int
	batch := make([]any, 0, migrationBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := insertInOrder(ctx, to, batch)
		batch = batch[:0]
		if err == nil && afterBatch != nil {
			err = afterBatch()
		}
		return err
	}
	err := r.each(ctx, from, func(doc bson.Raw, converted bool) error {
		if converted {
			n++
		}
		if batch = append(batch, doc); len(batch) < migrationBatch {
			return nil
		}
		return flush()
	})
	if err == nil {
		err = flush()
	}
	return n, err
}

// savedIndex is an index of a collection a swap drops, kept in its state.
type savedIndex struct {
	Name   string   `bson:"name"`
	Keys   bson.Raw `bson:"keys"`
	Unique bool     `bson:"unique"`
}

// saveIndexes records the collection's indexes (but _id's) in its state.
func (r rewrite) saveIndexes(ctx context.Context) error {
	specs, err := r.col.Indexes().ListSpecifications(ctx)
	if err != nil {
		return err
	}
	saved := []savedIndex{}
	for _, spec := range specs {
		if spec.Name != "_id_" {
			saved = append(saved, savedIndex{Name: spec.Name, Keys: spec.KeysDocument, Unique: spec.Unique != nil && *spec.Unique})
		}
	}
	_, err = r.states.UpdateOne(ctx, bson.D{{Key: "_id", Value: r.id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "indexes", Value: saved}}}}, options.UpdateOne().SetUpsert(true))
	return err
}

// restoreIndexes creates the indexes saveIndexes recorded.
func (r rewrite) restoreIndexes(ctx context.Context) error {
	var state struct {
		Indexes []savedIndex `bson:"indexes"`
	}
	if err := r.states.FindOne(ctx, bson.D{{Key: "_id", Value: r.id}}).Decode(&state); err != nil {
		return err
	}
	for _, ix := range state.Indexes {
		model := mongo.IndexModel{Keys: ix.Keys, Options: options.Index().SetName(ix.Name).SetUnique(ix.Unique)}
		if _, err := r.col.Indexes().CreateOne(ctx, model); err != nil {
			return fmt.Errorf("unable to create index %s again: %w", ix.Name, err)
		}
	}
	return nil
}

// replace converts the old documents one by one, replacing them in bulk by
// _id (MongoDB). It needs no state: what is converted is current, and a
// later run skips it.
func (r rewrite) replace(ctx context.Context) (int, error) {
	var n int
	var models []mongo.WriteModel
	write := func() error {
		if len(models) == 0 {
			return nil
		}
		_, err := r.col.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		models = models[:0]
		return err
	}
	err := r.each(ctx, r.col, func(doc bson.Raw, converted bool) error {
		if !converted {
			return nil
		}
		n++
		models = append(models, mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: doc.Lookup("_id")}}).SetReplacement(doc))
		if len(models) < migrationBatch {
			return nil
		}
		return write()
	})
	if err == nil {
		err = write()
	}
	return n, err
}

// each reads col in stored order and hands fn every document in its
// current form, saying whether it was converted.
func (r rewrite) each(ctx context.Context, col *mongo.Collection, fn func(bson.Raw, bool) error) error {
	cur, err := col.Find(ctx, bson.D{}, options.Find().SetBatchSize(int32(migrationBatch)))
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		doc := bson.Raw(append([]byte(nil), cur.Current...))
		conv, err := r.m.Convert(doc)
		if err != nil {
			return err
		}
		if conv != nil {
			doc = conv
		}
		if err := fn(doc, conv != nil); err != nil {
			return err
		}
	}
	return cur.Err()
}

func migrationPhase(ctx context.Context, states *mongo.Collection, id string) (string, error) {
	var state struct {
		Phase string `bson:"phase"`
	}
	err := states.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&state)
	if err != nil && !IsNotFound(err) {
		return "", fmt.Errorf("unable to read the state of %s: %w", id, err)
	}
	return state.Phase, nil
}

func setMigrationPhase(ctx context.Context, states *mongo.Collection, id, phase string) error {
	_, err := states.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "phase", Value: phase}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("unable to record the state of %s: %w", id, err)
	}
	return nil
}

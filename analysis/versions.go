package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
)

// Tallies are stored as versions, one collection per wave. A batch inserts
// the new version of each tally it changes and then deletes the old ones in
// one statement; readers take the newest version of each cell. The embedded
// store scans a collection for every update or delete, however it is
// filtered, while inserts are cheap: this way a batch costs one scan of one
// wave's tallies, not one per tally, and a crash between the insert and the
// delete leaves both versions, of which readers take the newer.

var safeCollectionName = regexp.MustCompile(`^[a-z0-9_-]{1,48}$`)

// talliesOf returns the collection holding one wave's tallies.
func talliesOf(db *mongo.Database, wave string) *mongo.Collection {
	name := wave
	if !safeCollectionName.MatchString(name) {
		sum := sha256.Sum256([]byte(wave))
		name = hex.EncodeToString(sum[:12])
	}
	return db.Collection(colTallies + "_" + name)
}

func versionID(cell string, seq int64) string { return cell + "#" + strconv.FormatInt(seq, 10) }

// readTallies returns the newest version of every tally of a wave, and the
// ids of older versions a crash left behind.
func readTallies(ctx context.Context, db *mongo.Database, wave string) (map[string]*Tally, []string, error) {
	all, err := store.FindAll[Tally](ctx, talliesOf(db, wave), bson.D{})
	if err != nil {
		return nil, nil, fmt.Errorf("analysis: unable to read tallies of %s: %w", wave, err)
	}
	latest := map[string]*Tally{}
	var stale []string
	for i := range all {
		t := &all[i]
		t.fill()
		cur := latest[t.Cell]
		switch {
		case cur == nil:
			latest[t.Cell] = t
		case t.Seq > cur.Seq:
			stale = append(stale, cur.ID)
			latest[t.Cell] = t
		default:
			stale = append(stale, t.ID)
		}
	}
	return latest, stale, nil
}

// Tallies returns the current tally of every cell of a wave.
func Tallies(ctx context.Context, db *mongo.Database, wave string) ([]*Tally, error) {
	latest, _, err := readTallies(ctx, db, wave)
	if err != nil {
		return nil, err
	}
	out := make([]*Tally, 0, len(latest))
	for _, t := range latest {
		out = append(out, t)
	}
	return out, nil
}

// current returns the tallier's cached tallies of a wave, reading them once.
func (t *Tallier) current(ctx context.Context, wave string) (map[string]*Tally, []string, error) {
	if cur, ok := t.tallies[wave]; ok {
		return cur, nil, nil
	}
	cur, stale, err := readTallies(ctx, t.db, wave)
	if err != nil {
		return nil, nil, err
	}
	t.tallies[wave] = cur
	return cur, stale, nil
}

// apply adds changes to the tallies as batch b. A cell whose newest version
// is already from batch b (a replay after a crash) is left alone.
func (t *Tallier) apply(ctx context.Context, b int64, changes map[string]*Tally) error {
	byWave := map[string][]*Tally{}
	for _, c := range changes {
		byWave[c.Wave] = append(byWave[c.Wave], c)
	}
	for wave, cs := range byWave {
		if err := t.applyWave(ctx, b, wave, cs); err != nil {
			delete(t.tallies, wave) // read again from the store next time
			return err
		}
	}
	return nil
}

func (t *Tallier) applyWave(ctx context.Context, b int64, wave string, changes []*Tally) error {
	cur, old, err := t.current(ctx, wave)
	if err != nil {
		return err
	}
	next := map[string]*Tally{}
	var docs []any
	for _, c := range changes {
		prev := cur[c.Cell]
		if prev != nil && prev.Seq >= b {
			continue
		}
		n := newTally(c.Wave, c.Unit, c.Segment, c.Value)
		if prev != nil {
			n.merge(prev)
			old = append(old, prev.ID)
		}
		n.merge(c)
		n.Seq, n.ID = b, versionID(c.Cell, b)
		next[c.Cell] = n
		docs = append(docs, n)
	}
	col := talliesOf(t.db, wave)
	if len(docs) > 0 {
		_, err := col.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return fmt.Errorf("analysis: unable to write tallies of %s: %w", wave, err)
		}
	}
	if err := deleteIDs(ctx, col, old); err != nil {
		return err
	}
	// Raised even when a replay found every cell written: the crash may
	// have come before the raise.
	if err := raiseVersion(ctx, t.db, wave, b); err != nil {
		return err
	}
	for cell, n := range next {
		cur[cell] = n
	}
	return nil
}

// replaceWave writes a recount of a wave as batch b, removes every older
// version and raises the wave's tally version to b.
func replaceWave(ctx context.Context, db *mongo.Database, b int64, wave string, fresh map[string]*Tally) error {
	col := talliesOf(db, wave)
	docs := make([]any, 0, len(fresh))
	for _, tl := range fresh {
		tl.Seq, tl.ID = b, versionID(tl.Cell, b)
		docs = append(docs, tl)
	}
	if len(docs) > 0 {
		_, err := col.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if err != nil && !onlyDuplicates(err) {
			return fmt.Errorf("analysis: unable to write tallies of %s: %w", wave, err)
		}
	}
	if _, err := col.DeleteMany(ctx, bson.D{{Key: "seq", Value: bson.D{{Key: "$lt", Value: b}}}}); err != nil {
		return fmt.Errorf("analysis: unable to remove old tallies of %s: %w", wave, err)
	}
	return raiseVersion(ctx, db, wave, b)
}

// deleteIDs deletes documents by id in one statement: one scan, not one per id.
func deleteIDs(ctx context.Context, col *mongo.Collection, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := col.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return fmt.Errorf("analysis: unable to delete from %s: %w", col.Name(), err)
	}
	return nil
}

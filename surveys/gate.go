package surveys

import (
	"context"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The gate makes the checks around an answer's insert (accept.go) in
// memory when this process is the only one that writes to the database:
// the embedded store, whose data directory a running process holds locked
// (store.AcquireLock), so no command or second instance can write beside
// it. A relative's answer then waits for its insert alone, not for three
// reads besides (issue 22's single-client submit).
//
// The promises stay those that the reads keep with several instances;
// here they are kept by ordering instead of reading:
//
//   - Closing is immediate. Inserts of guarded answers hold the gate
//     shared; a wave's status changes (setWaveStatus) hold it exclusively
//     and update the gate's copy of the status before letting go. An insert
//     that saw the wave open therefore finished before the close began, as
//     an answer stored a moment before closing does, and none starts after.
//   - A withdrawal is final. A tombstone is written (Bury) holding the gate
//     exclusively and added to the gate's set before letting go, so an
//     answer either was inserted before it (and the withdrawal that follows
//     the burial takes it back) or finds the tombstone and is refused
//     without being inserted.
//
// With several instances on MongoDB nothing is declared sole writer and the
// reads are made as before; the embedded store's tests run with the gate,
// the second store leg of CI (a FerretDB of its own, through MONGODB_URI)
// without it.

// gates are the databases this process alone writes to, by name.
var gates sync.Map // string → *gate

// DeclareSoleWriter says that no other process writes to db while this one
// runs, so that answers to it are checked in memory (see above). Only the
// owner of the embedded store's lock may say so.
func DeclareSoleWriter(db *mongo.Database) {
	gates.LoadOrStore(db.Name(), &gate{status: map[string]string{}})
}

type gate struct {
	// order is held shared by inserts of guarded answers and exclusively by
	// what they must not interleave with: a wave's status change, a burial.
	order sync.RWMutex

	mu sync.Mutex // guards the copies below
	// status is each wave's status as this process last read or wrote it.
	status map[string]string
	// tombs are the tombstones' ids, once read (tombsRead).
	tombs     map[string]bool
	tombsRead bool
}

// gate returns the gate of s's database, or nil when it has none (another
// process may write to it).
func (s *Store) gate() *gate {
	g, ok := gates.Load(s.db.Name())
	if !ok {
		return nil
	}
	return g.(*gate)
}

// open reports whether wave w takes answers, reading its status from the
// store only the first time. The caller holds order shared.
func (g *gate) open(ctx context.Context, s *Store, w string) (bool, error) {
	g.mu.Lock()
	st, ok := g.status[w]
	g.mu.Unlock()
	if !ok {
		wave, err := s.Wave(ctx, w)
		if err != nil {
			return false, err
		}
		st = wave.Status
		g.mu.Lock()
		g.status[w] = st
		g.mu.Unlock()
	}
	return st == WaveOpen, nil
}

// buried reports whether tomb has a tombstone, reading them all from the
// store only the first time. The caller holds order shared.
func (g *gate) buried(ctx context.Context, s *Store, tomb string) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.tombsRead {
		ids, err := tombstoneIDs(ctx, s.db)
		if err != nil {
			return false, err
		}
		g.tombs, g.tombsRead = ids, true
	}
	return g.tombs[tomb], nil
}

func tombstoneIDs(ctx context.Context, db *mongo.Database) (map[string]bool, error) {
	cur, err := db.Collection(colTombstones).Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to read the withdrawals: %w", err)
	}
	var found []tombstone
	if err := cur.All(ctx, &found); err != nil {
		return nil, fmt.Errorf("surveys: unable to read the withdrawals: %w", err)
	}
	ids := make(map[string]bool, len(found))
	for _, t := range found {
		ids[t.ID] = true
	}
	return ids, nil
}

// forgetStatus makes the next answer to wave w read its status again; the
// caller holds order exclusively, having just written (or failed to write)
// a new one. Reading it afresh, rather than trusting what was written, keeps
// the gate right whatever the write's outcome.
func (g *gate) forgetStatus(w string) {
	g.mu.Lock()
	delete(g.status, w)
	g.mu.Unlock()
}

// bury records a tombstone; the caller holds order exclusively.
func (g *gate) bury(tomb string) {
	g.mu.Lock()
	if g.tombsRead {
		g.tombs[tomb] = true
	}
	g.mu.Unlock()
}

// forgetTombs makes the next check read the tombstones again (after a purge).
func (g *gate) forgetTombs() {
	g.mu.Lock()
	g.tombs, g.tombsRead = nil, false
	g.mu.Unlock()
}

// guard refuses, before their insert, the guarded answers of group whose
// wave is not open or whose receipt was withdrawn. The caller holds order
// shared until the insert is done.
func (g *gate) guard(ctx context.Context, s *Store, group []pendingSave, errs []error) {
	for i, p := range group {
		if !p.guarded || errs[i] != nil {
			continue
		}
		open, err := g.open(ctx, s, p.r.Wave)
		switch {
		case err != nil:
			errs[i] = fmt.Errorf("surveys: unable to read the wave's status: %w", err)
			continue
		case !open:
			errs[i] = ErrWaveNotOpen
			continue
		}
		if p.tomb == "" {
			continue
		}
		if buried, err := g.buried(ctx, s, p.tomb); err != nil {
			errs[i] = err
		} else if buried {
			errs[i] = ErrWithdrawnMeanwhile
		}
	}
}

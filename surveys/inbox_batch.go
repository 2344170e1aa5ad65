package surveys

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Group commit: when many relatives submit at once, their answers are
// written to the inbox together, in one InsertMany, and each is
// acknowledged only after that write returned. The store commits (and
// syncs) once per batch instead of once per answer, so throughput grows
// with the load, while a lone answer waits no longer than its own insert.

// maxGroup bounds one group commit.
const maxGroup = 256

type pendingSave struct {
	r *Response
	// guarded answers are checked against their wave and tombstone (tomb)
	// around the insert (AcceptResponse).
	guarded bool
	tomb    string
	done    chan error
}

type groupCommitter struct {
	s    *Store
	col  *mongo.Collection
	reqs chan pendingSave
	wg   sync.WaitGroup
	stop chan struct{}
}

// StartGroupCommit makes SaveResponse and AcceptResponse write concurrent
// answers together. stop waits for the answers in flight and switches it
// off again.
func (s *Store) StartGroupCommit() (stop func()) {
	g := &groupCommitter{s: s, col: s.db.Collection(colInbox), reqs: make(chan pendingSave), stop: make(chan struct{})}
	g.wg.Add(1)
	go g.run()
	s.group = g
	var once sync.Once
	return func() {
		once.Do(func() { close(g.stop) })
		g.wg.Wait()
	}
}

func (g *groupCommitter) save(ctx context.Context, p pendingSave) error {
	p.done = make(chan error, 1)
	select {
	case g.reqs <- p:
	case <-g.stop:
		return errors.New("surveys: shutting down; the answer was not saved")
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once handed over, the write happens whatever the request's context
	// does, and the handler must learn how it went: wait for it.
	return <-p.done
}

func (g *groupCommitter) run() {
	defer g.wg.Done()
	for {
		var first pendingSave
		select {
		case first = <-g.reqs:
		case <-g.stop:
			return
		}
		group := []pendingSave{first}
	gather:
		for len(group) < maxGroup {
			select {
			case p := <-g.reqs:
				group = append(group, p)
			default:
				break gather
			}
		}
		g.commit(group)
	}
}

func (g *groupCommitter) commit(group []pendingSave) {
	errs := g.s.commitAnswers(context.Background(), group)
	for i, p := range group {
		p.done <- errs[i]
	}
}

// commitAnswers inserts a group of answers in one InsertMany, with the
// checks of the guarded ones around it (accept.go, or in memory through
// the gate, gate.go), and returns each answer's outcome.
func (s *Store) commitAnswers(ctx context.Context, group []pendingSave) []error {
	errs := make([]error, len(group))
	if g := s.gate(); g != nil {
		g.order.RLock()
		g.guard(ctx, s, group, errs)
		at := s.insertAnswers(ctx, group, errs)
		// Nothing could close a wave or bury a receipt meanwhile: no check after.
		g.order.RUnlock()
		if waves := guardedWaves(group, errs, at); len(waves) > 0 && s.AfterInsert != nil {
			s.AfterInsert(waves)
		}
		return errs
	}
	s.guardBefore(ctx, group, errs)
	at := s.insertAnswers(ctx, group, errs)
	s.guardAfter(ctx, group, errs, at)
	return errs
}

// insertAnswers inserts the answers of group not refused yet (errs) in one
// InsertMany, records each one's outcome in errs and returns the positions
// it tried to insert.
func (s *Store) insertAnswers(ctx context.Context, group []pendingSave, errs []error) (at []int) {
	var docs []any
	for i, p := range group {
		if errs[i] == nil {
			docs = append(docs, p.r)
			at = append(at, i)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	_, err := s.db.Collection(colInbox).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
	case errors.As(err, &bwe) && bwe.WriteConcernError == nil:
		for _, we := range bwe.WriteErrors {
			if we.Index < 0 || we.Index >= len(at) {
				continue
			}
			if we.Code == 11000 {
				errs[at[we.Index]] = ErrAlreadySaved
			} else {
				errs[at[we.Index]] = fmt.Errorf("surveys: unable to save response: %w", err)
			}
		}
	default:
		for _, i := range at {
			errs[i] = fmt.Errorf("surveys: unable to save response: %w", err)
		}
	}
	return at
}

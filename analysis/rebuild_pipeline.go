package analysis

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/surveys"
)

// A recount runs as a pipeline: one goroutine reads (the store, the driver
// and the decoding of answers), this one counts, and a writer packs and
// stores chunks and free text. On two cores reading is most of a recount's
// time; the counting and the writing now happen beside it.

// counted is the result of a recount held in memory: tallies are small.
type counted struct {
	tallies  map[string]*Tally
	n, total int64
	progress func(done, total int64)
}

func newCounted(total int64, progress func(done, total int64)) *counted {
	return &counted{tallies: map[string]*Tally{}, total: total, progress: progress}
}

// done reports the end to the progress bar.
func (c *counted) done() {
	if c.progress != nil {
		c.progress(c.n, c.n)
	}
}

// source sends batches of answers until they end or ctx does.
type source func(ctx context.Context, out chan<- []*surveys.Response) error

// reading is a source read ahead on a goroutine of its own.
type reading struct {
	// batches closes when the source has ended.
	batches <-chan []*surveys.Response
	err     <-chan error
}

// readAhead starts src on a goroutine of its own, sending into a channel
// that holds up to buffer batches, so that reading overlaps with the work
// on what it read. A consumer that stops early cancels the ctx it passed
// and drains, so that src ends; every consumer then waits for src's error.
func readAhead(ctx context.Context, src source, buffer int) reading {
	batches := make(chan []*surveys.Response, buffer)
	errc := make(chan error, 1)
	go func() {
		defer close(batches)
		errc <- src(ctx, batches)
	}()
	return reading{batches: batches, err: errc}
}

// drain discards what the source still sends, until it ends; its ctx
// must be cancelled first, or drain reads it all.
func (r reading) drain() {
	for range r.batches {
	}
}

// wait returns the source's error once it has ended; call it once.
func (r reading) wait() error { return <-r.err }

// recountBatch is how many responses the reading hands over at a time:
// enough that the hand-over costs nothing, few enough to hold.
const recountBatch = 500

// responsesOf reads the filed responses of a wave (every wave when empty),
// those keep accepts when it is set.
func responsesOf(ss *surveys.Store, wave string, keep func(*surveys.Response) bool) source {
	return func(ctx context.Context, out chan<- []*surveys.Response) error {
		batch := make([]*surveys.Response, 0, recountBatch)
		send := func() error {
			select {
			case out <- batch:
				batch = make([]*surveys.Response, 0, recountBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := ss.EachResponse(ctx, wave, func(r *surveys.Response) error {
			if keep != nil && !keep(r) {
				return nil
			}
			if batch = append(batch, r); len(batch) < recountBatch {
				return nil
			}
			return send()
		})
		if err != nil || len(batch) == 0 {
			return err
		}
		return send()
	}
}

// countFrom counts what src reads, handing each batch with its free text
// to out when it is set. Counting is most of a recount's work once the
// answers are read from chunks, so it runs on as many goroutines as there
// are processors (up to four), each into tallies of its own, merged at
// the end; sums then differ from a one-by-one count by rounding only,
// which Verify allows for.
func (c *counted) countFrom(ctx context.Context, ss *surveys.Store, src source, out *recountWriter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rd := readAhead(ctx, src, 4)
	parts := make([]*counted, min(runtime.GOMAXPROCS(0), 4))
	counts := make(chan int, len(parts))
	failed := make(chan error, len(parts))
	var wg sync.WaitGroup
	for i := range parts {
		parts[i] = newCounted(0, nil)
		wg.Go(func() {
			for batch := range rd.batches {
				if err := parts[i].count(ctx, ss, batch, out); err != nil {
					failed <- err
					cancel()
					rd.drain()
					return
				}
				counts <- len(batch)
			}
		})
	}
	go func() {
		wg.Wait()
		close(counts)
	}()
	// The progress bar is told from this goroutine only.
	for n := range counts {
		c.n += int64(n)
		if c.progress != nil {
			c.progress(c.n, max(c.total, c.n))
		}
	}
	readErr := rd.wait()
	select {
	case err := <-failed:
		return err
	default:
	}
	if readErr != nil {
		return readErr
	}
	for _, p := range parts {
		for cell, tl := range p.tallies {
			if have := c.tallies[cell]; have != nil {
				have.merge(tl)
			} else {
				c.tallies[cell] = tl
			}
		}
	}
	return nil
}

// count adds a batch of answers to the tallies and hands them, with their
// free text, to out when it is set.
func (c *counted) count(ctx context.Context, ss *surveys.Store, batch []*surveys.Response, out *recountWriter) error {
	var texts []Text
	for _, r := range batch {
		in, err := ss.Instrument(ctx, r.Instrument)
		if err != nil {
			return err
		}
		addTo(c.tallies, in, r, +1)
		if out != nil {
			texts = append(texts, textsOf(in, r)...)
		}
	}
	if out == nil {
		return nil
	}
	return out.add(ctx, batch, texts)
}

// clearChunks removes the chunks a recount from the responses writes anew.
func clearChunks(ctx context.Context, db *mongo.Database, filter bson.D) error {
	if _, err := db.Collection(colChunks).DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("analysis: unable to clear answer chunks: %w", err)
	}
	return nil
}

// recountWriter writes what a recount produces besides the tallies, the
// answer chunks (when it rewrites them) and the free text, on a goroutine
// of its own. Both writes can be made again: a recount run again after a
// crash clears the chunks first, and text already queued keeps its review.
type recountWriter struct {
	db     *mongo.Database
	chunks bool
	// pending gathers each wave's answers until a chunk is full.
	mu      sync.Mutex
	pending map[string][]*surveys.Response
	work    chan recountWrite
	done    chan error
}

// recountWrite is one piece of the writer's work: a full chunk, or text.
type recountWrite struct {
	chunk []*surveys.Response
	texts []Text
}

// startRecountWriter starts a writer of free text, and of chunks when
// chunks is set. It must be closed.
func startRecountWriter(ctx context.Context, db *mongo.Database, chunks bool) *recountWriter {
	w := &recountWriter{db: db, chunks: chunks, pending: map[string][]*surveys.Response{},
		work: make(chan recountWrite, 4), done: make(chan error, 1)}
	go w.run(ctx)
	return w
}

// run writes until the work ends; after a failure it only drains, so that
// senders never block, and reports the first error.
func (w *recountWriter) run(ctx context.Context) {
	var first error
	for job := range w.work {
		if first != nil {
			continue
		}
		if len(job.chunk) > 0 {
			first = w.writeChunk(ctx, job.chunk)
		}
		if first == nil {
			first = insertTexts(ctx, w.db, job.texts)
		}
	}
	w.done <- first
}

func (w *recountWriter) writeChunk(ctx context.Context, rs []*surveys.Response) error {
	data, err := pack(rs)
	if err != nil {
		return err
	}
	c := chunk{ID: chunkID(), Wave: rs[0].Wave, N: int64(len(rs)), Data: data}
	if _, err := w.db.Collection(colChunks).InsertOne(ctx, c); err != nil {
		return fmt.Errorf("analysis: unable to write an answer chunk: %w", err)
	}
	return nil
}

// add takes counted answers and their text, from any goroutine. Answers
// are gathered per wave and full chunks go to the writer.
func (w *recountWriter) add(ctx context.Context, rs []*surveys.Response, texts []Text) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range rs {
		if !w.chunks {
			break
		}
		k := r.Wave
		w.pending[k] = append(w.pending[k], r)
		if len(w.pending[k]) == chunkSize {
			if err := w.send(ctx, recountWrite{chunk: w.pending[k]}); err != nil {
				return err
			}
			delete(w.pending, k)
		}
	}
	if len(texts) == 0 {
		return nil
	}
	return w.send(ctx, recountWrite{texts: texts})
}

func (w *recountWriter) send(ctx context.Context, job recountWrite) error {
	select {
	case w.work <- job:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close writes the partly filled chunks, stops the writer and returns the
// first error it met. It must be called once, whatever happened before.
func (w *recountWriter) close(ctx context.Context) error {
	var err error
	for k, rs := range w.pending {
		if err = w.send(ctx, recountWrite{chunk: rs}); err != nil {
			break
		}
		delete(w.pending, k)
	}
	close(w.work)
	if werr := <-w.done; werr != nil {
		return werr
	}
	return err
}

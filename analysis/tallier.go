package analysis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Tallier is the one writer of the tallies. Accepted answers wait in the
// inbox (surveys.SaveResponse); the tallier files them among the responses
// and counts them in batches, and it is the only way to uncount one
// (withdrawal) or to rebuild a wave's tallies. Being one goroutine, it
// serializes every write to a tally document, which the embedded store
// needs: its concurrent updates of one document are not atomic.
//
// Crash safety without transactions: before a batch touches anything it is
// written to a journal with a new batch number, the answers it takes and
// their waves. A batch interrupted half-way is finished at start-up by
// filing what is left in the inbox and recounting its waves from the filed
// responses, which are the record: each is stored once, whatever the batch
// had done. Nothing on a response says which batch filed it, or when.
type Tallier struct {
	db      *mongo.Database
	surveys *surveys.Store
	logger  *slog.Logger
	kick    chan struct{}
	// kicks counts the answers announced since the last batch began; early
	// starts a batch before minBatchInterval has passed (see pace).
	kicks atomic.Int64
	early chan struct{}
	ops   chan tallyOp
	// id names this tallier in the lease.
	id        string
	exclusive bool
	// Owned by the running goroutine.
	holding    bool
	leaseUntil time.Time
	recovered  bool
	batch      int64
	// tallies caches the current version of every tally per wave; the
	// tallier is their only writer, so the cache stays true.
	tallies map[string]map[string]*Tally
	// closeGrace is how long after a wave closed its results wait before
	// they become final: the time a post that saw the wave open needs to
	// reach the inbox or take its answer back.
	closeGrace time.Duration
	settled    time.Time
}

// DefaultCloseGrace is the closeGrace of a new tallier.
const DefaultCloseGrace = 10 * time.Second

// settleEvery bounds how often closed waves are checked to be made final.
const settleEvery = 5 * time.Second

type tallyOp struct {
	kind     string // "flush", "retally", "rebuild"
	wave     string
	progress func(done, total int64)
	reply    chan error
}

// journal is the tallier's write-ahead record of the batch in progress.
type journal struct {
	ID     string   `bson:"_id"`
	Batch  int64    `bson:"batch"`
	Active bool     `bson:"active"`
	Op     string   `bson:"op"`
	IDs    []string `bson:"ids,omitempty"`
	Wave   string   `bson:"wave,omitempty"`
	// Waves are the waves of a file batch's answers.
	Waves []string `bson:"waves,omitempty"`
}

const (
	journalID = "tallier"
	// batchSize bounds the responses one batch files and counts.
	batchSize = 500
	// idlePoll is how often the inbox is looked at without a kick: answers
	// left by another process or by a failed batch are picked up by it.
	idlePoll = 2 * time.Second
)

// ErrStopped means the tallier is not running.
var ErrStopped = errors.New("analysis: the tallier is not running")

// NewTallier returns a tallier on db; Run starts it.
func NewTallier(db *mongo.Database, logger *slog.Logger) *Tallier {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Tallier{db: db, surveys: surveys.NewStore(db), logger: logger, id: randomID(),
		kick: make(chan struct{}, 1), early: make(chan struct{}, 1), ops: make(chan tallyOp),
		tallies: map[string]map[string]*Tally{}, closeGrace: DefaultCloseGrace}
}

// Start runs the tallier in a goroutine until stop is called.
func (t *Tallier) Start() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Run(ctx)
	}()
	return func() { cancel(); <-done }
}

// Run counts answers as they arrive until ctx ends, while it holds the
// tally lease; an instance without it serves its callers by waiting for the
// holder. On taking the lease it first finishes the batch the journal says
// was interrupted. A failing store is retried with a growing pause.
func (t *Tallier) Run(ctx context.Context) {
	defer t.release()
	pause := time.Duration(0)
	for {
		// A batch that has begun is finished even when ctx ends meanwhile
		// (a graceful stop), so a clean stop never leaves one to replay.
		workCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		err := t.work(workCtx)
		cancel()
		if err != nil && ctx.Err() == nil {
			t.logger.Error("tallying failed", slog.String("error", err.Error()))
			pause = min(max(2*pause, 100*time.Millisecond), 10*time.Second)
		} else {
			pause = 0
		}
		wait := idlePoll
		if pause > 0 {
			wait = pause
		}
		timer := time.NewTimer(wait)
		worked := time.Now()
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-t.kick:
			// Answers arriving one by one are gathered for a moment: a
			// batch costs the store several commits whatever its size, and
			// those would otherwise compete with every relative's insert.
			if !t.pace(ctx, worked) {
				timer.Stop()
				return
			}
		case <-timer.C:
		case op := <-t.ops:
			op.reply <- t.do(ctx, op)
		}
		timer.Stop()
	}
}

// minBatchInterval is the least time between two batches started by
// kicks, unless earlyBatch answers are waiting or a withdrawal is. A batch
// costs the embedded store about seven commits and a scan of the wave's
// tallies whatever its size, so gathering answers for a second keeps that
// cost small beside the answers' own (issue 22: a relative's journey spent
// about a tenth of its server time in tally batches of a few answers).
// Nobody waits for the count: results exist once a wave is closed, and an
// open wave's participation is shown in steps of five.
const (
	minBatchInterval = time.Second
	earlyBatch       = batchSize / 4
)

// pace waits until minBatchInterval has passed since the last batch, or
// until an early batch is asked for, serving operations (flush, retally) at
// once meanwhile. It reports false when ctx ended.
func (t *Tallier) pace(ctx context.Context, since time.Time) bool {
	wait := time.NewTimer(minBatchInterval - time.Since(since))
	defer wait.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case op := <-t.ops:
			op.reply <- t.do(ctx, op)
		case <-t.early:
			return true
		case <-wait.C:
			return true
		}
	}
}

// work does what is waiting, if this tallier holds the lease.
func (t *Tallier) work(ctx context.Context) error {
	holding, err := t.hold(ctx)
	if err != nil || !holding {
		return err
	}
	if !t.recovered {
		if err := t.recover(ctx); err != nil {
			return err
		}
		t.recovered = true
	}
	if err := t.withdrawRequested(ctx); err != nil {
		return err
	}
	t.kicks.Store(0)
	n, err := t.fileBatch(ctx)
	if err != nil || n > 0 || time.Since(t.settled) < settleEvery {
		return err
	}
	return t.settle(ctx)
}

// settle makes closed waves final once everything they took is counted.
// The caller has just found the inbox empty and done the withdrawals asked
// for.
func (t *Tallier) settle(ctx context.Context) error {
	now := time.Now()
	pending, err := t.db.Collection(colWithdrawals).CountDocuments(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("analysis: unable to count withdrawal requests: %w", err)
	}
	if pending > 0 {
		return nil
	}
	done, err := t.surveys.ClosedToFinalize(ctx, now, t.closeGrace)
	if err != nil {
		return err
	}
	for _, id := range done {
		if err := t.reshuffle(ctx, id); err != nil {
			return err
		}
		if err := t.surveys.MarkFinal(ctx, id); err != nil {
			return err
		}
		t.logger.Info("wave results final", slog.String("wave", id))
	}
	t.settled = now
	return nil
}

// reshuffle rewrites a closed wave's answers and free text in random order
// (store.Reshuffle): while the wave was open they were stored roughly in
// the order they came, which a copy of the database shows; from now on
// nothing there orders them in time. The answer chunks and tallies are
// then rebuilt from the answers in their new order.
func (t *Tallier) reshuffle(ctx context.Context, wave string) error {
	filter := bson.D{{Key: "wave", Value: wave}}
	for _, col := range []string{"responses", colTexts} {
		if err := store.Reshuffle(ctx, t.db, col, wave, filter); err != nil {
			return err
		}
	}
	return t.retally(ctx, wave, nil)
}

// Kick tells the tallier an answer arrived, without waiting.
func (t *Tallier) Kick() {
	if t.kicks.Add(1) >= earlyBatch {
		t.hurry()
	}
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// hurry starts the next batch without waiting for minBatchInterval.
func (t *Tallier) hurry() {
	select {
	case t.early <- struct{}{}:
	default:
	}
}

// Flush returns once everything accepted before it is counted, and closed
// waves whose grace has passed are final.
func (t *Tallier) Flush(ctx context.Context) error {
	return t.call(ctx, tallyOp{kind: "flush"})
}

// Retally rebuilds the tallies of one wave (every wave when wave is empty)
// from the stored answers, reporting progress as it goes: from a wave's
// answer chunks when they hold every answer its tallies count, else from
// the filed responses (see rebuild.go). It needs the tally lease, so with
// several instances it runs on the one holding it.
func (t *Tallier) Retally(ctx context.Context, wave string, progress func(done, total int64)) error {
	return t.call(ctx, tallyOp{kind: "retally", wave: wave, progress: progress})
}

// Rebuild is Retally from the filed responses alone, the record, writing
// the answer chunks anew: for when the chunks themselves are in doubt
// (Verify reports a difference, or a restore replaced the responses).
func (t *Tallier) Rebuild(ctx context.Context, wave string, progress func(done, total int64)) error {
	return t.call(ctx, tallyOp{kind: "rebuild", wave: wave, progress: progress})
}

func (t *Tallier) call(ctx context.Context, op tallyOp) error {
	op.reply = make(chan error, 1)
	select {
	case t.ops <- op:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-op.reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (t *Tallier) do(ctx context.Context, op tallyOp) error {
	if err := t.work(ctx); err != nil {
		return err
	}
	if !t.holding {
		if op.kind == "flush" {
			return t.waitForHolder(ctx)
		}
		return ErrNotHolder
	}
	switch op.kind {
	case "flush":
		if err := t.withdrawRequested(ctx); err != nil {
			return err
		}
		if err := t.drain(ctx); err != nil {
			return err
		}
		return t.settle(ctx)
	case "retally", "rebuild":
		if err := t.drain(ctx); err != nil {
			return err
		}
		return t.rebuildFrom(ctx, op.wave, op.kind == "retally", op.progress)
	}
	return fmt.Errorf("analysis: unknown tally operation %q", op.kind)
}

// drain files and counts batches until the inbox is empty.
func (t *Tallier) drain(ctx context.Context) error {
	for {
		n, err := t.fileBatch(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// recover reads the journal and finishes the batch it says was in progress.
func (t *Tallier) recover(ctx context.Context) error {
	var j journal
	err := t.db.Collection(colJournal).FindOne(ctx, bson.D{{Key: "_id", Value: journalID}}).Decode(&j)
	if store.IsNotFound(err) {
		return t.countUncounted(ctx)
	}
	if err != nil {
		return fmt.Errorf("analysis: unable to read the tally journal: %w", err)
	}
	t.batch = j.Batch
	if !j.Active {
		return nil
	}
	t.logger.Warn("finishing an interrupted tally batch", slog.String("op", j.Op), slog.Int64("batch", j.Batch))
	switch j.Op {
	case "file":
		return t.refile(ctx, j)
	case "withdraw":
		return t.uncount(ctx, j.Batch, j.IDs[0])
	case opRebuild:
		return t.rebuild(ctx, j.Batch, j.Wave, false, nil)
	case opRecount:
		return t.rebuild(ctx, j.Batch, j.Wave, true, nil)
	}
	return fmt.Errorf("analysis: unknown journal operation %q", j.Op)
}

// refile finishes a file batch that a crash interrupted: whatever of it is
// still in the inbox is filed (an answer filed before is not filed twice),
// and its waves are recounted from the responses.
func (t *Tallier) refile(ctx context.Context, j journal) error {
	var rs []surveys.Response
	for _, id := range j.IDs {
		r, err := t.surveys.InboxResponse(ctx, id)
		if store.IsNotFound(errors.Unwrap(err)) || store.IsNotFound(err) {
			continue // filed and cleared before the crash
		}
		if err != nil {
			return err
		}
		rs = append(rs, *r)
	}
	if _, err := t.surveys.FileResponses(ctx, rs); err != nil {
		return err
	}
	if err := t.surveys.ClearInbox(ctx, j.IDs); err != nil {
		return err
	}
	waves := j.Waves
	if len(waves) == 0 {
		waves = []string{""} // a journal from before waves were recorded: every wave
	}
	for _, w := range waves {
		if err := t.rebuild(ctx, j.Batch, w, false, nil); err != nil {
			return err
		}
	}
	return nil
}

// begin writes the journal for a new batch and returns its number. The
// write succeeds only if the journal still holds this tallier's last batch:
// a tallier that lost its lease while stalled cannot start another.
func (t *Tallier) begin(ctx context.Context, op string, ids []string, wave string, waves ...string) (int64, error) {
	b := t.batch + 1
	j := journal{ID: journalID, Batch: b, Active: true, Op: op, IDs: ids, Wave: wave, Waves: waves}
	filter := bson.D{{Key: "_id", Value: journalID}, {Key: "batch", Value: t.batch}}
	_, err := t.db.Collection(colJournal).ReplaceOne(ctx, filter, j, options.Replace().SetUpsert(true))
	if store.IsDuplicate(err) {
		t.lost()
		return 0, ErrNotHolder
	}
	if err != nil {
		return 0, fmt.Errorf("analysis: unable to write the tally journal: %w", err)
	}
	t.batch = b
	return b, nil
}

// end marks the journal's batch finished, unless another batch replaced it.
func (t *Tallier) end(ctx context.Context, b int64) error {
	_, err := t.db.Collection(colJournal).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: journalID}, {Key: "batch", Value: b}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "active", Value: false}}}, {Key: "$unset", Value: bson.D{{Key: "ids", Value: ""}}}})
	if err != nil {
		return fmt.Errorf("analysis: unable to close the tally journal: %w", err)
	}
	return nil
}

// fileBatch files and counts up to batchSize answers from the inbox and
// reports how many it took.
func (t *Tallier) fileBatch(ctx context.Context) (int, error) {
	rs, err := t.surveys.Inbox(ctx, batchSize)
	if err != nil || len(rs) == 0 {
		return 0, err
	}
	taken := len(rs)
	if rs, err = t.setAsideLate(ctx, rs); err != nil || len(rs) == 0 {
		return taken, err
	}
	// Filed in random order: the order answers are stored in should not
	// follow the order they came in (see also reshuffle).
	rand.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	var waves []string
	for i := range rs {
		if !slices.Contains(waves, rs[i].Wave) {
			waves = append(waves, rs[i].Wave)
		}
	}
	b, err := t.begin(ctx, "file", ids(rs), "", waves...)
	if err != nil {
		return 0, err
	}
	return len(rs), t.fileResponses(ctx, b, rs)
}

// setAsideLate keeps answers to a wave whose results are final out of the
// count: those results must never change (docs/PRIVACY.md). The submit path
// refuses answers to a closed wave, so none should arrive; one that does is
// kept apart, not counted and not lost, and logged.
func (t *Tallier) setAsideLate(ctx context.Context, rs []surveys.Response) ([]surveys.Response, error) {
	final := map[string]bool{}
	var keep, late []surveys.Response
	for _, r := range rs {
		f, ok := final[r.Wave]
		if !ok {
			w, err := t.surveys.Wave(ctx, r.Wave)
			if err != nil && !store.IsNotFound(errors.Unwrap(err)) {
				return nil, err
			}
			f = err == nil && w.Final
			final[r.Wave] = f
		}
		if f {
			late = append(late, r)
		} else {
			keep = append(keep, r)
		}
	}
	if len(late) == 0 {
		return keep, nil
	}
	if err := t.surveys.SetAsideLate(ctx, late); err != nil {
		return nil, err
	}
	t.logger.Error("answers to a wave whose results are final were set aside, not counted", slog.Int("answers", len(late)))
	return keep, nil
}

// fileResponses is the body of a file batch.
func (t *Tallier) fileResponses(ctx context.Context, b int64, rs []surveys.Response) error {
	count, err := t.surveys.FileResponses(ctx, rs)
	if err != nil {
		return err
	}
	changes := map[string]*Tally{}
	var texts []Text
	var counted []*surveys.Response
	ids := make([]string, 0, len(rs))
	for i := range rs {
		r := &rs[i]
		ids = append(ids, r.ID)
		if !count[i] {
			continue // a retried post of an answer counted before
		}
		counted = append(counted, r)
		in, err := t.surveys.Instrument(ctx, r.Instrument)
		if err != nil {
			return err
		}
		addTo(changes, in, r, +1)
		texts = append(texts, textsOf(in, r)...)
	}
	if err := t.apply(ctx, b, changes); err != nil {
		return err
	}
	if err := insertTexts(ctx, t.db, texts); err != nil {
		return err
	}
	if err := writeChunks(ctx, t.db, counted); err != nil {
		return err
	}
	if err := t.surveys.ClearInbox(ctx, ids); err != nil {
		return err
	}
	return t.end(ctx, b)
}

// addTo counts (sign +1) or uncounts (−1) one response in a set of tally changes.
func addTo(changes map[string]*Tally, in *surveys.Instrument, r *surveys.Response, sign int64) {
	c := contributionOf(in, r)
	for _, k := range tallyKeys(r) {
		id := CellID(r.Wave, r.Unit, k[0], k[1])
		tl := changes[id]
		if tl == nil {
			tl = newTally(r.Wave, r.Unit, k[0], k[1])
			changes[id] = tl
		}
		tl.add(c, sign)
	}
}

func ids(rs []surveys.Response) []string {
	out := make([]string, len(rs))
	for i := range rs {
		out[i] = rs[i].ID
	}
	return out
}

// countUncounted runs once in a database's life, when no tallier has
// written a journal yet: answers filed by an earlier version of Stemme,
// which counted differently, are recounted, so an upgrade needs no step.
func (t *Tallier) countUncounted(ctx context.Context) error {
	n, err := t.db.Collection("responses").EstimatedDocumentCount(ctx)
	if err != nil || n == 0 {
		return err
	}
	t.logger.Warn("recounting answers filed before this version", slog.Int64("answers", n))
	return t.retally(ctx, "", nil)
}

package analysis

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/stemme/stemme/store"
	"github.com/stemme/stemme/surveys"
)

// Answers are also kept packed in chunks: documents of a wave holding the
// answers one tally batch filed (under a random id: nothing in a chunk
// orders it in time; see ReshuffleWave for the order they are stored in). Reading a wave's answers row by row
// (raw-data exports) then reads a few hundred documents instead of one per
// answer; the embedded store spends its time per document (100,000 answers
// scan in ~17 s, their 200 chunks in well under one). The responses stay
// the record: a rebuild reads them and writes the chunks anew, and a
// retally reads complete chunks instead (see rebuild.go).

const (
	colChunks = "answer_chunks"
	// chunkSize bounds the answers of one chunk written by a rebuild.
	chunkSize = 500
)

type chunk struct {
	ID   string `bson:"_id"`
	Wave string `bson:"wave"`
	// N counts the answers in Data (see pack), gzipped: answers compress
	// about sevenfold, and the store's cost grows with the bytes it moves.
	N    int64  `bson:"n"`
	Data []byte `bson:"data"`
}

// chunkV1 is the chunk data's format (its first byte): gzipped JSON of
// the answer keys and one row of typed cells per response
// (docs/STORAGE.md). A new format gets the next number and a case in unpack.
const chunkV1 byte = 1

// pack encodes responses as a chunk's data in the newest format: the
// version byte, then gzipped JSON of the answer keys and one row of
// strings per response, which decodes several times faster than a map per
// response.
func pack(rs []*surveys.Response) ([]byte, error) {
	var p packed
	col := map[string]int{}
	for _, r := range rs {
		for k := range r.Answers {
			if _, ok := col[k]; !ok {
				col[k] = len(p.Keys)
				p.Keys = append(p.Keys, k)
			}
		}
	}
	for _, r := range rs {
		row := make([]string, rowFixed+len(p.Keys))
		// Columns 5 and 6 held the date and the batch; they stay empty.
		row[0], row[1], row[2], row[3], row[4] = r.ID, r.Wave, r.Unit, r.Instrument, r.Lang
		row[7] = packSegments(r.Segments)
		for k, v := range r.Answers {
			row[rowFixed+col[k]] = packValue(v)
		}
		p.Rows = append(p.Rows, row)
	}
	var buf bytes.Buffer
	buf.WriteByte(chunkV1)
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(p); err != nil {
		return nil, fmt.Errorf("analysis: unable to pack answers: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// packed is a chunk's content: rows of id, wave, unit, instrument, lang,
// two empty columns, segments, then one cell per key.
type packed struct {
	Keys []string   `json:"k"`
	Rows [][]string `json:"r"`
}

const rowFixed = 8

// Cells start with their type: s string, n number, m multiple choice
// (choices separated by US, the ASCII unit separator); empty means no answer.
const unitSep = "\x1f"

// packValue writes an answer as a cell of its form. (It once took any
// value and recursed on the types it did not know: an int overflowed the
// stack. An answer has three forms and no other.)
func packValue(a surveys.Answer) string {
	if s, ok := a.Text(); ok {
		return "s" + s
	}
	if x, ok := a.Number(); ok {
		return "n" + strconv.FormatFloat(x, 'g', -1, 64)
	}
	if codes, ok := a.Choices(); ok {
		return "m" + strings.Join(codes, unitSep)
	}
	return ""
}

// unpackValue reads a cell; ok is false for an empty or unknown cell.
func unpackValue(s string) (a surveys.Answer, ok bool) {
	if s == "" {
		return a, false
	}
	switch s[0] {
	case 's':
		return surveys.TextAnswer(s[1:]), true
	case 'n':
		f, err := strconv.ParseFloat(s[1:], 64)
		return surveys.NumberAnswer(f), err == nil
	case 'm':
		if s == "m" {
			return surveys.ChoicesAnswer(), true
		}
		return surveys.ChoicesAnswer(strings.Split(s[1:], unitSep)...), true
	}
	return a, false
}

func packSegments(seg map[string]string) string {
	parts := make([]string, 0, len(seg))
	for k, v := range seg {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, unitSep)
}

// unpack decodes a chunk's data by its version byte.
func unpack(c *chunk) ([]*surveys.Response, error) {
	if len(c.Data) == 0 || c.Data[0] != chunkV1 {
		var v any = "none"
		if len(c.Data) > 0 {
			v = c.Data[0]
		}
		return nil, fmt.Errorf("analysis: chunk %s is in format %v, which this version of stemme does not know "+
			"(stemme retally --from-responses --wave W rewrites it)", c.ID, v)
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.Data[1:]))
	if err != nil {
		return nil, fmt.Errorf("analysis: unable to unpack chunk %s: %w", c.ID, err)
	}
	var p packed
	if err := json.NewDecoder(zr).Decode(&p); err != nil {
		return nil, fmt.Errorf("analysis: unable to unpack chunk %s: %w", c.ID, err)
	}
	out := make([]*surveys.Response, 0, len(p.Rows))
	for _, row := range p.Rows {
		if len(row) != rowFixed+len(p.Keys) {
			return nil, fmt.Errorf("analysis: chunk %s has a malformed row", c.ID)
		}
		r := &surveys.Response{ID: row[0], Wave: row[1], Unit: row[2], Instrument: row[3], Lang: row[4],
			Answers: surveys.Answers{}}
		if row[7] != "" {
			r.Segments = map[string]string{}
			for _, kv := range strings.Split(row[7], unitSep) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					r.Segments[k] = v
				}
			}
		}
		for i, k := range p.Keys {
			if v, ok := unpackValue(row[rowFixed+i]); ok {
				r.Answers[k] = v
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// chunkID is random: a chunk's id says nothing of when its answers came.
func chunkID() string { return surveys.NewSubmissionID() }

// packChunks groups responses per wave into chunks of at most chunkSize.
func packChunks(rs []*surveys.Response) ([]any, error) {
	byWave := map[string][]*surveys.Response{}
	var waves []string
	for _, r := range rs {
		if byWave[r.Wave] == nil {
			waves = append(waves, r.Wave)
		}
		byWave[r.Wave] = append(byWave[r.Wave], r)
	}
	var docs []any
	for _, w := range waves {
		list := byWave[w]
		for len(list) > 0 {
			n := min(len(list), chunkSize)
			data, err := pack(list[:n])
			if err != nil {
				return nil, err
			}
			docs = append(docs, chunk{ID: chunkID(), Wave: w, N: int64(n), Data: data})
			list = list[n:]
		}
	}
	return docs, nil
}

// writeChunks stores a batch's chunks. A batch replayed after a crash
// rebuilds its waves' chunks instead (Tallier.recover).
func writeChunks(ctx context.Context, db *mongo.Database, rs []*surveys.Response) error {
	docs, err := packChunks(rs)
	if err != nil || len(docs) == 0 {
		return err
	}
	if _, err = db.Collection(colChunks).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
		return fmt.Errorf("analysis: unable to write answer chunks: %w", err)
	}
	return nil
}

// dropFromChunks removes one answer from the chunks of its wave, looking
// through them (withdrawals are rare). Running it again changes nothing.
func dropFromChunks(ctx context.Context, db *mongo.Database, r *surveys.Response) error {
	col := db.Collection(colChunks)
	ids, err := store.FindAll[chunk](ctx, col, bson.D{{Key: "wave", Value: r.Wave}},
		options.Find().SetProjection(bson.D{{Key: "n", Value: 1}}))
	if err != nil {
		return fmt.Errorf("analysis: unable to list answer chunks: %w", err)
	}
	for _, id := range ids {
		var c chunk
		err := col.FindOne(ctx, bson.D{{Key: "_id", Value: id.ID}}).Decode(&c)
		if store.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("analysis: unable to read an answer chunk: %w", err)
		}
		list, err := unpack(&c)
		if err != nil {
			return err
		}
		kept := slices.DeleteFunc(list, func(x *surveys.Response) bool { return x.ID == r.ID })
		if len(kept) == len(list) {
			continue
		}
		data, err := pack(kept)
		if err != nil {
			return err
		}
		_, err = col.UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "data", Value: data}, {Key: "n", Value: int64(len(kept))}}}})
		if err != nil {
			return fmt.Errorf("analysis: unable to rewrite chunk %s: %w", c.ID, err)
		}
		return nil
	}
	return nil
}

// EachAnswer calls fn for every counted answer of a wave, from its chunks
// when they hold every answer the tallies count, else from the responses
// (a wave counted before chunks existed, until its next rebuild). It reads
// through the sources a recount reads (chunksOf, responsesOf), ahead of
// fn: reading and unpacking the next chunks overlaps with fn's work on
// this one (on two cores an export of 100,000 answers took 9.3 s instead
// of 11.6 s).
func EachAnswer(ctx context.Context, db *mongo.Database, wave string, fn func(*surveys.Response) error) error {
	complete, err := chunksComplete(ctx, db, wave)
	if err != nil {
		return err
	}
	src := chunksOf(db, wave)
	if !complete {
		src = responsesOf(surveys.NewStore(db), wave, nil)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rd := readAhead(ctx, src, 2)
	for list := range rd.batches {
		for _, r := range list {
			if err := fn(r); err != nil {
				cancel()
				rd.drain()
				return err
			}
		}
	}
	return rd.wait()
}

// chunksComplete reports whether the chunks of a wave hold as many
// answers as its tallies count, and some. A wave counted before chunks
// existed has none until its next rebuild; answers put among the responses
// by other means (a restore, a benchmark) are in neither chunks nor
// tallies, so a wave without answers reads its responses.
func chunksComplete(ctx context.Context, db *mongo.Database, wave string) (bool, error) {
	// Only the sizes: a chunk is large, and the store returns a batch of
	// them without keeping under the wire's message limit.
	sizes, err := store.FindAll[chunk](ctx, db.Collection(colChunks), bson.D{{Key: "wave", Value: wave}},
		options.Find().SetProjection(bson.D{{Key: "n", Value: 1}}))
	if err != nil {
		return false, fmt.Errorf("analysis: unable to read answer chunks: %w", err)
	}
	var inChunks int64
	for _, c := range sizes {
		inChunks += c.N
	}
	counted, err := expectedResponses(ctx, db, wave)
	if err != nil {
		return false, err
	}
	return counted > 0 && inChunks == counted, nil
}

// chunksOf reads the answers of a wave from its chunks, sending one
// unpacked chunk at a time until they end or ctx does.
func chunksOf(db *mongo.Database, wave string) source {
	return func(ctx context.Context, out chan<- []*surveys.Response) error {
		cur, err := db.Collection(colChunks).Find(ctx, bson.D{{Key: "wave", Value: wave}}, options.Find().SetBatchSize(8))
		if err != nil {
			return fmt.Errorf("analysis: unable to read answer chunks: %w", err)
		}
		defer cur.Close(ctx)
		for cur.Next(ctx) {
			var c chunk
			if err := cur.Decode(&c); err != nil {
				return fmt.Errorf("analysis: unable to read an answer chunk: %w", err)
			}
			list, err := unpack(&c)
			if err != nil {
				return err
			}
			select {
			case out <- list:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := cur.Err(); err != nil {
			return fmt.Errorf("analysis: unable to read answer chunks: %w", err)
		}
		return nil
	}
}

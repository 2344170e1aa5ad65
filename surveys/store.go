package surveys

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
)

// Collection names of the surveys domain.
const (
	colInstruments = "instruments"
	colUnits       = "units"
	colWaves       = "waves"
	colLinks       = "links"
	colResponses   = "responses"
	// colInbox holds accepted answers not yet counted in the tallies.
	colInbox = "response_inbox"
)

// Store reads and writes the surveys domain.
type Store struct {
	db *mongo.Database
	// codes holds the invitation codes, in a database of its own (CodesDB).
	codes *mongo.Database
	// secret keys the hashes of invitation codes (SetSecret).
	secret []byte
	// group, when set, writes concurrent answers together (StartGroupCommit).
	group *groupCommitter
	// AfterInsert, when set, runs between the insert of guarded answers and
	// the checks after it (AcceptResponse); tests close a wave exactly there.
	AfterInsert func(waves []string)
	// invitationLocks and lifecycleLocks are the process's lock tables
	// (shared by every Store, as handlers and commands each make their
	// own). They only spare the embedded store's non-atomic updates: every
	// shared write also names the state it changes from in its filter, so
	// a second instance, with tables of its own, cannot interleave. Tests
	// give a Store tables of its own to play that second instance.
	invitationLocks, lifecycleLocks *store.KeyedMutex
	// beforeSharedWrite, when set, runs between the read of a shared
	// document and its conditional write: tests let a second instance act
	// exactly there.
	beforeSharedWrite func(what, id string)
}

// NewStore returns a surveys store on db.
func NewStore(db *mongo.Database) *Store {
	return &Store{db: db, codes: CodesDB(db), invitationLocks: &invitationLocks, lifecycleLocks: &lifecycleLocks}
}

// interleave runs the test hook between a read and its conditional write.
func (s *Store) interleave(what, id string) {
	if s.beforeSharedWrite != nil {
		s.beforeSharedWrite(what, id)
	}
}

// CodesDB is the database that holds the invitation codes of db: apart from
// the answers, so that no write-ahead log or file holds a code's use next to
// the answer it brought (on the embedded store every database is a file of
// its own). Drop it with db.
func CodesDB(db *mongo.Database) *mongo.Database {
	return db.Client().Database(db.Name() + "_codes")
}

// SetSecret gives the store the instance secret, which keys the stored
// hashes of invitation codes: without it, nobody holding the letters and a
// copy of the database can compute which stored code is which letter's.
func (s *Store) SetSecret(secret []byte) { s.secret = secret }

// Indexes lists the indexes the surveys domain needs. Reads are designed
// around _id lookups; these serve the few listings and recounts.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: colInstruments, Keys: bson.D{{Key: "key", Value: 1}, {Key: "version", Value: 1}}, Unique: true},
		{Collection: colWaves, Keys: bson.D{{Key: "status", Value: 1}}},
		{Collection: colLinks, Keys: bson.D{{Key: "wave", Value: 1}, {Key: "unit", Value: 1}}, Unique: true},
		{Collection: colResponses, Keys: bson.D{{Key: "wave", Value: 1}}},
	}
}

func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

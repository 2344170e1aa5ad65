package surveys

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/internal/random"
	"github.com/stemme/stemme/seal"
	"github.com/stemme/stemme/store"
)

// A journey is a relative's way through a form, kept between two pages so
// that every page is an ordinary GET: Back, Forward, reload and a change of
// language show the page again with everything entered (post–redirect–get).
//
// It is a short-lived draft, unlike the save-and-resume draft (drafts.go),
// which lives until the wave closes under a code the relative writes down.
// A journey is found only through a random handle in an HttpOnly cookie:
//
//   - Nothing about the relative is stored: no IP address, no user agent,
//     no time of day beyond the expiry.
//   - The state is sealed (AES-256-GCM) with a key derived from the secret
//     and the handle's token, which the store never sees (documents are
//     keyed by a hash of it). Without the relative's cookie the store holds
//     nothing readable, so clearing the cookie at submit makes the journey
//     unreadable at once.
//   - Every step inserts a new version instead of updating one document:
//     the embedded store scans a whole collection for every update or
//     delete, but inserts and _id reads cost the same however many
//     journeys there are. Versions never change, so this process keeps the
//     ones it wrote in memory and the GET after a step reads nothing.
//   - With a writer running (StartWriter), versions are written behind the
//     step: gathered for a moment and inserted together, so a step costs a
//     share of one commit instead of a commit of its own. Another instance
//     that is asked for a version not yet written waits for it a moment.
//     A crash loses at most the versions of that moment; the answers are
//     not lost with them, since every post carries all of them.
//   - Retention: a journey expires JourneyTTL after its last step; a
//     submitted one is forgotten at once and deleted by the next purge
//     (one batched delete a minute); expired ones are purged as well.

// JourneyTTL is how long a journey is kept after its last step.
const JourneyTTL = 2 * time.Hour

const colJourneys = "journeys"

// JourneyState is where a relative is in a form.
type JourneyState struct {
	// Values are the raw form values of the instrument's questions.
	Values map[string][]string `json:"v,omitempty"`
	// Page is the index of the page last left. The page shown is the one
	// the address names (?side=N); this is for where a journey starts.
	Page int `json:"p"`
	// SID is the submission id of the form: the receipt derives from it.
	SID string `json:"s"`
	// Resume is the save-and-resume code, once the relative has one.
	Resume string `json:"r,omitempty"`
	// Code is the invitation code the form was opened with, spent at submit.
	Code string `json:"c,omitempty"`
	// Notice is a message id shown on the page the journey leads to.
	Notice string `json:"n,omitempty"`
}

// ErrNoJourney means the handle leads to no journey still kept for this link.
var ErrNoJourney = errors.New("surveys: no journey with this handle")

type journeyDoc struct {
	ID      string    `bson:"_id"`
	Journey string    `bson:"journey"`
	Link    string    `bson:"link"`
	Expires time.Time `bson:"expires"`
	Sealed  []byte    `bson:"sealed"`
}

// Journeys stores journeys.
type Journeys struct {
	col    *mongo.Collection
	secret []byte
	// Now is the clock the writer drops expired versions by; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	written map[string]writtenJourney
	// sealers are the journeys' sealers, by journey key (sealerOf).
	sealers map[string]*seal.Sealer
	// pending are versions saved but not yet in the store; wake, when a
	// writer runs, tells it there are some.
	pending []*journeyDoc
	wake    chan struct{}
	// forgotten are the journeys submitted since the last purge.
	forgotten  []string
	lastPurged time.Time
}

type writtenJourney struct {
	link    string
	expires time.Time
	state   JourneyState
}

// journeyCacheEntries bounds the versions kept in memory; a state larger than
// journeyCacheBytes (long free text) is read from the store when needed.
const (
	journeyCacheEntries = 4096
	journeyCacheBytes   = 16 << 10
)

// NewJourneys returns the journeys of db, sealed with keys derived from secret.
func NewJourneys(db *mongo.Database, secret []byte) *Journeys {
	return &Journeys{col: db.Collection(colJourneys), secret: secret}
}

// Handles are "token.version": 16 random bytes, then 8, in unpadded base64url.
const (
	tokenLen   = 22
	versionLen = 11
)

// splitHandle checks a handle's shape and returns its token and version.
func splitHandle(h string) (token, version string, ok bool) {
	token, version, found := strings.Cut(h, ".")
	if !found || len(token) != tokenLen || len(version) != versionLen {
		return "", "", false
	}
	for _, s := range []string{token, version} {
		if _, err := base64.RawURLEncoding.DecodeString(s); err != nil {
			return "", "", false
		}
	}
	return token, version, true
}

// journeyKey names a journey in the store: a hash, so the store never holds the token.
func journeyKey(token string) string {
	sum := sha256.Sum256([]byte("journey\x00" + token))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// Save stores st as the next version of the journey behind handle (a new
// journey when handle is empty or malformed) and returns the new handle.
func (j *Journeys) Save(ctx context.Context, handle, link string, st JourneyState, now time.Time) (string, error) {
	token, _, ok := splitHandle(handle)
	if !ok {
		token = random.URLSafe(16)
	}
	version := random.URLSafe(8)
	key := journeyKey(token)
	plain := encodeJourney(st)
	d := journeyDoc{ID: key + "." + version, Journey: key, Link: link, Expires: now.Add(JourneyTTL).UTC().Truncate(time.Second)}
	var err error
	if d.Sealed, err = j.sealJourney(token, key, d.ID, plain); err != nil {
		return "", err
	}
	j.mu.Lock()
	behind := j.wake != nil && len(plain) <= journeyCacheBytes
	if len(plain) <= journeyCacheBytes {
		if j.written == nil || len(j.written) >= journeyCacheEntries {
			j.written = map[string]writtenJourney{}
		}
		j.written[d.ID] = writtenJourney{link: link, expires: d.Expires, state: copyJourney(st)}
	}
	if behind {
		j.pending = append(j.pending, &d)
		select {
		case j.wake <- struct{}{}:
		default:
		}
	}
	j.mu.Unlock()
	if !behind {
		// Without a writer, or too large to keep in memory: written now.
		if _, err := j.col.InsertOne(ctx, d); err != nil {
			return "", fmt.Errorf("surveys: unable to save journey: %w", err)
		}
	}
	return token + "." + version, nil
}

// Holds reports, from memory only, whether the journey version behind handle
// already holds st (a move back or forth without a change): a new version
// would be an identical copy. Without the version in memory it says false,
// and the caller saves.
func (j *Journeys) Holds(handle, link string, st JourneyState, now time.Time) bool {
	token, version, ok := splitHandle(handle)
	if !ok {
		return false
	}
	j.mu.Lock()
	w, cached := j.written[journeyKey(token)+"."+version]
	j.mu.Unlock()
	if !cached || w.link != link || now.Add(JourneyTTL/2).After(w.expires) {
		return false // refreshed once half its time has passed, so it does not expire mid-form
	}
	have, want := w.state, st
	if have.SID != want.SID || have.Resume != want.Resume || have.Code != want.Code || have.Notice != want.Notice ||
		len(have.Values) != len(want.Values) {
		return false
	}
	for k, v := range want.Values {
		if !slices.Equal(have.Values[k], v) {
			return false
		}
	}
	return true
}

// Load returns the journey version behind handle, if it belongs to link and has not expired.
func (j *Journeys) Load(ctx context.Context, handle, link string, now time.Time) (JourneyState, error) {
	token, version, ok := splitHandle(handle)
	if !ok {
		return JourneyState{}, ErrNoJourney
	}
	key := journeyKey(token)
	id := key + "." + version
	j.mu.Lock()
	w, cached := j.written[id]
	j.mu.Unlock()
	if cached {
		if w.link != link || !now.Before(w.expires) {
			return JourneyState{}, ErrNoJourney
		}
		return copyJourney(w.state), nil
	}
	d, err := j.find(ctx, id)
	if store.IsNotFound(err) || (err == nil && (d.Link != link || !now.Before(d.Expires))) {
		return JourneyState{}, ErrNoJourney
	}
	if err != nil {
		return JourneyState{}, fmt.Errorf("surveys: unable to load journey: %w", err)
	}
	plain, err := j.openJourney(token, key, d.ID, d.Sealed)
	if err != nil {
		return JourneyState{}, ErrNoJourney
	}
	var st JourneyState
	if err := json.Unmarshal(plain, &st); err != nil {
		return JourneyState{}, ErrNoJourney
	}
	return st, nil
}

// find reads a version from the store. One another instance saved a moment
// ago may not be written yet: it is looked for again for a little longer
// than that instance's writer gathers.
func (j *Journeys) find(ctx context.Context, id string) (journeyDoc, error) {
	var d journeyDoc
	for wait := 0; ; wait++ {
		err := j.col.FindOne(ctx, byID(id)).Decode(&d)
		if !store.IsNotFound(err) || wait == 3 {
			return d, err
		}
		select {
		case <-ctx.Done():
			return d, err
		case <-time.After(gatherFor):
		}
	}
}

// copyJourney gives the caller its own values, so a cached version never changes.
func copyJourney(st JourneyState) JourneyState {
	values := make(map[string][]string, len(st.Values))
	for k, v := range st.Values {
		values[k] = append([]string(nil), v...)
	}
	st.Values = values
	return st
}

// Forget marks a journey (every version) for deletion by the next purge,
// and drops it from memory at once.
func (j *Journeys) Forget(handle string) {
	token, _, ok := splitHandle(handle)
	if !ok {
		return
	}
	key := journeyKey(token)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.forgotten = append(j.forgotten, key)
	delete(j.sealers, key)
	for id := range j.written {
		if strings.HasPrefix(id, key+".") {
			delete(j.written, id)
		}
	}
	j.pending = slices.DeleteFunc(j.pending, func(d *journeyDoc) bool { return d.Journey == key })
}

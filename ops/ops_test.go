package ops_test

import (
	"cmp"
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/actions"
	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/arenas"
	"github.com/stemme/stemme/branding"
	"github.com/stemme/stemme/council"
	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/notify"
	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/outbox"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	today  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

const who = "radgiver@kommune.no"

// world is one database with every domain store, and the operations on
// it with a given audit log.
type world struct {
	db       *mongo.Database
	log      *staff.Store
	council  *council.Store
	actions  *actions.Store
	arenas   *arenas.Store
	branding *branding.Store
	surveys  *surveys.Store
	feedback *feedback.Store
	notify   *notify.Notifier
	outbox   *outbox.Outbox
	// ticks make every reading of the clock a second later than the
	// last, so that the log's order is the order of writing.
	ticks int
}

func (w *world) clock() time.Time {
	w.ticks++
	return today.Add(time.Duration(w.ticks) * time.Second)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db := storetest.DB(t)
	box, err := outbox.New(db, secret)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(db, box, secret, "https://stemme.example")
	if err != nil {
		t.Fatal(err)
	}
	as, err := arenas.NewStore(db, secret)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := feedback.NewStore(db, secret)
	if err != nil {
		t.Fatal(err)
	}
	ss := surveys.NewStore(db)
	ss.SetSecret(secret)
	return &world{db: db, log: staff.NewStore(db), council: council.NewStore(db), actions: actions.NewStore(db), arenas: as,
		branding: branding.NewStore(db), surveys: ss, feedback: fb, notify: n, outbox: box}
}

// operations are the operations of every area on w's stores, writing
// their entries to log.
type operations struct {
	council     *ops.Council
	actions     *ops.Actions
	arenas      *ops.Arenas
	branding    *ops.Branding
	results     *ops.Results
	twoFactor   *ops.TwoFactor
	users       *ops.Users
	tokens      *ops.Tokens
	waves       *ops.Waves
	units       *ops.Units
	invitations *ops.Invitations
	plan        *ops.Plan
	instruments *ops.Instruments
	followUp    *ops.FollowUp
	review      *ops.Review
	retention   *ops.Retention
	// staffUsers reads users, as the caller of an operation does.
	staffUsers *staff.Store
}

func (w *world) ops(log *staff.Store) operations {
	j := ops.NewJournal(log, w.clock)
	return operations{council: ops.NewCouncil(j, w.council, w.notify), actions: ops.NewActions(j, w.actions),
		arenas: ops.NewArenas(j, w.arenas), branding: ops.NewBranding(j, w.branding), results: ops.NewResults(j, w.surveys),
		twoFactor: ops.NewTwoFactor(j, w.log), users: ops.NewUsers(j, w.log, w.notify, nil),
		tokens: ops.NewTokens(j, w.log), waves: ops.NewWaves(j, w.surveys),
		units: ops.NewUnits(j, w.surveys), invitations: ops.NewInvitations(j, w.surveys, w.notify),
		plan: ops.NewPlan(j, w.surveys), instruments: ops.NewInstruments(j, w.surveys),
		followUp: ops.NewFollowUp(j, w.feedback), review: ops.NewReview(j, analysis.NewReviewer(w.db, w.feedback)),
		retention: ops.NewRetention(j, w.feedback, w.arenas), staffUsers: w.log}
}

// brokenLog is w's audit log reached through a client that has been
// disconnected: every entry written to it fails, as it would with the
// store gone, while the domain stores keep working.
func (w *world) brokenLog(t *testing.T) *staff.Store {
	t.Helper()
	db := storetest.SecondClient(t, w.db)
	if err := db.Client().Disconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	return staff.NewStore(db)
}

// entries returns the audit log's entries of action, oldest first.
func (w *world) entries(t *testing.T, action string) []staff.AuditEntry {
	t.Helper()
	es, err := w.log.AuditLog(context.Background(), staff.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

// operation is one row: what to set up, the operation, and whether its
// change is there.
type operation struct {
	name   string
	action string
	// by is the actor the entry must name, when not who: a user changing
	// their own second factor.
	by    string
	setup func(t *testing.T, w *world) string
	// run does the operation on the given target (what setup returned)
	// and returns the target its audit entry must name.
	run     func(ctx context.Context, o operations, target string) (string, error)
	changed func(t *testing.T, w *world, target string) bool
}

// TestNoChangeWithoutEntry runs every operation twice on one world: first
// with an audit log that cannot be written, when it must fail and change
// nothing; then with a working one, when the change and its entry must
// both be there.
func TestNoChangeWithoutEntry(t *testing.T) {
	for _, op := range allOperations() {
		t.Run(op.name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t)
			var target string
			if op.setup != nil {
				target = op.setup(t, w)
			}
			if _, err := op.run(ctx, w.ops(w.brokenLog(t)), target); err == nil {
				t.Fatal("the operation succeeded with an audit log that cannot be written")
			}
			if op.changed(t, w, target) {
				t.Fatal("the change happened though its audit entry could not be written")
			}
			before := len(w.entries(t, op.action))
			named, err := op.run(ctx, w.ops(w.log), target)
			if err != nil {
				t.Fatal(err)
			}
			if !op.changed(t, w, target) {
				t.Fatal("the change did not happen")
			}
			es := w.entries(t, op.action)
			if len(es) != before+1 {
				t.Fatalf("%d new entries of %s, want 1", len(es)-before, op.action)
			}
			by := cmp.Or(op.by, who)
			if e := es[len(es)-1]; e.Actor != by || e.Target != named || strings.Contains(e.Detail, "failed") {
				t.Errorf("entry %+v, want actor %s and target %q", e, by, named)
			}
		})
	}
}

func allOperations() []operation {
	return concat(councilOperations(), actionOperations(), arenaOperations(), brandingOperations(), resultsOperations(),
		twoFactorOperations(), userOperations(), tokenOperations(), waveOperations(), unitOperations(),
		invitationOperations(), planOperations(), instrumentOperations(),
		followUpOperations(), reviewOperations(), retentionOperations())
}

// TestFailedChangeIsRecorded checks the outcome entry of a change that the
// domain refuses: the attempt, then the same action marked failed.
func TestFailedChangeIsRecorded(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	err := w.ops(w.log).council.RemoveMember(ctx, who, "nobody")
	if err != council.ErrNotFound {
		t.Fatalf("error %v, want council.ErrNotFound", err)
	}
	es := w.entries(t, staff.AuditCouncil)
	if len(es) != 2 || es[0].Detail != "member.remove" || es[1].Detail != "member.remove (failed)" || es[1].Target != "nobody" {
		t.Fatalf("entries %+v, want the attempt and its failure", es)
	}
}

func concat(areas ...[]operation) []operation {
	var all []operation
	for _, a := range areas {
		all = append(all, a...)
	}
	return all
}

// TestRefusedInputWritesNothing checks that input the domain refuses by
// itself is refused before the entry: a typo is not a change.
func TestRefusedInputWritesNothing(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	o := w.ops(w.log)
	e := newEvent()
	e.Title = ""
	for name, err := range map[string]error{
		"member without a name": func() error { _, err := o.council.AddMember(ctx, who, council.Member{}); return err }(),
		"event without a title": o.arenas.AddEvent(ctx, who, &e),
		"empty note":            o.actions.AddNote(ctx, who, "a", " "),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	es, err := w.log.AuditLog(ctx, staff.AuditFilter{})
	must(t, err)
	if len(es) != 0 {
		t.Fatalf("refused input wrote %d entries: %+v", len(es), es)
	}
}

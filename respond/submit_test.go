package respond_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/respond"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
	"github.com/stemme/stemme/surveys/builtin"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	today  = time.Date(2026, 3, 2, 9, 0, 0, 0, surveys.Oslo)
)

// survey is one open wave with a link, three invitation codes and the
// service, on a database of its own with a running tallier.
type survey struct {
	db    *mongo.Database
	ss    *surveys.Store
	svc   *respond.Service
	wave  *surveys.Wave
	link  surveys.Link
	in    *surveys.Instrument
	codes []string
}

func newSurvey(t *testing.T, grouped bool) *survey {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	ss := surveys.NewStore(db)
	ss.SetSecret(secret)
	in, err := builtin.Instrument("parorende")
	if err != nil {
		t.Fatal(err)
	}
	in.Status = surveys.InstrumentPublished
	if err := ss.InsertInstrument(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := ss.InsertUnit(ctx, surveys.Unit{ID: "solbakken", Name: "Solbakken", Kind: surveys.KindNursingHome, Active: true}); err != nil {
		t.Fatal(err)
	}
	w := &surveys.Wave{ID: "w", Kind: surveys.WaveUnit, Name: "W", Year: 2026, Instrument: in.ID, Units: []string{"solbakken"},
		Languages: []string{"nb"}, Opens: "2026-03-01", Closes: "2026-04-15", Status: surveys.WaveOpen}
	links, err := ss.InsertWave(ctx, w)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := ss.IssueInvitations(ctx, w.ID, links[0].Unit, 3, "test", today)
	if err != nil {
		t.Fatal(err)
	}
	if grouped {
		t.Cleanup(ss.StartGroupCommit())
	}
	tallier := analysis.NewTallier(db, nil)
	t.Cleanup(tallier.Start())
	// The tallier's first round (the lease, the journal, the inbox) is
	// over before a case submits: on a remote store it took long enough to
	// file an answer between its insert and the check after it, which
	// keeps the answer, as it should, but is not the case under test.
	if err := tallier.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return &survey{db: db, ss: ss, svc: respond.New(ss, tallier, secret, nil), wave: w, link: links[0], in: in, codes: codes}
}

// submission is a whole answer to the survey from the form sid, with code.
func (s *survey) submission(sid, code string) respond.Submission {
	return respond.Submission{Link: s.link.ID, Wave: s.wave, Unit: s.link.Unit, Instrument: s.in,
		SubmissionID: sid, Code: code, Lang: "nb",
		Answers: surveys.Answers{"relation": surveys.ChoiceAnswer("child"), "age_group": surveys.ChoiceAnswer("50_66"), "info_contact": surveys.ChoiceAnswer("4"), "inv_listened": surveys.ChoiceAnswer("5")}}
}

// stored reports whether the answer behind a receipt is kept, in the inbox or filed.
func (s *survey) stored(t *testing.T, receipt string) bool {
	t.Helper()
	id := surveys.ResponseID(receipt)
	// The tallier may file it between the two collections' reads: ask twice.
	for range 2 {
		if _, err := s.ss.Response(context.Background(), id); err == nil {
			return true
		}
	}
	return false
}

// unspent reports whether a code can still be used.
func (s *survey) unspent(t *testing.T, code string) bool {
	t.Helper()
	_, err := s.ss.Invitation(context.Background(), code)
	if err != nil && !errors.Is(err, surveys.ErrInvitationUsed) {
		t.Fatal(err)
	}
	return err == nil
}

func receiptOf(sid string) string { return surveys.ReceiptCode(secret, sid) }

func TestSubmit(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// run submits and fails the test on any broken promise.
		run func(t *testing.T, s *survey)
	}{
		{"an answer through an open link is stored once, a retry gets the same receipt", func(t *testing.T, s *survey) {
			for range 2 {
				got, err := s.svc.Submit(ctx, s.submission("sid-open", ""))
				if err != nil || got != receiptOf("sid-open") || !s.stored(t, got) {
					t.Fatalf("Submit = %q, %v (stored %v), want the form's receipt, stored", got, err, s.stored(t, got))
				}
			}
		}},
		{"a spent invitation cannot submit twice", func(t *testing.T, s *survey) {
			if _, err := s.svc.Submit(ctx, s.submission("sid-1", s.codes[0])); err != nil {
				t.Fatal(err)
			}
			if s.unspent(t, s.codes[0]) {
				t.Fatal("the code is not spent by the answer")
			}
			_, err := s.svc.Submit(ctx, s.submission("sid-2", s.codes[0]))
			if !errors.Is(err, surveys.ErrInvitationUsed) || s.stored(t, receiptOf("sid-2")) {
				t.Fatalf("a second form with the code: %v (stored %v), want ErrInvitationUsed, nothing stored", err, s.stored(t, receiptOf("sid-2")))
			}
		}},
		{"a retried post with its invitation is thanked again, nothing spent", func(t *testing.T, s *survey) {
			for range 2 {
				if got, err := s.svc.Submit(ctx, s.submission("sid-1", s.codes[0])); err != nil || got != receiptOf("sid-1") {
					t.Fatalf("Submit = %q, %v", got, err)
				}
			}
			if !s.unspent(t, s.codes[1]) {
				t.Fatal("another code was spent")
			}
		}},
		{"an unknown code stores nothing", func(t *testing.T, s *survey) {
			_, err := s.svc.Submit(ctx, s.submission("sid-1", "NOT-A-CODE"))
			if !errors.Is(err, surveys.ErrNoSuchInvitation) || s.stored(t, receiptOf("sid-1")) {
				t.Fatalf("Submit = %v, want ErrNoSuchInvitation, nothing stored", err)
			}
		}},
		{"too few answers store nothing and spend no code", func(t *testing.T, s *survey) {
			sub := s.submission("sid-1", s.codes[0])
			sub.Answers = surveys.Answers{}
			_, err := s.svc.Submit(ctx, sub)
			if !errors.Is(err, respond.ErrTooFew) || s.stored(t, receiptOf("sid-1")) || !s.unspent(t, s.codes[0]) {
				t.Fatalf("Submit = %v, want ErrTooFew, nothing stored, the code unspent", err)
			}
		}},
		{"a closed wave is refused and the code works again", func(t *testing.T, s *survey) {
			if err := s.ss.CloseWave(ctx, s.wave.ID, today); err != nil {
				t.Fatal(err)
			}
			// The caller's copy of the wave may be older than the close.
			_, err := s.svc.Submit(ctx, s.submission("sid-1", s.codes[0]))
			if !errors.Is(err, respond.ErrClosed) || s.stored(t, receiptOf("sid-1")) || !s.unspent(t, s.codes[0]) {
				t.Fatalf("Submit = %v, want ErrClosed, nothing stored, the code unspent", err)
			}
		}},
		{"a wave closed while the answer is stored: taken back, the code works again", func(t *testing.T, s *survey) {
			s.ss.AfterInsert = func([]string) {
				if err := s.ss.CloseWave(ctx, s.wave.ID, today); err != nil {
					t.Error(err)
				}
			}
			_, err := s.svc.Submit(ctx, s.submission("sid-1", s.codes[0]))
			if !errors.Is(err, respond.ErrClosed) || s.stored(t, receiptOf("sid-1")) || !s.unspent(t, s.codes[0]) {
				t.Fatalf("Submit = %v (stored %v), want ErrClosed, nothing kept, the code unspent", err, s.stored(t, receiptOf("sid-1")))
			}
		}},
		{"a failed save releases the invitation", func(t *testing.T, s *survey) {
			// The wave's status cannot be read: the store refuses the insert.
			if _, err := s.db.Collection("waves").DeleteOne(ctx, bson.D{{Key: "_id", Value: s.wave.ID}}); err != nil {
				t.Fatal(err)
			}
			_, err := s.svc.Submit(ctx, s.submission("sid-1", s.codes[0]))
			if err == nil || errors.Is(err, respond.ErrClosed) || s.stored(t, receiptOf("sid-1")) || !s.unspent(t, s.codes[0]) {
				t.Fatalf("Submit = %v, want a failure, nothing stored, the code unspent", err)
			}
		}},
		{"a withdrawn answer cannot be stored again by a replay of its form", func(t *testing.T, s *survey) {
			receipt, err := s.svc.Submit(ctx, s.submission("sid-1", ""))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.svc.Withdraw(ctx, receipt, today); err != nil || s.stored(t, receipt) {
				t.Fatalf("Withdraw = %v (stored %v)", err, s.stored(t, receipt))
			}
			_, err = s.svc.Submit(ctx, s.submission("sid-1", ""))
			if !errors.Is(err, respond.ErrWithdrawn) || s.stored(t, receipt) {
				t.Fatalf("the replay: %v (stored %v), want ErrWithdrawn, nothing kept", err, s.stored(t, receipt))
			}
		}},
		{"the draft the answer came from is deleted once it is kept", func(t *testing.T, s *survey) {
			resume, err := s.ss.SaveDraft(ctx, "", s.link.ID, map[string][]string{"relation": {"child"}}, 0, "2026-04-15")
			if err != nil {
				t.Fatal(err)
			}
			sub := s.submission("sid-1", "")
			sub.Resume = resume
			if _, err := s.svc.Submit(ctx, sub); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ss.LoadDraft(ctx, resume, s.link.ID, today); err == nil {
				t.Fatal("the draft is still there")
			}
		}},
	}
	for _, grouped := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s (group commit %v)", tt.name, grouped), func(t *testing.T) {
				tt.run(t, newSurvey(t, grouped))
			})
		}
	}
}

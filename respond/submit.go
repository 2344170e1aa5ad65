// Package respond holds the use cases of a relative answering a survey:
// submitting an answer and withdrawing it. The web form, and any other
// caller (the CLI, the benchmark, a future API), go through these functions
// so that every answer is stored with the same promises.
//
// It sits above surveys (where answers are stored) and analysis (whose
// tallier counts them, and takes back what must not be counted); neither
// of those imports it.
package respond

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/stemme/stemme/analysis"
	"github.com/stemme/stemme/surveys"
)

// Service runs the use cases against one surveys store and one tallier.
type Service struct {
	surveys *surveys.Store
	tallier *analysis.Tallier
	secret  []byte
	logger  *slog.Logger
}

// New returns the service. The secret derives receipts and tombstones from
// submission ids and must be the one the rest of the instance uses.
func New(ss *surveys.Store, tallier *analysis.Tallier, secret []byte, logger *slog.Logger) *Service {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{surveys: ss, tallier: tallier, secret: secret, logger: logger}
}

// Submission is one answer to store: what the relative answered and what
// the form it came from was opened with.
type Submission struct {
	// Link is the survey link the form belongs to; Wave, Unit and
	// Instrument are what it opens.
	Link       string
	Wave       *surveys.Wave
	Unit       string
	Instrument *surveys.Instrument
	// SubmissionID is the form's own id. The receipt (and the stored id)
	// derive from it, so a retried post stores nothing twice.
	SubmissionID string
	// Code is the invitation code the form was opened with, spent by the
	// answer; empty for an open link.
	Code string
	// Resume is the resume code of a draft the answer came from, deleted
	// once the answer is kept; empty when there is none.
	Resume string
	// Lang is the language the form was shown in.
	Lang    string
	Answers surveys.Answers
}

// Refusals of Submit, besides surveys.ErrInvitationUsed and
// surveys.ErrNoSuchInvitation (the code is spent, or not this link's).
var (
	// ErrTooFew means fewer questions were answered than the wave's
	// minimum (surveys.Wave.MinimumAnswered): not an answer, nothing stored.
	ErrTooFew = errors.New("respond: too few questions answered")
	// ErrClosed means the wave takes no answers: nothing of it is kept.
	ErrClosed = errors.New("respond: the survey is closed")
	// ErrWithdrawn means the answer's receipt was withdrawn before: a
	// replay of a withdrawn form, nothing of it is kept.
	ErrWithdrawn = errors.New("respond: the answer was withdrawn")
)

// Submit stores an answer and returns its receipt. With any number of
// instances on one store:
//
//   - the invitation code is spent by a conditional update before the
//     insert, so one code stores one answer; it is released again whenever
//     the answer is not kept, so the letter works for another try;
//   - closing is immediate: surveys.Store.AcceptResponse reads the wave's
//     status before and after the insert (once per group commit). An
//     answer to a closed wave is refused (ErrClosed); one whose wave closed
//     while it was stored is taken back through the tallier before it is
//     counted, and refused, unless it had been filed already (then it is
//     kept and thanked for);
//   - a withdrawal is final: a replay of a withdrawn form is taken back
//     likewise (ErrWithdrawn);
//   - a retried post stores nothing twice and returns the same receipt.
//
// Any other error means nothing was saved, or that what was stored could
// not be taken back (then the code stays spent, as the answer may yet be
// counted); the caller says it was not saved and keeps what was entered.
// Once the answer is kept, the draft it came from is deleted; failing that
// is no error, as the draft only expires with the wave.
//
// Nothing identifying the relative is stored or logged: not the code, not
// the receipt.
func (s *Service) Submit(ctx context.Context, sub Submission) (receipt string, err error) {
	if !sub.Wave.CountsAsAnswer(sub.Instrument, sub.Answers) {
		return "", ErrTooFew
	}
	receipt = surveys.ReceiptCode(s.secret, sub.SubmissionID)
	id := surveys.ResponseID(receipt)
	release, err := s.spendInvitation(ctx, sub, id)
	if err != nil {
		return "", err
	}
	kept := false
	defer func() {
		if release != nil && !kept {
			// The letter's code must work again, even if the caller has
			// gone or its time is up.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			release(rctx)
		}
	}()
	in := sub.Instrument
	r := &surveys.Response{
		ID: id, Wave: sub.Wave.ID, Unit: sub.Unit, Instrument: in.ID,
		Lang: in.ContentLanguage(sub.Lang), Segments: in.SegmentsOf(sub.Answers), Answers: sub.Answers,
	}
	kept, err = s.accept(ctx, r, surveys.TombstoneID(s.secret, receipt))
	if err != nil {
		return "", err
	}
	if sub.Resume != "" {
		_ = s.surveys.DeleteDraft(ctx, sub.Resume)
	}
	return receipt, nil
}

// spendInvitation marks the submission's code used and returns how to
// undo it. A retried post of an answer already stored spends nothing.
func (s *Service) spendInvitation(ctx context.Context, sub Submission, responseID string) (release func(context.Context), err error) {
	if sub.Code == "" {
		return nil, nil
	}
	if _, err := s.surveys.Response(ctx, responseID); err == nil {
		return nil, nil
	}
	return s.surveys.UseInvitation(ctx, sub.Code, sub.Link)
}

// accept stores the answer and reports whether it is kept (its
// invitation stays spent). It is kept with no error when it is stored and
// stays; kept with an error when it was refused but could not be taken
// back, so it may yet be counted.
func (s *Service) accept(ctx context.Context, r *surveys.Response, tomb string) (kept bool, err error) {
	err = s.surveys.AcceptResponse(ctx, r, tomb)
	switch {
	case err == nil:
		s.tallier.Kick()
		return true, nil
	case errors.Is(err, surveys.ErrAlreadySaved):
		return true, nil // a twin of this post stored it a moment ago
	case errors.Is(err, surveys.ErrWaveNotOpen):
		return false, ErrClosed
	case errors.Is(err, surveys.ErrClosedMeanwhile):
		// Already filed, the answer is either this form's earlier post (a
		// retry) or this one, counted before the close took hold: kept
		// either way. Otherwise it is taken back before anyone counts it.
		if _, ferr := s.surveys.FiledResponse(ctx, r.ID); ferr == nil {
			s.tallier.Kick()
			return true, nil
		}
		if rerr := s.retract(ctx, r.ID); rerr != nil {
			return true, rerr
		}
		return false, ErrClosed
	case errors.Is(err, surveys.ErrWithdrawnMeanwhile):
		// The receipt was withdrawn: nothing of it may stay, whatever was filed.
		if rerr := s.retract(ctx, r.ID); rerr != nil {
			return false, rerr
		}
		return false, ErrWithdrawn
	}
	return false, err
}

// retract takes back an answer stored but refused: the tallier removes it
// from the inbox, or uncounts it if it was filed meanwhile.
func (s *Service) retract(ctx context.Context, id string) error {
	if err := s.tallier.Withdraw(ctx, id); err != nil && !errors.Is(err, surveys.ErrNoSuchReceipt) {
		s.logger.Error("refused answer not retracted", slog.String("error", err.Error()))
		return fmt.Errorf("respond: a refused answer was not taken back: %w", err)
	}
	return nil
}

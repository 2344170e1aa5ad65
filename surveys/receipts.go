package surveys

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/stemme/stemme/store"
)

// Codes a relative writes down (receipts, resume codes) use letters and
// digits that cannot be mistaken for each other, in groups of four.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// ReceiptCode derives the receipt shown on the thank-you page from the form's
// submission id. It is deterministic, so a retried post shows the same
// receipt, and keyed, so nobody can compute it from anything stored.
func ReceiptCode(secret []byte, submissionID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("receipt\x00" + submissionID))
	sum := m.Sum(nil)
	out := make([]byte, 12)
	for i := range out {
		out[i] = codeAlphabet[sum[i]%byte(len(codeAlphabet))] // 32 divides 256: no bias
	}
	return groupCode(string(out))
}

// ResponseID is the stored id of the response a receipt belongs to: a hash,
// so the store does not hold the receipt itself, and withdrawal is an _id lookup.
func ResponseID(receipt string) string {
	sum := sha256.Sum256([]byte("response\x00" + NormalizeCode(receipt)))
	return hex.EncodeToString(sum[:])
}

// NormalizeCode accepts a code as people type it: any case, with or without
// spaces and dashes.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r != ' ' && r != '-' && r != '\t' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FormatCode shows a code the way it was first shown: in groups of four.
func FormatCode(s string) string { return groupCode(NormalizeCode(s)) }

func groupCode(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), "-")
}

// Withdrawal outcomes.
var (
	ErrNoSuchReceipt    = store.NotFound("surveys: no answer with this receipt")
	ErrWithdrawalClosed = errors.New("surveys: the time to withdraw has passed")
)

// WithdrawableResponse returns the response a receipt belongs to, if its
// wave still takes answers. Once a wave closes its results are counted and
// may be shown; an answer taken out after that would change them by
// exactly one person, which anyone who saved them before could read.
// Removing it, and every count of it, is the tallier's work (package
// analysis).
func (s *Store) WithdrawableResponse(ctx context.Context, receipt string, today time.Time) (*Response, error) {
	r, err := s.Response(ctx, ResponseID(receipt))
	if store.IsNotFound(err) {
		return nil, ErrNoSuchReceipt
	}
	if err != nil {
		return nil, err
	}
	w, err := s.Wave(ctx, r.Wave)
	if err != nil {
		return nil, err
	}
	if w.Status != WaveOpen || w.Availability(LocalDate(today)) == Closed {
		return nil, ErrWithdrawalClosed
	}
	return r, nil
}

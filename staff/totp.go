package staff

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/internal/random"
)

// TOTP is a user's enrolled second factor (RFC 6238: 6 digits, 30 seconds,
// SHA-1, as every authenticator app supports). The secret is encrypted with
// a key derived from the application secret and bound to the user's id; the
// recovery codes are kept only as keyed hashes.
type TOTP struct {
	Secret  []byte    `bson:"secret"`
	Enabled time.Time `bson:"enabled"`
	// LastStep is the 30-second step of the last code accepted: a code is
	// good once, and never for a step before it.
	LastStep int64    `bson:"last_step"`
	Recovery []string `bson:"recovery,omitempty"`
}

// Second-factor errors.
var (
	ErrTOTPCode    = errors.New("staff: wrong or expired code")
	ErrTOTPReplay  = errors.New("staff: that code was already used")
	ErrTOTPPending = errors.New("staff: no second factor is being set up")
)

// totpIssuer names Stemme in authenticator apps.
const totpIssuer = "Stemme"

const (
	totpPeriod        = 30
	totpSkew          = 1 // one step either side: clocks drift, people type slowly
	recoveryCodeCount = 10
)

// HasTOTP reports whether the user has an enrolled second factor.
func (u User) HasTOTP() bool { return u.TOTP != nil && len(u.TOTP.Secret) > 0 }

// seal encrypts a second-factor secret for one user.
func (s *Store) seal(plain []byte, userID string) []byte {
	aead := s.keys.totp
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	_, _ = rand.Read(out)
	return aead.Seal(out, out, plain, []byte("totp\x00"+userID))
}

func (s *Store) unseal(sealed []byte, userID string) ([]byte, error) {
	aead := s.keys.totp
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("staff: second-factor secret cannot be decrypted")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte("totp\x00"+userID))
	if err != nil {
		return nil, errors.New("staff: second-factor secret cannot be decrypted (has STEMME_SECRET changed?)")
	}
	return plain, nil
}

// BeginTOTP makes a new secret for the user to add to an authenticator app;
// it takes effect once EnableTOTP sees a code made from it.
func (s *Store) BeginTOTP(ctx context.Context, userID string) error {
	raw := make([]byte, 20)
	_, _ = rand.Read(raw)
	defer s.userLocks.Lock(userID)()
	return s.setUserFields(ctx, userID, bson.D{{Key: "$set", Value: bson.D{{Key: "totp_pending", Value: s.seal(raw, userID)}}}})
}

// PendingTOTP returns the key being set up, for its QR code and for typing in by hand.
func (s *Store) PendingTOTP(u User) (*otp.Key, error) {
	if len(u.TOTPPending) == 0 {
		return nil, ErrTOTPPending
	}
	raw, err := s.unseal(u.TOTPPending, u.ID)
	if err != nil {
		return nil, err
	}
	return totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Email, Secret: raw})
}

// EnableTOTP checks a code made from the pending secret and, if it is right,
// makes the secret the user's second factor. It returns the recovery codes,
// shown to the user this once.
func (s *Store) EnableTOTP(ctx context.Context, userID, code string, now time.Time) ([]string, error) {
	return s.EnableTOTPWith(ctx, userID, code, now, nil)
}

// EnableTOTPWith is EnableTOTP calling commit once the code has matched,
// just before the factor is stored; when commit fails, nothing is stored
// and the pending factor stays. Package ops writes the audit entry there,
// so a wrong code leaves no entry.
func (s *Store) EnableTOTPWith(ctx context.Context, userID, code string, now time.Time, commit func() error) ([]string, error) {
	defer s.userLocks.Lock(userID)()
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if len(u.TOTPPending) == 0 {
		return nil, ErrTOTPPending
	}
	raw, err := s.unseal(u.TOTPPending, u.ID)
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(raw, code, now)
	if !ok {
		return nil, ErrTOTPCode
	}
	if commit != nil {
		if err := commit(); err != nil {
			return nil, err
		}
	}
	codes, hashes := s.newRecoveryCodes()
	t := TOTP{Secret: u.TOTPPending, Enabled: now.UTC(), LastStep: step, Recovery: hashes}
	err = s.setUserFields(ctx, userID, bson.D{{Key: "$set", Value: bson.D{{Key: "totp", Value: t}}},
		{Key: "$unset", Value: bson.D{{Key: "totp_pending", Value: ""}}}})
	return codes, err
}

// DisableTOTP removes the user's second factor and any pending one.
func (s *Store) DisableTOTP(ctx context.Context, userID string) error {
	defer s.userLocks.Lock(userID)()
	return s.setUserFields(ctx, userID, bson.D{{Key: "$unset", Value: bson.D{{Key: "totp", Value: ""}, {Key: "totp_pending", Value: ""}}}})
}

// RenewRecoveryCodes replaces the user's recovery codes and returns the new ones.
func (s *Store) RenewRecoveryCodes(ctx context.Context, userID string) ([]string, error) {
	defer s.userLocks.Lock(userID)()
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !u.HasTOTP() {
		return nil, ErrTOTPPending
	}
	codes, hashes := s.newRecoveryCodes()
	return codes, s.setUserFields(ctx, userID, bson.D{{Key: "$set", Value: bson.D{{Key: "totp.recovery", Value: hashes}}}})
}

// Second-factor methods, as VerifySecondFactor reports them.
const (
	MethodTOTP     = "totp"
	MethodRecovery = "recovery"
)

// VerifySecondFactor checks a code from the user's authenticator app or one
// of their recovery codes, and spends it: a TOTP code is refused for its
// step and every earlier one, a recovery code is deleted.
func (s *Store) VerifySecondFactor(ctx context.Context, userID, code string, now time.Time) (string, error) {
	defer s.userLocks.Lock(userID)()
	u, err := s.User(ctx, userID)
	if err != nil {
		return "", err
	}
	if !u.HasTOTP() {
		return "", ErrTOTPPending
	}
	code = strings.TrimSpace(code)
	if looksLikeRecoveryCode(code) {
		h := s.recoveryHash(code)
		for _, have := range u.TOTP.Recovery {
			if subtle.ConstantTimeCompare([]byte(have), []byte(h)) == 1 {
				return MethodRecovery, s.setUserFields(ctx, userID, bson.D{{Key: "$pull", Value: bson.D{{Key: "totp.recovery", Value: h}}}})
			}
		}
		return "", ErrTOTPCode
	}
	raw, err := s.unseal(u.TOTP.Secret, u.ID)
	if err != nil {
		return "", err
	}
	step, ok := matchTOTP(raw, code, now)
	switch {
	case !ok:
		return "", ErrTOTPCode
	case step <= u.TOTP.LastStep:
		return "", ErrTOTPReplay
	}
	return MethodTOTP, s.setUserFields(ctx, userID, bson.D{{Key: "$set", Value: bson.D{{Key: "totp.last_step", Value: step}}}})
}

// matchTOTP finds the step, within the allowed skew, whose code is the one
// given, comparing in constant time.
func matchTOTP(raw []byte, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
	current := now.Unix() / totpPeriod
	found, step := 0, int64(0)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix((current+d)*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found, step = 1, current+d
		}
	}
	return step, found == 1
}

// recoveryAlphabet is Crockford's base-32 alphabet: no I, L, O or U to misread.
const recoveryAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// newRecoveryCodes returns fresh codes such as "k3m9x-2q7vp-c4d8h" (75 bits)
// and their keyed hashes.
func (s *Store) newRecoveryCodes() (codes, hashes []string) {
	for range recoveryCodeCount {
		var sb strings.Builder
		for i, c := range random.String(recoveryAlphabet, 15) {
			if i > 0 && i%5 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteRune(c)
		}
		codes = append(codes, sb.String())
		hashes = append(hashes, s.recoveryHash(sb.String()))
	}
	return codes, hashes
}

func looksLikeRecoveryCode(code string) bool { return len(code) > 8 }

// recoveryHash ignores case, spaces and dashes, as people type codes back in any way.
func (s *Store) recoveryHash(code string) string {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(code))
	return s.keys.mac(s.keys.recovery, "recovery", norm)
}

func (s *Store) setUserFields(ctx context.Context, userID string, update bson.D) error {
	if _, err := s.db.Collection(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}}, update); err != nil {
		return fmt.Errorf("staff: unable to update second factor: %w", err)
	}
	return nil
}

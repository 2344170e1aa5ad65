package feedback

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Contact data is encrypted at rest with AES-256-GCM. The key is derived from
// the configured secret with HKDF-SHA256 and a purpose label, so the secret
// that signs forms never serves as an encryption key itself, and a different
// label gives an unrelated key.
//
// A sealed value is: version byte ‖ 12-byte random nonce ‖ ciphertext+tag.
// The version names the key, so a new key (a new label or a new secret) can
// be introduced later while old records still open with the old one. The
// record's id is bound in as additional data: a ciphertext copied into
// another record does not open.

// keyLabel is the HKDF info of key version 1.
const keyLabel = "stemme/feedback/contact-data/v1"

const keyVersion byte = 1

// ErrUnsealable means sealed data could not be opened: unknown key version,
// wrong key, or data that was altered or moved to another record.
var ErrUnsealable = errors.New("feedback: contact data cannot be decrypted")

// sealer encrypts and decrypts contact data.
type sealer struct {
	current byte
	keys    map[byte]cipher.AEAD
}

// newSealer derives the keys from the secret (at least 32 bytes).
func newSealer(secret []byte) (*sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("feedback: secret must be at least 32 bytes")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, keyLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("feedback: unable to derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	return &sealer{current: keyVersion, keys: map[byte]cipher.AEAD{keyVersion: aead}}, nil
}

// seal encrypts plain for the record id with a fresh random nonce.
func (s *sealer) seal(plain []byte, id string) []byte {
	aead := s.keys[s.current]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = s.current
	_, _ = rand.Read(out[1:]) // crypto/rand never fails on supported platforms
	return aead.Seal(out, out[1:], plain, []byte(id))
}

// open decrypts what seal produced for the same record id.
func (s *sealer) open(sealed []byte, id string) ([]byte, error) {
	if len(sealed) < 1 {
		return nil, ErrUnsealable
	}
	aead, ok := s.keys[sealed[0]]
	if !ok || len(sealed) < 1+aead.NonceSize()+aead.Overhead() {
		return nil, ErrUnsealable
	}
	nonce, ct := sealed[1:1+aead.NonceSize()], sealed[1+aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, ct, []byte(id))
	if err != nil {
		return nil, ErrUnsealable
	}
	return plain, nil
}

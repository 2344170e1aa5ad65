// Package seal encrypts personal data at rest: contact data of relatives,
// sign-ups and messages waiting in the outbox. Each use derives its own
// key from the configured secret with HKDF-SHA256 and a purpose label, so
// the secret that signs forms never serves as an encryption key itself,
// and two purposes never share a key.
//
// A sealed value is: version byte ‖ 12-byte random nonce ‖ ciphertext+tag
// (AES-256-GCM). The version names the key, so a new key can be introduced
// later while old records still open with the old one. The record's id is
// bound in as additional data: a ciphertext copied into another record
// does not open.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Version is the key version of values sealed now.
const Version byte = 1

// ErrUnsealable means sealed data could not be opened: unknown key version,
// wrong key, or data that was altered or moved to another record.
var ErrUnsealable = errors.New("seal: data cannot be decrypted")

// Sealer encrypts and decrypts for one purpose.
type Sealer struct {
	current byte
	keys    map[byte]cipher.AEAD
}

// New derives the key for the purpose label from the secret (at least 32 bytes).
func New(secret []byte, label string) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("seal: secret must be at least 32 bytes")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, label, 32)
	if err != nil {
		return nil, fmt.Errorf("seal: unable to derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealer{current: Version, keys: map[byte]cipher.AEAD{Version: aead}}, nil
}

// Seal encrypts plain for the record id with a fresh random nonce.
func (s *Sealer) Seal(plain []byte, id string) []byte {
	aead := s.keys[s.current]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = s.current
	_, _ = rand.Read(out[1:]) // crypto/rand never fails on supported platforms
	return aead.Seal(out, out[1:], plain, []byte(id))
}

// Open decrypts what Seal produced for the same record id.
func (s *Sealer) Open(sealed []byte, id string) ([]byte, error) {
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

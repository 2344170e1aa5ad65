package surveys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// A journey's state is sealed with AES-256-GCM under a key derived (HKDF-
// SHA256) from the application secret and the journey's token. The store
// keeps only a hash of the token, so neither the store alone nor the secret
// alone opens a journey. The document id is bound in as additional data.
//
// Sealed: version byte ‖ 12-byte random nonce ‖ ciphertext+tag.

const journeyKeyVersion byte = 1

var errUnsealable = errors.New("surveys: journey cannot be decrypted")

func journeyAEAD(secret []byte, token string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, "stemme/surveys/journey/v1\x00"+token, 32)
	if err != nil {
		return nil, fmt.Errorf("surveys: unable to derive journey key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("surveys: %w", err)
	}
	return cipher.NewGCM(block)
}

func sealJourney(secret []byte, token, id string, plain []byte) ([]byte, error) {
	aead, err := journeyAEAD(secret, token)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = journeyKeyVersion
	_, _ = rand.Read(out[1:]) // crypto/rand never fails on supported platforms
	return aead.Seal(out, out[1:], plain, []byte(id)), nil
}

func openJourney(secret []byte, token, id string, sealed []byte) ([]byte, error) {
	aead, err := journeyAEAD(secret, token)
	if err != nil {
		return nil, err
	}
	if len(sealed) < 1+aead.NonceSize()+aead.Overhead() || sealed[0] != journeyKeyVersion {
		return nil, errUnsealable
	}
	nonce, ct := sealed[1:1+aead.NonceSize()], sealed[1+aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, ct, []byte(id))
	if err != nil {
		return nil, errUnsealable
	}
	return plain, nil
}

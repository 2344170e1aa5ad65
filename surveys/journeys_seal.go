package surveys

import (
	"errors"

	"github.com/stemme/stemme/seal"
)

// A journey's state is sealed (package seal: AES-256-GCM, version byte ‖
// nonce ‖ ciphertext+tag, the document id bound in) under a key derived
// from the application secret and the journey's token. The store keeps
// only a hash of the token, so neither the store alone nor the secret
// alone opens a journey.

var errUnsealable = errors.New("surveys: journey cannot be decrypted")

func journeySealer(secret []byte, token string) (*seal.Sealer, error) {
	return seal.New(secret, "stemme/surveys/journey/v1\x00"+token)
}

func sealJourney(secret []byte, token, id string, plain []byte) ([]byte, error) {
	s, err := journeySealer(secret, token)
	if err != nil {
		return nil, err
	}
	return s.Seal(plain, id), nil
}

func openJourney(secret []byte, token, id string, sealed []byte) ([]byte, error) {
	s, err := journeySealer(secret, token)
	if err != nil {
		return nil, err
	}
	plain, err := s.Open(sealed, id)
	if err != nil {
		return nil, errUnsealable
	}
	return plain, nil
}

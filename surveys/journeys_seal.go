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

// sealerOf returns the journey's sealer, derived once per journey: every
// step seals a version, and deriving the key (HKDF, the AES key schedule,
// GCM's tables) cost as much as the rest of the sealing. It is kept by the
// journey's key (a hash of the token), beside the versions this process
// keeps in memory, and dropped with them (Forget).
func (j *Journeys) sealerOf(token, key string) (*seal.Sealer, error) {
	j.mu.Lock()
	s, ok := j.sealers[key]
	j.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := journeySealer(j.secret, token)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	if j.sealers == nil || len(j.sealers) >= journeyCacheEntries {
		j.sealers = map[string]*seal.Sealer{}
	}
	j.sealers[key] = s
	j.mu.Unlock()
	return s, nil
}

func (j *Journeys) sealJourney(token, key, id string, plain []byte) ([]byte, error) {
	s, err := j.sealerOf(token, key)
	if err != nil {
		return nil, err
	}
	return s.Seal(plain, id), nil
}

func (j *Journeys) openJourney(token, key, id string, sealed []byte) ([]byte, error) {
	s, err := j.sealerOf(token, key)
	if err != nil {
		return nil, err
	}
	plain, err := s.Open(sealed, id)
	if err != nil {
		return nil, errUnsealable
	}
	return plain, nil
}

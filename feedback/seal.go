package feedback

import "github.com/stemme/stemme/seal"

// Contact data is encrypted at rest with package seal (AES-256-GCM, a key
// derived from the configured secret for this purpose, the record's id
// bound in).

// keyLabel is the HKDF info of key version 1; changing it would make every
// stored contact unreadable.
const keyLabel = "stemme/feedback/contact-data/v1"

const keyVersion = seal.Version

// ErrUnsealable means sealed data could not be opened: unknown key version,
// wrong key, or data that was altered or moved to another record.
var ErrUnsealable = seal.ErrUnsealable

// sealer encrypts and decrypts contact data.
type sealer struct{ s *seal.Sealer }

// newSealer derives the key from the secret (at least 32 bytes).
func newSealer(secret []byte) (*sealer, error) {
	s, err := seal.New(secret, keyLabel)
	if err != nil {
		return nil, err
	}
	return &sealer{s}, nil
}

func (s *sealer) seal(plain []byte, id string) []byte { return s.s.Seal(plain, id) }

func (s *sealer) open(sealed []byte, id string) ([]byte, error) { return s.s.Open(sealed, id) }

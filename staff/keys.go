package staff

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// keys are derived from the configured secret with HKDF, one per purpose,
// so the secret that signs forms is never itself a key, and instances that
// share the secret derive the same keys.
type keys struct {
	// lookup keys the hashes that name e-mail addresses and sources in the
	// login counters: without it a copy of the store cannot be matched
	// against a list of addresses.
	lookup []byte
	// recovery keys the hashes of recovery codes.
	recovery []byte
	// totp encrypts second-factor secrets at rest.
	totp cipher.AEAD
}

func deriveKeys(secret []byte) (*keys, error) {
	derive := func(label string) ([]byte, error) {
		k, err := hkdf.Key(sha256.New, secret, nil, label, 32)
		if err != nil {
			return nil, fmt.Errorf("staff: unable to derive key: %w", err)
		}
		return k, nil
	}
	k := &keys{}
	var err error
	if k.lookup, err = derive("stemme/staff/login-lookup/v1"); err != nil {
		return nil, err
	}
	if k.recovery, err = derive("stemme/staff/recovery-codes/v1"); err != nil {
		return nil, err
	}
	enc, err := derive("stemme/staff/totp-secret/v1")
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	if k.totp, err = cipher.NewGCM(block); err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	return k, nil
}

// loginState is the login configuration and bookkeeping of one store.
type loginState struct {
	policy LoginPolicy
	mu     sync.Mutex
	pruned time.Time
}

// WithSecret derives the store's keys from the application secret (at least
// 32 bytes). Without it, a store uses keys random to the process: fine for
// one process, but instances sharing a database need the same secret.
func (s *Store) WithSecret(secret []byte) (*Store, error) {
	if len(secret) < 32 {
		return nil, errors.New("staff: secret must be at least 32 bytes")
	}
	k, err := deriveKeys(secret)
	if err != nil {
		return nil, err
	}
	s.keys = k
	return s, nil
}

// WithLoginPolicy sets how logins are throttled; the zero policy is DefaultLoginPolicy.
func (s *Store) WithLoginPolicy(p LoginPolicy) *Store {
	if p == (LoginPolicy{}) {
		p = DefaultLoginPolicy
	}
	s.login = &loginState{policy: p}
	return s
}

func randomKeys() *keys {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	k, err := deriveKeys(b)
	if err != nil {
		panic(err) // HKDF-SHA256 of 32 bytes into 32 cannot fail
	}
	return k
}

func (k *keys) mac(key []byte, purpose, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// accountKey names an e-mail address in the login counters, whether or not
// an account has it.
func (s *Store) accountKey(email string) string {
	return "a:" + s.keys.mac(s.keys.lookup, "account", strings.ToLower(strings.TrimSpace(email)))
}

// SourceKey names a client's network in the login counters: a keyed hash of
// its IPv4 address, or of the /64 an IPv6 address belongs to (one household
// or server gets a whole /64, so single addresses would be free to change).
// The address itself is neither stored nor logged.
func (s *Store) SourceKey(ip net.IP) string {
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	} else if len(ip) == net.IPv6len {
		ip = ip.Mask(net.CIDRMask(64, 128))
	}
	return "s:" + s.keys.mac(s.keys.lookup, "source", ip.String())
}

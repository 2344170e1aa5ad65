// Package random makes the unpredictable strings Stemme hands out: ids of
// documents, tokens that grant access, and codes that people copy by hand
// (resume codes, recovery codes, generated passwords, link ids).
//
// Every value comes from crypto/rand: an id or code that could be guessed
// from earlier ones would let one relative reach another's answers. The
// callers keep their own formats (how many bytes or characters, which
// alphabet), because those are printed on letters and stored, and must not
// change under data that already exists; this package only makes sure each
// format is drawn without bias, in one place.
//
// Raw key material (salts, nonces, secrets for HMAC or AEAD keys) is read
// from crypto/rand directly where it is used: it is bytes, not a string
// anybody stores, prints or types.
package random

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
)

// Hex returns n random bytes as 2n lowercase hex characters: an opaque id of
// 8n bits, such as a document _id (n = 12, like an ObjectID's length).
func Hex(n int) string {
	return hex.EncodeToString(bytes(n))
}

// URLSafe returns n random bytes in unpadded base64url (4n/3 characters,
// rounded up): a token of 8n bits that can stand in a URL or a cookie.
func URLSafe(n int) string {
	return base64.RawURLEncoding.EncodeToString(bytes(n))
}

// String returns n characters drawn uniformly from alphabet: a code of
// n·log2(len(alphabet)) bits. Choose an alphabet without look-alike
// characters (no 0/O, 1/l/I) when people type the code. The alphabet must
// hold 2 to 256 single-byte characters; String panics otherwise, as that is
// a programming error.
func String(alphabet string, n int) string {
	if len(alphabet) < 2 || len(alphabet) > 256 {
		panic("random: an alphabet needs 2 to 256 characters")
	}
	// A byte at or above the largest multiple of len(alphabet) is dropped, so
	// that every character is equally likely (for 32 or 64 none is).
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+8)
	for len(out) < n {
		_, _ = rand.Read(buf) // crypto/rand never fails on supported platforms
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

func bytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return b
}

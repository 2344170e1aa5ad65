package feedback

import (
	"bytes"
	"errors"
	"testing"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

func TestSealRoundTrip(t *testing.T) {
	s, err := newSealer(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"name":"Kari Nordmann","phone":"+47 912 34 567"}`)
	a, b := s.seal(plain, "case1"), s.seal(plain, "case1")
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same text are equal: the nonce is not random")
	}
	if a[0] != keyVersion {
		t.Fatalf("version byte %d, want %d", a[0], keyVersion)
	}
	if bytes.Contains(a, []byte("Kari")) {
		t.Fatal("the sealed value contains the plain text")
	}
	got, err := s.open(a, "case1")
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open = %q, %v", got, err)
	}

	other, _ := newSealer([]byte("another secret of at least thirty-two bytes"))
	flipped := bytes.Clone(a)
	flipped[len(flipped)-1] ^= 1
	wrongVersion := bytes.Clone(a)
	wrongVersion[0] = 9
	for _, tt := range []struct {
		name   string
		s      *sealer
		sealed []byte
		id     string
	}{
		{"another record's id", s, a, "case2"},
		{"a flipped bit", s, flipped, "case1"},
		{"an unknown key version", s, wrongVersion, "case1"},
		{"another secret", other, a, "case1"},
		{"truncated", s, a[:10], "case1"},
		{"empty", s, nil, "case1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.s.open(tt.sealed, tt.id); !errors.Is(err, ErrUnsealable) {
				t.Fatalf("open: %v, want ErrUnsealable", err)
			}
		})
	}
}

func TestSealerNeedsALongSecret(t *testing.T) {
	if _, err := newSealer([]byte("short")); err == nil {
		t.Fatal("a 5-byte secret was accepted")
	}
}

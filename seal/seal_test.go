package seal

import (
	"bytes"
	"errors"
	"testing"
)

func TestPurposesHaveTheirOwnKeys(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	a, _ := New(secret, "stemme/a/v1")
	b, _ := New(secret, "stemme/b/v1")
	sealed := a.Seal([]byte("Kari Nordmann"), "rec1")
	if got, err := a.Open(sealed, "rec1"); err != nil || !bytes.Equal(got, []byte("Kari Nordmann")) {
		t.Fatalf("open with its own key: %q, %v", got, err)
	}
	if _, err := b.Open(sealed, "rec1"); !errors.Is(err, ErrUnsealable) {
		t.Fatalf("another purpose's key opened it: %v", err)
	}
	if _, err := a.Open(sealed, "rec2"); !errors.Is(err, ErrUnsealable) {
		t.Fatalf("another record's id opened it: %v", err)
	}
	if _, err := New([]byte("short"), "x"); err == nil {
		t.Fatal("a short secret was accepted")
	}
}

package staff_test

import (
	"testing"

	"github.com/stemme/stemme/staff"
)

// FuzzCheckPassword parses arbitrary stored hashes: a malformed one must be an
// error, never a panic or a match.
func FuzzCheckPassword(f *testing.F) {
	good, _ := staff.HashPassword("korrekt hest batteri stift")
	for _, s := range []string{good, "", "$argon2id$", "$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x,t=1,p=1$$", "$bcrypt$x"} {
		f.Add(s, "korrekt hest batteri stift")
	}
	f.Fuzz(func(t *testing.T, encoded, password string) {
		if len(encoded) > 200 {
			return // keep argon2 work bounded: parameters come from the hash
		}
		ok, err := staff.CheckPassword(encoded, password)
		if err != nil && ok {
			t.Fatal("error and match at once")
		}
	})
}

// FuzzPolicyAndEmail checks the password policy and address parser never panic
// and never accept a password shorter than the minimum.
func FuzzPolicyAndEmail(f *testing.F) {
	for _, s := range []string{"korrekt hest batteri stift", "passord", "a@b.no", "Kari <kari@x.no>", "\xff\xfe", "ÅÆØ@æøå.no"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, password, email string) {
		if err := staff.CheckPolicy(password, email); err == nil && len([]rune(password)) < staff.MinPasswordLength {
			t.Fatalf("accepted short password %q", password)
		}
		if e, err := staff.NormalizeEmail(email); err == nil && e == "" {
			t.Fatal("empty address accepted")
		}
	})
}

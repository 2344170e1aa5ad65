package staff

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed common-passwords.txt
var commonPasswordList string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// PolicyError is a password the policy refuses. Message is a locale message id.
type PolicyError struct{ Message string }

func (e *PolicyError) Error() string { return "staff: password refused: " + e.Message }

// MaxPasswordLength bounds the work argon2 does on a submitted password.
const MaxPasswordLength = 256

// CheckPolicy refuses passwords that are short, common, or built from the
// user's own address: length beats complexity rules (NIST SP 800-63B).
func CheckPolicy(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return &PolicyError{Message: "password.error.too_short"}
	case len(password) > MaxPasswordLength:
		return &PolicyError{Message: "password.error.too_long"}
	case distinctRunes(password) < 5:
		return &PolicyError{Message: "password.error.repetitive"}
	case isCommon(password) || onlyDigits(password):
		return &PolicyError{Message: "password.error.common"}
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if len(local) >= 4 && strings.Contains(strings.ToLower(password), local) {
		return &PolicyError{Message: "password.error.contains_email"}
	}
	return nil
}

// isCommon checks the password, lower-cased, with and without the digits and
// symbols people add at the end ("Passord2024!"), and with repeats collapsed.
func isCommon(password string) bool {
	p := strings.ToLower(password)
	stripped := strings.TrimRightFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	core := strings.TrimLeftFunc(stripped, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, c := range []string{p, stripped, core} {
		if commonPasswords[c] {
			return true
		}
		// "passordpassord" and "sommersommer2024" are the word twice.
		if half := len(c) / 2; len(c)%2 == 0 && half > 0 && c[:half] == c[half:] && commonPasswords[c[:half]] {
			return true
		}
	}
	return false
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// onlyDigits catches long PINs and dates, which are guessed quickly.
func onlyDigits(s string) bool {
	return strings.TrimFunc(s, unicode.IsDigit) == ""
}

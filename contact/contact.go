// Package contact checks and normalizes the ways people are reached: e-mail
// addresses and telephone numbers, as people write them in forms and
// spreadsheets. Units, feedback, the outbox and sign-ups share these rules.
package contact

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits, in bytes.
const (
	MaxPhone = 30
	MaxEmail = 254
)

// OneLine trims a single-line field and drops control characters.
func OneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s))
}

// ValidPhone accepts what people write: digits with spaces, dashes, dots,
// brackets and a leading +, with 8 to 15 digits (Norwegian numbers have 8,
// international ones up to 15).
func ValidPhone(s string) bool {
	if len(s) > MaxPhone {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" -.()", r):
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// ValidEmail accepts one plain address (no display name) with a dot in its domain.
func ValidEmail(s string) bool {
	if len(s) > MaxEmail || s == "" {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// NormalizeEmail trims an address and lowers its case.
func NormalizeEmail(s string) string { return strings.ToLower(OneLine(s)) }

// MobileNumber returns a phone number in the international form SMS
// gateways expect (+4791234567): eight Norwegian digits get +47, "0047"
// becomes "+47", and a number with a + keeps its country code. ok is false
// for anything that is not a valid phone number.
func MobileNumber(s string) (string, bool) {
	s = OneLine(s)
	if !ValidPhone(s) {
		return "", false
	}
	var digits strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(s, "+"):
		return "+" + d, true
	case strings.HasPrefix(d, "00"):
		return "+" + d[2:], len(d) > 10
	case len(d) == 8:
		return "+47" + d, true
	}
	return "", false
}

// Person is a name with the ways to reach someone, as forms take them.
type Person struct {
	Name, Phone, Email string
}

// Problem is a field of a Person that cannot be used: Field is "name",
// "phone" or "email"; Kind is "name" (missing), "name_long", "reach"
// (neither phone nor e-mail), "phone" or "email" (not valid).
type Problem struct {
	Field, Kind string
}

// Check normalizes a person (trimmed, e-mail in lower case) and lists what
// is wrong: a name of 1 to maxName characters and at least one valid way
// to reach them are required.
func Check(p *Person, maxName int) []Problem {
	p.Name, p.Phone, p.Email = OneLine(p.Name), OneLine(p.Phone), NormalizeEmail(p.Email)
	var out []Problem
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		out = append(out, Problem{"name", "name"})
	case n > maxName || !utf8.ValidString(p.Name):
		out = append(out, Problem{"name", "name_long"})
	}
	if p.Phone == "" && p.Email == "" {
		out = append(out, Problem{"phone", "reach"})
	}
	if p.Phone != "" && !ValidPhone(p.Phone) {
		out = append(out, Problem{"phone", "phone"})
	}
	if p.Email != "" && !ValidEmail(p.Email) {
		out = append(out, Problem{"email", "email"})
	}
	return out
}

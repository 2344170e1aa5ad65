package main

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxOrgName is the longest municipality name: "Nordre Follo kommune" is
// 20, the longest Norwegian one under 40.
const maxOrgName = 80

// phonePattern is a phone number as people write it: at least three
// digits with spaces, hyphens and parentheses, and at most one + before
// the first digit ("+47 12 34 56 78", "(+47) 123-45-678").
var phonePattern = regexp.MustCompile(`^[ (]*\+?(?:[0-9][ ()\-]*){3,}$`)

// validateOrg checks the municipality's name and the contact for feedback
// on the pages that the accessibility statement shows.
func (c *config) validateOrg(name func(string) string) error {
	c.OrgName = strings.TrimSpace(c.OrgName)
	if utf8.RuneCountInString(c.OrgName) > maxOrgName || strings.ContainsFunc(c.OrgName, unicode.IsControl) {
		return fmt.Errorf("%s: %q is not a name of at most %d characters on one line", name("org-name"), c.OrgName, maxOrgName)
	}
	c.OrgContactEmail = strings.TrimSpace(c.OrgContactEmail)
	if e := c.OrgContactEmail; e != "" {
		// A bare address only: no display name, no second address.
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || a.Name != "" || len(e) > 254 {
			return fmt.Errorf("%s: %q is not an e-mail address such as postmottak@kommune.no", name("org-contact-email"), e)
		}
	}
	c.OrgContactPhone = strings.TrimSpace(c.OrgContactPhone)
	if p := c.OrgContactPhone; p != "" && (!phonePattern.MatchString(p) || len(p) < 6 || len(p) > 32) {
		return fmt.Errorf("%s: %q is not a phone number such as +47 12 34 56 78", name("org-contact-phone"), p)
	}
	return nil
}

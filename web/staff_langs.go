package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"github.com/stemme/stemme/locales"
)

// staffCodes are the languages staff pages are written in: every staff
// message exists in these three (locales_test checks it), so a staff page
// is never served as Arabic or Somali with Norwegian text in it.
var staffCodes = []string{"nb", "nn", "en"}

// staffLanguagesOf picks the staff languages out of the shipped ones, in
// picker order, with a matcher for Accept-Language.
func staffLanguagesOf(all []locales.Language) ([]locales.Language, language.Matcher) {
	var langs []locales.Language
	var tags []language.Tag
	for _, l := range all {
		if slices.Contains(staffCodes, l.Code) {
			langs = append(langs, l)
			tags = append(tags, language.MustParse(l.Code))
		}
	}
	return langs, language.NewMatcher(tags)
}

// staffPath reports whether a path is a staff page: signing in, the
// password link and everything under /admin.
func staffPath(path string) bool {
	for _, prefix := range []string{"/admin", "/login", "/logout", "/passord"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// langURLs returns the page's own address in another language: the query
// is kept, with lang set. The query is parsed once for the whole picker;
// without one but the language, each address is the path and ?lang=.
func langURLs(c *fiber.Ctx) func(code string) string {
	path := c.Path()
	q, err := url.ParseQuery(string(c.Context().QueryArgs().QueryString()))
	if err != nil {
		q = url.Values{}
	}
	if len(q) == 0 || (len(q) == 1 && q.Has("lang")) {
		return func(code string) string { return path + "?lang=" + url.QueryEscape(code) }
	}
	return func(code string) string {
		q.Set("lang", code)
		return path + "?" + q.Encode()
	}
}

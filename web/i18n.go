package web

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/stemme/stemme/locales"
	"github.com/stemme/stemme/staff"
)

const langCookie = "lang"

// translator resolves each request's language and localizes messages.
type translator struct {
	bundle  *i18n.Bundle
	langs   []locales.Language
	matcher language.Matcher
	// staff are the languages staff pages are written in, with their matcher.
	staff        []locales.Language
	staffMatcher language.Matcher
	// memo holds translated messages without arguments, per language and id.
	memo sync.Map
	// localizers holds one *i18n.Localizer per language code (of t.langs).
	localizers sync.Map
}

func newTranslator() (*translator, error) {
	bundle, langs, err := locales.Load()
	if err != nil {
		return nil, err
	}
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = language.MustParse(l.Code)
	}
	t := &translator{bundle: bundle, langs: langs, matcher: language.NewMatcher(tags)}
	t.staff, t.staffMatcher = staffLanguagesOf(langs)
	return t, nil
}

func (t *translator) supported(code string) (locales.Language, bool) {
	return supportedIn(t.langs, code)
}

func supportedIn(langs []locales.Language, code string) (locales.Language, bool) {
	for _, l := range langs {
		if l.Code == code {
			return l, true
		}
	}
	return locales.Language{}, false
}

// resolve picks the language: ?lang=, then the cookie, then Accept-Language, then nb.
// A choice made with ?lang= is remembered in a cookie.
func (t *translator) resolve(c *fiber.Ctx, secure bool) locales.Language {
	return t.resolveAmong(c, secure, t.langs, t.matcher)
}

// resolveAmong is resolve limited to some languages (the staff pages').
func (t *translator) resolveAmong(c *fiber.Ctx, secure bool, langs []locales.Language, matcher language.Matcher) locales.Language {
	if l, ok := supportedIn(langs, c.Query("lang")); ok {
		c.Cookie(&fiber.Cookie{
			Name: langCookie, Value: l.Code, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure,
		})
		return l
	}
	if l, ok := supportedIn(langs, c.Cookies(langCookie)); ok {
		return l
	}
	if tags := acceptedTags(c.Get(fiber.HeaderAcceptLanguage)); len(tags) > 0 {
		_, i, conf := matcher.Match(tags...)
		if conf != language.No {
			return langs[i]
		}
	}
	return langs[0]
}

// maxAcceptTags is how many entries of an Accept-Language header are read.
// Browsers send a handful, most preferred first.
const maxAcceptTags = 32

// acceptedTags reads the first maxAcceptTags entries of an Accept-Language
// header, one at a time, and orders them by weight (ties keep their order).
// language.ParseAcceptLanguage on the whole header would refuse one of more
// than 1,000 subtags, or with a single tag it cannot read, and the page
// would fall back to bokmål though the reader asked for nynorsk first.
func acceptedTags(header string) []language.Tag {
	entries := strings.SplitN(header, ",", maxAcceptTags+1)
	entries = entries[:min(len(entries), maxAcceptTags)]
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var read []weighted
	for _, e := range entries {
		if t, q, err := language.ParseAcceptLanguage(e); err == nil && len(t) == 1 {
			read = append(read, weighted{t[0], q[0]})
		}
	}
	slices.SortStableFunc(read, func(a, b weighted) int { return cmp.Compare(b.q, a.q) })
	tags := make([]language.Tag, len(read))
	for i, w := range read {
		tags[i] = w.tag
	}
	return tags
}

// page is what every template receives: the language, the picker and the data.
type page struct {
	Lang     string
	Dir      string
	Title    string
	Path     string
	Langs    []langChoice
	Template string
	Data     any
	// User is the signed-in staff member on staff pages, nil elsewhere.
	User *staff.User
	// CSRF is the token staff forms carry.
	CSRF string
	// Notice is a one-line message shown at the top of the page.
	Notice string
	// Session is the signed-in user's session, for its timeout warning.
	Session *sessionView
	// OrgName and LogoURL are the municipality's name and logo (if any).
	OrgName, LogoURL string
	// Content is the language of an instrument's texts on a survey page
	// when the interface has no messages in it (see surveyPage).
	Content string
	loc     *i18n.Localizer
	memo    *sync.Map
}

type langChoice struct {
	Code, Name, URL, Dir string
	Current              bool
}

func (t *translator) newPage(c *fiber.Ctx, lang locales.Language) *page {
	return t.pageAmong(c, lang, t.langs)
}

// pageAmong starts a page whose picker offers the languages given. Each
// choice links to the same address with its query kept, so a filtered
// list or a finding (?unit=…&item=…) survives a change of language.
func (t *translator) pageAmong(c *fiber.Ctx, lang locales.Language, langs []locales.Language) *page {
	p := &page{Lang: lang.Code, Dir: dir(lang.RTL), Path: c.Path(), loc: t.localizer(lang.Code), memo: &t.memo}
	// Room for the survey's own content languages, which surveyPage adds.
	p.Langs = make([]langChoice, 0, len(langs)+4)
	urlFor := langURLs(c)
	for _, l := range langs {
		p.Langs = append(p.Langs, langChoice{Code: l.Code, Name: l.Name, Dir: dir(l.RTL),
			URL: urlFor(l.Code), Current: l.Code == lang.Code})
	}
	return p
}

// localizer returns the language's localizer, made once: a Localizer is
// only read after it is made, and making one parses its language tags,
// which every request paid for.
func (t *translator) localizer(code string) *i18n.Localizer {
	if l, ok := t.localizers.Load(code); ok {
		return l.(*i18n.Localizer)
	}
	l, _ := t.localizers.LoadOrStore(code, i18n.NewLocalizer(t.bundle, code))
	return l.(*i18n.Localizer)
}

func dir(rtl bool) string {
	if rtl {
		return "rtl"
	}
	return "ltr"
}

// T translates a message id; args are name/value pairs for its template.
// A "Count" argument selects the plural form.
func (p *page) T(id string, args ...any) string {
	if len(args) == 0 && p.memo != nil {
		key := p.Lang + "\x00" + id
		if s, ok := p.memo.Load(key); ok {
			return s.(string)
		}
		s := p.localize(id, nil)
		p.memo.Store(key, s)
		return s
	}
	return p.localize(id, args)
}

// localize asks go-i18n; messages without arguments are memoized by T, since
// every page repeats the same chrome (picker, footer, buttons) in each language.
func (p *page) localize(id string, args []any) string {
	return locales.Localize(p.loc, id, args...)
}

// TData translates with a map of template data, as field errors carry.
func (p *page) TData(id string, data map[string]any) string {
	args := make([]any, 0, 2*len(data))
	for k, v := range data {
		args = append(args, k, v)
	}
	return p.T(id, args...)
}

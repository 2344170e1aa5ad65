package surveys

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// An instrument may be written in any language with a BCP 47 tag: the
// nine of the built-in material (Languages) are only where a municipality
// starts. A language's name in itself and its direction come from CLDR
// (golang.org/x/text) unless the advisor gives them; the overrides below
// cover languages spoken in Norway that CLDR names poorly or not at all.

// LanguageInfo is what Stemme knows of a language: its BCP 47 code, its name
// in itself (as a language picker shows it), its English name and whether
// it is written right to left.
type LanguageInfo struct {
	Code, Name, English string
	RTL                 bool
}

// Dir is "rtl" or "ltr", for HTML's dir attribute.
func (l LanguageInfo) Dir() string {
	if l.RTL {
		return "rtl"
	}
	return "ltr"
}

// knownNames fills in what CLDR lacks or names in a way readers here would
// not recognise (Dari, the Sami and Kurdish languages), and gives the nine
// built-in languages the names the picker has always shown.
var knownNames = map[string]LanguageInfo{
	"nb":  {Name: "Norsk bokmål", English: "Norwegian Bokmål"},
	"nn":  {Name: "Norsk nynorsk", English: "Norwegian Nynorsk"},
	"en":  {Name: "English", English: "English"},
	"pl":  {Name: "Polski", English: "Polish"},
	"ar":  {Name: "العربية", English: "Arabic", RTL: true},
	"so":  {Name: "Soomaali", English: "Somali"},
	"ti":  {Name: "ትግርኛ", English: "Tigrinya"},
	"uk":  {Name: "Українська", English: "Ukrainian"},
	"ur":  {Name: "اردو", English: "Urdu", RTL: true},
	"prs": {Name: "دری", English: "Dari", RTL: true},
	"fa":  {Name: "فارسی", English: "Persian", RTL: true},
	"ckb": {Name: "کوردیی ناوەندی", English: "Central Kurdish (Sorani)", RTL: true},
	"kmr": {Name: "Kurmancî", English: "Northern Kurdish (Kurmanji)"},
	"ku":  {Name: "Kurdî", English: "Kurdish"},
	"se":  {Name: "Davvisámegiella", English: "Northern Sami"},
	"smj": {Name: "Julevsámegiella", English: "Lule Sami"},
	"sma": {Name: "Åarjelsaemien gïele", English: "Southern Sami"},
	"fkv": {Name: "Kväänin kieli", English: "Kven"},
	"fil": {Name: "Filipino", English: "Filipino (Tagalog)"},
}

// rtlScripts are the scripts written right to left (ISO 15924).
var rtlScripts = []string{"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Mend"}

// ErrLanguageCode is matched (errors.Is) by every refused language code.
var ErrLanguageCode = errors.New("surveys: not a language code")

// ParseLanguageCode reads a BCP 47 tag and returns it in canonical form
// ("EN" → "en", "iw" → "he", "zh-hant" → "zh-Hant"). The undetermined
// language, private-use tags and anything that is not a tag are refused.
func ParseLanguageCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 35 || strings.ContainsAny(s, " ._$") {
		return "", fmt.Errorf("%w: %q", ErrLanguageCode, s)
	}
	tag, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q", ErrLanguageCode, s)
	}
	code := tag.String()
	if base, _ := tag.Base(); base.String() == "und" || strings.HasPrefix(code, "x-") || strings.Contains(code, "-x-") {
		return "", fmt.Errorf("%w: %q", ErrLanguageCode, s)
	}
	return code, nil
}

// ValidLanguageCode reports whether code is a canonical BCP 47 tag Stemme accepts.
func ValidLanguageCode(code string) bool {
	c, err := ParseLanguageCode(code)
	return err == nil && c == code
}

// Language describes a language by its code, whether or not Stemme ships
// anything in it; Name falls back to the code when nothing is known.
func Language(code string) LanguageInfo {
	info := LanguageInfo{Code: code, Name: code, English: code}
	tag, err := language.Parse(code)
	if err != nil {
		return info
	}
	if known, ok := knownNames[code]; ok {
		known.Code = code
		return known
	}
	if s := display.Self.Name(tag); s != "" {
		info.Name = capitalise(s)
	}
	if s := display.English.Languages().Name(tag); s != "" && !strings.HasPrefix(s, "Unknown") {
		info.English = s
	}
	if script, conf := tag.Script(); conf != language.No {
		info.RTL = slices.Contains(rtlScripts, script.String())
	}
	return info
}

// RTL reports whether a language is written right to left.
func RTL(lang string) bool { return Language(lang).RTL }

// capitalise makes CLDR's lower-case names ("lietuvių") start as a picker
// shows them ("Lietuvių"); scripts without case are left alone.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// The languages whose English and own names LanguageByName recognises:
// ISO 639-1 and the other codes of languages spoken in Norway.
const namedCodes = "aa ab af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cs cu cv cy da de dv dz " +
	"ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it " +
	"iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my " +
	"na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so " +
	"sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu " +
	"prs ckb kmr smj sma fkv fil hmn ceb yue"

// Names authors write for a language that are neither CLDR's English name
// nor its own name.
var nameAliases = map[string]string{
	"norwegian": "nb", "norsk": "nb", "bokmål": "nb", "bokmal": "nb", "bokmaal": "nb", "nynorsk": "nn",
	"swahili": "sw", "kiswahili": "sw", "farsi": "fa", "dari": "prs", "sorani": "ckb", "kurmanji": "kmr",
	"tagalog": "fil", "sami": "se", "samisk": "se", "nordsamisk": "se", "lulesamisk": "smj", "sørsamisk": "sma",
	"engelsk": "en", "polsk": "pl", "arabisk": "ar", "somali": "so", "somalisk": "so", "tigrinja": "ti",
	"ukrainsk": "uk", "litauisk": "lt", "tyrkisk": "tr", "persisk": "fa", "kurdisk": "ku", "thai": "th",
	"thailandsk": "th", "spansk": "es", "fransk": "fr", "tysk": "de", "russisk": "ru", "rumensk": "ro",
	"svensk": "sv", "dansk": "da", "finsk": "fi", "kvensk": "fkv", "kven": "fkv",
}

var (
	languageNamesOnce sync.Once
	languageNames     map[string]string
)

// LanguageByName finds the code of a language written by name, as older
// KoboToolbox forms do (label::English, label::Kiswahili): its English
// name, its name in itself or a common Norwegian or English alias, in any
// case. ok is false for a name it does not know.
func LanguageByName(name string) (code string, ok bool) {
	languageNamesOnce.Do(func() {
		languageNames = map[string]string{}
		for _, c := range strings.Fields(namedCodes) {
			info := Language(c)
			for _, n := range []string{info.English, info.Name} {
				if k := foldName(n); k != "" && k != c && languageNames[k] == "" {
					languageNames[k] = c
				}
			}
		}
		for n, c := range nameAliases {
			languageNames[foldName(n)] = c
		}
	})
	code, ok = languageNames[foldName(name)]
	return code, ok
}

func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// KnownLanguages lists the languages LanguageByName knows, sorted by
// English name, for an advisor choosing one to add.
func KnownLanguages() []LanguageInfo {
	var out []LanguageInfo
	for _, c := range strings.Fields(namedCodes) {
		if info := Language(c); info.English != c && c != "no" {
			out = append(out, info)
		}
	}
	slices.SortFunc(out, func(a, b LanguageInfo) int { return strings.Compare(a.English, b.English) })
	return out
}

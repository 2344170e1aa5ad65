package surveys

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// encodeJourney writes st as encoding/json writes it, byte for byte
// (TestEncodeJourneyIsJSON), without reflection: every step encodes its
// journey, and json.Marshal spent most of its time sorting the values'
// keys through reflect. Load reads it back with json.Unmarshal.
func encodeJourney(st JourneyState) []byte {
	n := 64
	for k, vs := range st.Values {
		n += len(k) + 8
		for _, v := range vs {
			n += len(v) + 3
		}
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	if len(st.Values) > 0 {
		keys := make([]string, 0, len(st.Values))
		for k := range st.Values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, `"v":{`...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			vs := st.Values[k]
			if vs == nil {
				b = append(b, "null"...)
				continue
			}
			b = append(b, '[')
			for j, v := range vs {
				if j > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, v)
			}
			b = append(b, ']')
		}
		b = append(b, "},"...)
	}
	b = append(b, `"p":`...)
	b = strconv.AppendInt(b, int64(st.Page), 10)
	b = append(b, `,"s":`...)
	b = appendJSONString(b, st.SID)
	for _, f := range []struct{ name, value string }{{`,"r":`, st.Resume}, {`,"c":`, st.Code}, {`,"n":`, st.Notice}} {
		if f.value != "" {
			b = append(b, f.name...)
			b = appendJSONString(b, f.value)
		}
	}
	return append(b, '}')
}

// appendJSONString writes s as a JSON string the way encoding/json does:
// HTML's <, > and & escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

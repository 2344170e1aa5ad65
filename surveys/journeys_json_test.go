package surveys

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestEncodeJourneyIsJSON compares the hand-written encoding with
// json.Marshal byte for byte, for chosen and for random states.
func TestEncodeJourneyIsJSON(t *testing.T) {
	states := []JourneyState{
		{},
		{Page: 3, SID: "abc"},
		{Values: map[string][]string{}, SID: "x"},
		{Values: map[string][]string{"b": {"2"}, "a": {"1", "one"}, "c": nil, "d": {}}, Page: -1, SID: "s",
			Resume: "R", Code: "C", Notice: "survey.flow.saved"},
		{Values: map[string][]string{"q<>&": {"\"quoted\" \\ back", "tab\tline\nreturn\r\b\f\x00\x01\x1f\x7f",
			"æøå ÆØÅ ﷺ 😀", "bad \xff\xfe utf8 \xe2\x82", "sep \u2028 \u2029 \u2027", "<script>&amp;</script>"}},
			SID: "\x00", Notice: "é"},
	}
	rng := rand.New(rand.NewPCG(22, 22))
	alphabet := []string{"a", "Z", " ", "\"", "\\", "<", ">", "&", "\n", "\x00", "\x1f", "\xff", "\xc3", "ø", "\u2028", "😀", "\u00a0", "\x7f"}
	randomString := func() string {
		s := ""
		for range rng.IntN(12) {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		return s
	}
	for range 300 {
		st := JourneyState{Page: rng.IntN(20), SID: randomString(), Resume: randomString(), Code: randomString(), Notice: randomString()}
		if rng.IntN(4) > 0 {
			st.Values = map[string][]string{}
			for range rng.IntN(8) {
				var vs []string
				for range rng.IntN(3) {
					vs = append(vs, randomString())
				}
				st.Values[randomString()] = vs
			}
		}
		states = append(states, st)
	}
	for i, st := range states {
		want, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeJourney(st); string(got) != string(want) {
			t.Fatalf("state %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

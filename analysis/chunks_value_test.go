package analysis

import (
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestPackValueOfEveryAcceptedType: every Go type an answer may arrive as
// (from a parsed form, a JSON or BSON decoder, or Go code) packs to its
// canonical cell and unpacks to the canonical type; an int once recursed
// until the stack overflowed.
func TestPackValueOfEveryAcceptedType(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		cell string
		out  any // nil: the cell is empty, no answer
	}{
		{"string", "5", "s5", "5"},
		{"empty string", "", "s", ""},
		{"float64", 42.5, "n42.5", 42.5},
		{"float32", float32(0.5), "n0.5", 0.5},
		{"int", 42, "n42", 42.0},
		{"negative int", -3, "n-3", -3.0},
		{"int8", int8(7), "n7", 7.0},
		{"int16", int16(300), "n300", 300.0},
		{"int32", int32(70000), "n70000", 70000.0},
		{"int64", int64(1) << 40, "n1.099511627776e+12", 1099511627776.0},
		{"uint", uint(9), "n9", 9.0},
		{"uint8", uint8(255), "n255", 255.0},
		{"uint16", uint16(65535), "n65535", 65535.0},
		{"uint32", uint32(1) << 31, "n2.147483648e+09", 2147483648.0},
		{"uint64", uint64(1) << 33, "n8.589934592e+09", 8589934592.0},
		{"[]string", []string{"a", "b"}, "ma\x1fb", []string{"a", "b"}},
		{"empty []string", []string{}, "m", []string{}},
		{"[]any", []any{"a", "b"}, "ma\x1fb", []string{"a", "b"}},
		{"bson.A", bson.A{"x", "y"}, "mx\x1fy", []string{"x", "y"}},
		{"nil", nil, "", nil},
		{"bool (not an answer type)", true, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cell := packValue(tc.in)
			if cell != tc.cell {
				t.Fatalf("packValue(%#v) = %q, want %q", tc.in, cell, tc.cell)
			}
			got, ok := unpackValue(cell)
			if ok != (tc.out != nil) || !reflect.DeepEqual(got, tc.out) {
				t.Fatalf("unpackValue(%q) = %#v, %v; want %#v", cell, got, ok, tc.out)
			}
		})
	}
}

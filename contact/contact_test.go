package contact

import "testing"

func TestValidPhone(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"91234567", true}, {"+47 912 34 567", true}, {"(+47) 912-34-567", false}, {"912 34 567", true},
		{"1234567", false}, {"+1234567890123456", false}, {"91234567a", false}, {"", false}, {"9+1234567", false},
	} {
		if got := ValidPhone(tt.in); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"kari@kommune.no", true}, {"kari@localhost", false}, {"Kari <kari@kommune.no>", false},
		{"kari", false}, {"", false}, {"kari@@kommune.no", false},
	} {
		if got := ValidEmail(tt.in); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMobileNumber(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"912 34 567", "+4791234567", true},
		{"+47 912 34 567", "+4791234567", true},
		{"0047 91234567", "+4791234567", true},
		{"+46 70 123 45 67", "+46701234567", true},
		{"123456789", "", false},
		{"not a number", "", false},
	} {
		got, ok := MobileNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MobileNumber(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

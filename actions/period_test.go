package actions

import "testing"

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
		ok   bool
	}{
		{"2025", Period{From: 2025, To: 2025}, true},
		{"2025–2026", Period{From: 2025, To: 2026}, true},
		{"2023 - 2025", Period{From: 2023, To: 2025}, true},
		{"Løpende", Period{Ongoing: true}, true},
		{" kontinuerlig ", Period{Ongoing: true}, true},
		{"2026-2025", Period{}, false},
		{"1999", Period{}, false},
		{"høsten 2025", Period{}, false},
		{"", Period{}, false},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestOverdue(t *testing.T) {
	tests := []struct {
		period string
		status Status
		want   bool
	}{
		{"2024", Planned, true},
		{"2023–2024", InProgress, true},
		{"2024–2025", InProgress, false},
		{"2025", Planned, false},
		{"2020", Done, false},
		{"2020", Dropped, false},
		{"Løpende", Planned, false},
	}
	for _, tt := range tests {
		a := &Action{Period: tt.period, Status: tt.status}
		if got := a.Overdue(2025); got != tt.want {
			t.Errorf("%s %s overdue in 2025 = %v, want %v", tt.period, tt.status, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		a      Action
		fields []string
	}{
		{"good", Action{Title: "Pårørendekafé", Owner: "Virksomhetsleder", Period: "2025"}, nil},
		{"empty", Action{}, []string{"title", "owner", "period"}},
		{"bad status", Action{Title: "x", Owner: "y", Period: "Løpende", Status: "maybe"}, []string{"status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			var got []string
			if fe, ok := err.(FieldErrors); ok {
				for _, e := range fe {
					got = append(got, e.Field)
				}
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Errorf("fields %v, want %v", got, tt.fields)
				}
			}
		})
	}
}

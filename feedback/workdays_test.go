package feedback_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/surveys"
)

// Easter Sunday 2024–2030 from the Norwegian almanac, and the movable
// holidays that follow from it, written out rather than computed, so a
// wrong offset fails as surely as a wrong Easter.
var movable = []struct {
	year                                                   int
	easter, maundy, goodFriday, easterMonday, ascend, whit string
}{
	{2024, "03-31", "03-28", "03-29", "04-01", "05-09", "05-20"},
	{2025, "04-20", "04-17", "04-18", "04-21", "05-29", "06-09"},
	{2026, "04-05", "04-02", "04-03", "04-06", "05-14", "05-25"},
	{2027, "03-28", "03-25", "03-26", "03-29", "05-06", "05-17"},
	{2028, "04-16", "04-13", "04-14", "04-17", "05-25", "06-05"},
	{2029, "04-01", "03-29", "03-30", "04-02", "05-10", "05-21"},
	{2030, "04-21", "04-18", "04-19", "04-22", "05-30", "06-10"},
}

func TestEaster(t *testing.T) {
	for _, m := range movable {
		if got := feedback.Easter(m.year).Format("01-02"); got != m.easter {
			t.Errorf("Easter %d = %s, want %s", m.year, got, m.easter)
		}
	}
	// Far from the table: the algorithm's edge years.
	for year, want := range map[int]string{1818: "03-22", 2285: "03-22", 1943: "04-25", 2038: "04-25"} {
		if got := feedback.Easter(year).Format("01-02"); got != want {
			t.Errorf("Easter %d = %s, want %s", year, got, want)
		}
	}
}

func TestHolidays(t *testing.T) {
	for _, m := range movable {
		want := []string{"01-01", m.maundy, m.goodFriday, m.easterMonday, "05-01", "05-17", m.ascend, m.whit, "12-25", "12-26"}
		var got []string
		for _, h := range feedback.Holidays(m.year) {
			got = append(got, h.Date.Format("01-02"))
			if h.Date.Year() != m.year {
				t.Errorf("%d: %s falls in %d", m.year, h.Name, h.Date.Year())
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("holidays %d = %v, want %v", m.year, got, want)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	for _, tt := range []struct {
		date string
		want bool
	}{
		{"2026-11-18", true},  // a Wednesday
		{"2026-11-21", false}, // Saturday
		{"2026-11-22", false}, // Sunday
		{"2026-04-02", false}, // Maundy Thursday
		{"2026-04-06", false}, // Easter Monday
		{"2026-04-07", true},
		{"2028-05-17", false}, // Constitution Day on a Wednesday
		{"2026-12-24", true},  // Christmas Eve is not a public holiday
		{"2026-12-31", true},  // nor is New Year's Eve
		{"2027-01-01", false},
		{"2025-05-01", false},
	} {
		d, _ := time.Parse(time.DateOnly, tt.date)
		if got := feedback.IsWorkingDay(d.Year(), d.Month(), d.Day()); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
	// Norway has 250 or so working days; 2026 has 261 weekdays and 8 holidays on weekdays.
	n := 0
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if feedback.IsWorkingDay(d.Year(), d.Month(), d.Day()) {
			n++
		}
	}
	if n != 253 {
		t.Errorf("2026 has %d working days, want 253", n)
	}
}

func oslo(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, surveys.Oslo)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDeadline(t *testing.T) {
	for _, tt := range []struct {
		name, received, due string
	}{
		{"Wednesday morning", "2026-11-18 08:00", "2026-11-20"},
		{"Wednesday just before midnight", "2026-11-18 23:59", "2026-11-20"},
		{"Friday evening", "2026-11-20 20:00", "2026-11-24"},
		{"Saturday", "2026-11-21 12:00", "2026-11-24"},
		{"Sunday", "2026-11-22 12:00", "2026-11-24"},
		{"Tuesday before Easter", "2026-03-31 10:00", "2026-04-07"},
		{"Wednesday before Easter", "2026-04-01 10:00", "2026-04-08"},
		{"Maundy Thursday", "2026-04-02 10:00", "2026-04-08"},
		{"Easter Monday", "2026-04-06 10:00", "2026-04-08"},
		{"day before Ascension", "2026-05-13 10:00", "2026-05-18"},
		{"Friday before 17 May and Whit Monday 2027", "2027-05-14 10:00", "2027-05-19"},
		{"day before 17 May on a Wednesday", "2028-05-16 10:00", "2028-05-19"},
		{"on 17 May", "2028-05-17 10:00", "2028-05-19"},
		{"day before Labour Day", "2025-04-30 10:00", "2025-05-05"},
		{"23 December 2026", "2026-12-23 10:00", "2026-12-28"},
		{"Christmas Eve 2026", "2026-12-24 10:00", "2026-12-29"},
		{"23 December 2025", "2025-12-23 10:00", "2025-12-29"},
		{"New Year's Eve 2025", "2025-12-31 10:00", "2026-01-05"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := oslo(tt.received)
			if got := feedback.DueDate(r); got != tt.due {
				t.Errorf("due %s, want %s", got, tt.due)
			}
			want := oslo(tt.due+" 00:00").AddDate(0, 0, 1)
			if got := feedback.Deadline(r); !got.Equal(want) {
				t.Errorf("deadline %s, want %s", got, want)
			}
		})
	}
}

func TestDeadlineUsesOsloTime(t *testing.T) {
	// 23:30 UTC on a Wednesday is already Thursday in Oslo.
	r := time.Date(2026, 11, 18, 23, 30, 0, 0, time.UTC)
	if got := feedback.DueDate(r); got != "2026-11-23" {
		t.Errorf("due %s, want 2026-11-23 (received Thursday in Oslo)", got)
	}
	// Across the switch to summer time the deadline is still Oslo midnight:
	// received Friday 27 March 2026, due Tuesday 31 March, deadline 1 April 00:00 CEST.
	got := feedback.Deadline(oslo("2026-03-27 09:00"))
	if want := time.Date(2026, 3, 31, 22, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("deadline %s, want %s", got.UTC(), want)
	}
}

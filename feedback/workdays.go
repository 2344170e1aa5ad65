package feedback

import (
	"time"

	"github.com/stemme/stemme/surveys"
)

// The contact deadline of the Sarpsborg plan: a relative who asks to be
// contacted after a complaint or expressed dissatisfaction must be contacted
// "innen 2 virkedager" — within 2 working days.
//
// What that means here, precisely:
//
//   - A message is received on the calendar day it arrives, in Europe/Oslo
//     time. The day of receipt is day 0 and never counts, whatever the hour:
//     a message at 08:00 and one at 23:59 on the same day have the same deadline.
//   - Working days are Monday to Friday except the Norwegian public holidays
//     (see Holiday). Christmas Eve and New Year's Eve are working days: they
//     are not public holidays, only customary half days.
//   - The deadline is the end (midnight, Oslo time) of the second working day
//     after the day of receipt. Contact made any time before that midnight is
//     within the deadline.
//
// Examples: received Wednesday → end of Friday; received Friday evening,
// Saturday or Sunday → end of Tuesday; received on Maundy Thursday 2026
// (2 April) → end of Wednesday 8 April, since Good Friday, the weekend and
// Easter Monday are not working days.
const DeadlineWorkingDays = 2

// Easter returns Easter Sunday of a year in the Gregorian calendar (the
// anonymous Gregorian algorithm, also known as Meeus/Jones/Butcher).
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Holiday names a Norwegian public holiday that can fall on a weekday.
// Palm Sunday, Easter Sunday and Whit Sunday are holidays too, but always
// Sundays, so they change no deadline.
type Holiday struct {
	Date time.Time // midnight UTC of the day
	Name string
}

// Holidays lists the public holidays of a year, in date order.
func Holidays(year int) []Holiday {
	e := Easter(year)
	fixed := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	return []Holiday{
		{fixed(time.January, 1), "New Year's Day"},
		{e.AddDate(0, 0, -3), "Maundy Thursday"},
		{e.AddDate(0, 0, -2), "Good Friday"},
		{e.AddDate(0, 0, 1), "Easter Monday"},
		{fixed(time.May, 1), "Labour Day"},
		{fixed(time.May, 17), "Constitution Day"},
		{e.AddDate(0, 0, 39), "Ascension Day"},
		{e.AddDate(0, 0, 50), "Whit Monday"},
		{fixed(time.December, 25), "Christmas Day"},
		{fixed(time.December, 26), "Boxing Day"},
	}
}

// IsHoliday reports whether the calendar date (year, month, day) is a public holiday.
func IsHoliday(year int, month time.Month, day int) bool {
	for _, h := range Holidays(year) {
		if h.Date.Month() == month && h.Date.Day() == day {
			return true
		}
	}
	return false
}

// IsWorkingDay reports whether the calendar date is a working day: a weekday
// that is not a public holiday.
func IsWorkingDay(year int, month time.Month, day int) bool {
	d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !IsHoliday(d.Year(), d.Month(), d.Day())
}

// AddWorkingDays returns the date n working days after the Oslo calendar day
// of t (the day itself not counted), as midnight UTC of that date.
func AddWorkingDays(t time.Time, n int) time.Time {
	y, m, d := t.In(surveys.Oslo).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if IsWorkingDay(day.Year(), day.Month(), day.Day()) {
			n--
		}
	}
	return day
}

// Deadline returns the contact deadline of a message received at t: the
// instant the Oslo day after the second working day begins. Contact strictly
// before it is in time. DueDate gives the same deadline as the date people read.
func Deadline(received time.Time) time.Time {
	last := AddWorkingDays(received, DeadlineWorkingDays)
	// Midnight Oslo of the following day, so daylight saving is respected.
	return time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, surveys.Oslo)
}

// DueDate is the last day (YYYY-MM-DD, Oslo) on which a message received at t
// may be answered in time.
func DueDate(received time.Time) string {
	return AddWorkingDays(received, DeadlineWorkingDays).Format(time.DateOnly)
}

package actions

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Period is an action's time span in whole years, as the plans write it:
// "2025", "2025–2026", "2023 - 2025", or "Løpende" (ongoing, no end).
type Period struct {
	From, To int
	Ongoing  bool
}

var (
	yearRE  = regexp.MustCompile(`^(\d{4})$`)
	rangeRE = regexp.MustCompile(`^(\d{4})\s*[-–—]\s*(\d{4})$`)
)

// ongoingWords are how plans say an action has no end date.
var ongoingWords = map[string]bool{"løpende": true, "lopende": true, "kontinuerlig": true, "fortløpende": true,
	"årlig": true, "ongoing": true, "continuous": true, "løpande": true, "kontinuerleg": true}

// ErrPeriod means a period is not one of the accepted forms.
var ErrPeriod = errors.New("actions: period must be a year, two years like 2025–2026, or Løpende")

// ParsePeriod reads a period; years must lie between 2000 and 2100.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if ongoingWords[strings.ToLower(s)] {
		return Period{Ongoing: true}, nil
	}
	if m := yearRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		if y < 2000 || y > 2100 {
			return Period{}, ErrPeriod
		}
		return Period{From: y, To: y}, nil
	}
	if m := rangeRE.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if a < 2000 || b > 2100 || b < a {
			return Period{}, ErrPeriod
		}
		return Period{From: a, To: b}, nil
	}
	return Period{}, ErrPeriod
}

// Overdue reports whether an action still open is past its period in year:
// a period ends with its last year, and an ongoing one never does.
func (a *Action) Overdue(year int) bool {
	if !a.Status.Open() {
		return false
	}
	p, err := ParsePeriod(a.Period)
	return err == nil && !p.Ongoing && p.To < year
}

package web

import "time"

// norwegianDate writes a local date (YYYY-MM-DD) the way Norwegian readers
// write it, 17.12.2026; anything else is returned as it is.
func norwegianDate(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return d.Format("2.1.2006")
}

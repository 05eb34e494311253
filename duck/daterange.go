package duck

import "time"

// Span reads the first and last value of the range; ok is false when
// either is not an ISO date or timestamp.
func (r *DateRange) Span() (from, to time.Time, ok bool) {
	if r == nil {
		return time.Time{}, time.Time{}, false
	}
	from, err1 := parseISO(r.From)
	to, err2 := parseISO(r.To)
	return from, to, err1 == nil && err2 == nil
}

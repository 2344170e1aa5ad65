package surveys

// What counts as an answer. A response is stored only when the relative
// reached the last page of the form and pressed submit there, with at least
// the wave's minimum number of questions answered (MinimumAnswered: one
// unless the wave says more). Partial journeys — pages moved through, a
// form saved for later, a post with only the form's id — are not answers
// and are never stored among the responses, so they count in no n, no
// response rate and no export. "Vet ikke / ikke aktuelt" is an answer: it
// counts towards the minimum (and as answered in the tallies), though
// never in a mean. Information items are not questions. docs/STATISTICS.md
// and the privacy page say the same in words.

// DefaultMinAnswered is the minimum when a wave sets none.
const DefaultMinAnswered = 1

// MinimumAnswered is how many questions a submission must answer to count.
func (w *Wave) MinimumAnswered() int {
	if w.MinAnswered < 1 {
		return DefaultMinAnswered
	}
	return w.MinAnswered
}

// Answered counts the questions with an answer (info items are not questions).
func (in *Instrument) Answered(a Answers) int {
	n := 0
	for _, q := range in.Questions() {
		if q.Type == TypeInfo {
			continue
		}
		if a[q.Key].Answered() {
			n++
		}
	}
	return n
}

// Questions that can be answered at all, the ceiling of any minimum.
func (in *Instrument) answerable() int {
	n := 0
	for _, q := range in.Questions() {
		if q.Type != TypeInfo {
			n++
		}
	}
	return n
}

// CountsAsAnswer reports whether parsed answers to the wave's instrument
// answer enough questions to be stored as a response.
func (w *Wave) CountsAsAnswer(in *Instrument, a Answers) bool {
	return in.Answered(a) >= w.MinimumAnswered()
}

// validateMinAnswered adds a problem when the minimum is negative or more
// than the instrument has questions.
func (w *Wave) validateMinAnswered(ps *Problems, in *Instrument) {
	limit := 0
	if in != nil {
		limit = in.answerable()
	}
	if w.MinAnswered < 0 || (in != nil && w.MinAnswered > limit) {
		ps.addID("min_answered", "wave_min_answered", "%d is not between 1 and %d", "Number", w.MinAnswered, "Max", max(1, limit))
	}
}

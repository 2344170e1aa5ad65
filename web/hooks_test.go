package web

// SetResultsCacheEntries bounds the results cache (0 turns it off) until
// the returned function restores it; for benchmarks.
func SetResultsCacheEntries(n int) (restore func()) {
	old := resultsCacheEntries
	resultsCacheEntries = n
	return func() { resultsCacheEntries = old }
}

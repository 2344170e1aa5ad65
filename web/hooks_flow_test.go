package web

// SetAfterSave runs fn between the insert of an answer and the checks after
// it, until the returned function restores the default; tests close a wave
// or withdraw an answer exactly there.
func SetAfterSave(fn func(waves []string)) (restore func()) {
	old := afterSave
	afterSave = fn
	return func() { afterSave = old }
}

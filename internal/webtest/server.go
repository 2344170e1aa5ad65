package webtest

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stemme/stemme/surveys"
)

// Listen runs the fixture's app on a real loopback listener until the test ends
// and returns its base URL.
func Listen(t testing.TB, f *Fixture) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- f.App.Listener(ln) }()
	t.Cleanup(func() {
		if err := f.App.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutting the server down: %v", err)
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop")
		}
	})
	return "http://" + ln.Addr().String()
}

// WithLanguage adds lang to the instrument, each text made from the bokmål one.
func WithLanguage(in *surveys.Instrument, lang string, from func(nb string) string) {
	in.Languages = append(in.Languages, surveys.LanguageStatus{Code: lang, Status: surveys.StatusDraft})
	add := func(t surveys.Text) {
		if t["nb"] != "" {
			t[lang] = from(t["nb"])
		}
	}
	add(in.Title)
	for _, f := range in.FocusAreas {
		add(f.Name)
	}
	for _, l := range in.Lists {
		for _, c := range l.Choices {
			add(c.Label)
		}
	}
	for _, p := range in.Pages {
		add(p.Title)
		for _, q := range p.Questions {
			add(q.Text)
			add(q.Help)
		}
	}
}

// PublishCurrent closes this year's demo wave, if open, and publishes it.
func PublishCurrent(t testing.TB, f *Fixture) {
	t.Helper()
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.CloseWave(context.Background(), DemoCurrent, FixedNow); err != nil && !errors.Is(err, surveys.ErrBadTransition) {
		t.Fatal(err)
	}
	if err := ss.PublishResults(context.Background(), DemoCurrent, FixedNow); err != nil {
		t.Fatal(err)
	}
}

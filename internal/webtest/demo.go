package webtest

import (
	"context"
	"testing"

	"github.com/stemme/stemme/demo"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/web"
)

// Waves of the demo municipality as seeded on FixedNow.
const (
	// DemoCurrent is this year's overall wave: closed, its results final.
	DemoCurrent = "overall_2026"
	DemoClosed  = "overall_2022"
	// DemoOpen is the follow-up wave open in two units.
	DemoOpen = "oppfolging_2026"
)

// NewDemo runs the app on the demo municipality with every demo answer
// counted: six units (one below the threshold), this year's overall wave
// and the one of four years ago (both closed and counted), and an open
// follow-up wave.
func NewDemo(t testing.TB) *Fixture {
	t.Helper()
	return NewDemoWith(t, false)
}

// NewDemoWith is NewDemo; full adds the demo's feedback, contact requests,
// actions and council as "stemme serve" seeds them, and opts change the
// app's configuration.
func NewDemoWith(t testing.TB, full bool, opts ...func(*web.Config)) *Fixture {
	t.Helper()
	st := storetest.New(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, st.DB, FixedNow); err != nil {
		t.Fatal(err)
	}
	if full {
		if _, err := demo.SeedFeedback(ctx, st.DB, Secret, FixedNow); err != nil {
			t.Fatal(err)
		}
		if err := demo.SeedCouncil(ctx, st.DB, FixedNow); err != nil {
			t.Fatal(err)
		}
	}
	f := Serve(t, st, web.Config{}, opts...)
	f.Filed(t)
	return f
}

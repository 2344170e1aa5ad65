package branding

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stemme/stemme/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestStoreKeepsOneLogo(t *testing.T) {
	ctx := context.Background()
	s := NewStore(storetest.New(t).DB)
	if _, ok, err := s.Logo(ctx); err != nil || ok {
		t.Fatalf("a new store has a logo (%v, %v)", ok, err)
	}
	first, err := Check(pngOf(t, 10, 10, false))
	if err != nil {
		t.Fatal(err)
	}
	second, err := Check([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	for _, l := range []Logo{first, second} {
		if err := s.SaveLogo(ctx, l, "admin@kommune.no", now); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Logo(ctx)
		if err != nil || !ok || got.ContentType != l.ContentType || got.Version != l.Version || !bytes.Equal(got.Data, l.Data) {
			t.Fatalf("read back %q %q (%v, %v), want %q %q", got.ContentType, got.Version, ok, err, l.ContentType, l.Version)
		}
	}
	if first.Version == second.Version {
		t.Error("two logos share a version")
	}
	if err := s.RemoveLogo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Logo(ctx); err != nil || ok {
		t.Fatalf("the logo is still there after removing it (%v, %v)", ok, err)
	}
}

package store

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// countingHandler counts the attributes added to it.
type countingHandler struct {
	slog.Handler
	added *int
}

func (h countingHandler) WithAttrs(a []slog.Attr) slog.Handler {
	*h.added += len(a)
	return countingHandler{h.Handler.WithAttrs(a), h.added}
}

func (h countingHandler) WithGroup(name string) slog.Handler {
	return countingHandler{h.Handler.WithGroup(name), h.added}
}

func TestLevelFilterFormatsOnlyWhatItLogs(t *testing.T) {
	var out bytes.Buffer
	added := 0
	logger := slog.New(levelFilter{min: slog.LevelError,
		next: countingHandler{slog.NewTextHandler(&out, nil), &added}})
	ctx := context.Background()
	for range 100 {
		logger.With("args", []any{"a whole document"}).DebugContext(ctx, ">>> INSERT")
	}
	if added != 0 || out.Len() != 0 {
		t.Fatalf("dropped records: %d attributes added, %q written", added, out.String())
	}
	logger.WithGroup("conn").With("id", 7).Error("broken", "why", "test")
	if got := out.String(); !strings.Contains(got, "conn.id=7") || !strings.Contains(got, "conn.why=test") || added != 1 {
		t.Fatalf("a record that passes: %q (%d attributes added), want its group and attributes", got, added)
	}
}

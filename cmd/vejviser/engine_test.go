package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestOpenOrBuild checks that the bot serves a generation built by `vejviser index` when it
// fits the knowledge files, and rebuilds instead of serving a stale or damaged one.
func TestOpenOrBuild(t *testing.T) {
	ctx := context.Background()
	base, err := knowledge.Load(knowledge.Embedded(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, err := buildGeneration(ctx, dir, base, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	gen := current(t, dir)

	var logs strings.Builder
	log := newTestLogger(&logs)
	s, err := openOrBuild(ctx, dir, base, log)
	if err != nil {
		t.Fatal(err)
	}
	closeSearcher(s)
	if got := current(t, dir); got != gen || !strings.Contains(logs.String(), "index opened") {
		t.Errorf("a fitting generation was not reused: CURRENT %s → %s, log %q", gen, got, logs.String())
	}

	// Another version of the knowledge files: the old generation must not be served.
	other := *base
	other.Version = "edited"
	s, err = openOrBuild(ctx, dir, &other, log)
	if err != nil {
		t.Fatal(err)
	}
	closeSearcher(s)
	if got := current(t, dir); got == gen {
		t.Errorf("a stale generation was served instead of rebuilt")
	}

	// A damaged generation is rebuilt too.
	gen = current(t, dir)
	os.Remove(filepath.Join(dir, gen, "vejviser.json"))
	s, err = openOrBuild(ctx, dir, &other, log)
	if err != nil {
		t.Fatalf("openOrBuild over a damaged generation: %v", err)
	}
	closeSearcher(s)
	if got := current(t, dir); got == gen {
		t.Errorf("a damaged generation was served")
	}
	if n, _ := filepath.Glob(filepath.Join(dir, "gen-*")); len(n) > 2 {
		t.Errorf("%d generations kept; want at most 2", len(n))
	}
}

func current(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(data))
}

func newTestLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

func closeSearcher(s bot.Searcher) {
	if c, ok := s.(io.Closer); ok {
		c.Close()
	}
}

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

// TestCorruptGeneration damages an on-disk generation the way a crash or a disk error would
// (a truncated root.bolt, a deleted segment): the bot must rebuild, never fail to start or
// serve a broken index.
func TestCorruptGeneration(t *testing.T) {
	ctx := context.Background()
	base, err := knowledge.Load(knowledge.Embedded(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, damage := range []struct {
		name string
		do   func(t *testing.T, gen string)
	}{
		{"truncated root.bolt", func(t *testing.T, gen string) {
			if err := os.Truncate(filepath.Join(gen, "store", "root.bolt"), 10); err != nil {
				t.Fatal(err)
			}
		}},
		{"deleted segment", func(t *testing.T, gen string) {
			zaps, _ := filepath.Glob(filepath.Join(gen, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment files to delete")
			}
			for _, z := range zaps {
				os.Remove(z)
			}
		}},
	} {
		t.Run(damage.name, func(t *testing.T) {
			dir := t.TempDir()
			ix, err := buildGeneration(ctx, dir, base, discardLogger())
			if err != nil {
				t.Fatal(err)
			}
			ix.Close()
			damage.do(t, filepath.Join(dir, current(t, dir)))
			s, err := openOrBuild(ctx, dir, base, discardLogger())
			if err != nil {
				t.Fatalf("openOrBuild over a damaged generation: %v", err)
			}
			defer closeSearcher(s)
			hits, err := s.Search(ctx, "hvad er fgu", "da", 3)
			if err != nil || len(hits) == 0 || hits[0].ID != "fgu" {
				t.Errorf("search after recovery = %v, %v; want fgu first", hits, err)
			}
		})
	}
}

package main

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestOpenOrBuild checks that the bot serves a generation built by `vejviser index` when it
// fits the knowledge files, and rebuilds instead of serving a stale or damaged one.
func TestOpenOrBuild(t *testing.T) {
	ctx := context.Background()
	base, err := loadKnowledge(knowledge.Embedded(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gen := committedGeneration(t, dir, base)

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

// committedGeneration builds base into a generation under dir, makes it current, closes it
// and returns its name.
func committedGeneration(t *testing.T, dir string, base *knowledge.Base) string {
	t.Helper()
	ix, err := buildGeneration(context.Background(), dir, base)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	return current(t, dir)
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

// TestCorruptGeneration damages an on-disk generation the way a crash or a disk error would
// (a truncated root.bolt, a deleted segment): the bot must rebuild, never fail to start or
// serve a broken index.
func TestCorruptGeneration(t *testing.T) {
	ctx := context.Background()
	base, err := loadKnowledge(knowledge.Embedded(), time.Now())
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
			damage.do(t, filepath.Join(dir, committedGeneration(t, dir, base)))
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

// TestRejectedReloadKeepsTheLiveGeneration: with an index folder, a reload whose index fails
// the smoke test must neither become CURRENT nor remove the generation being served, and
// leaves nothing behind; accepted reloads move CURRENT and keep one fallback.
func TestRejectedReloadKeepsTheLiveGeneration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	good := leanKnowledge(t)
	eng, err := newEngine(ctx, good, "embedded", dir, nil, discardLogger(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	live := current(t, dir)

	bad := fstest.MapFS{}
	if err := fs.WalkDir(good, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(good, p)
		bad[p] = &fstest.MapFile{Data: data}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// A crisis entry whose title and keywords are only stop words cannot be found by them.
	src := string(bad["entries/krisehjaelp.md"].Data)
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "title = "):
			lines[i] = `title = "Hvad er det"`
		case strings.HasPrefix(l, "keywords = ") && !strings.Contains(src[:strings.Index(src, l)], "[en]"):
			lines[i] = `keywords = ["og"]`
		}
	}
	bad["entries/krisehjaelp.md"] = &fstest.MapFile{Data: []byte(strings.Join(lines, "\n"))}

	if _, err := eng.Reload(ctx, bad); err == nil || !strings.Contains(err.Error(), "smoke test") {
		t.Fatalf("Reload(bad) = %v; want a smoke-test error", err)
	}
	if got := current(t, dir); got != live {
		t.Errorf("CURRENT = %s after a rejected reload; want %s", got, live)
	}
	gens, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) != 1 || filepath.Base(gens[0]) != live {
		t.Errorf("generations after a rejected reload: %v; want only %s", gens, live)
	}
	if a, _ := eng.Answer(ctx, bot.Question{Text: "hvad er fgu"}); len(a.Entries) == 0 || a.Entries[0].ID != "fgu" {
		t.Errorf("after a rejected reload the bot answers %v; want fgu", a.Entries)
	}

	for range 2 {
		if _, err := eng.Reload(ctx, good); err != nil {
			t.Fatal(err)
		}
	}
	gens, _ = filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) != 2 || current(t, dir) == live {
		t.Errorf("after two good reloads: CURRENT %s, generations %v; want a new CURRENT and one fallback", current(t, dir), gens)
	}
}

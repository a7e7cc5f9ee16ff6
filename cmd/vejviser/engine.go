package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// loadBase loads a knowledge folder; on failure it prints every problem to w.
func loadBase(fsys fs.FS, name string, w io.Writer) (*knowledge.Base, error) {
	base, err := knowledge.Load(fsys, time.Now())
	if err != nil {
		var ps knowledge.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				fmt.Fprintln(w, p)
			}
			return nil, fmt.Errorf("knowledge %s: %d errors; run `vejviser check` for details", name, len(ps.Errors()))
		}
		return nil, fmt.Errorf("knowledge %s: %w", name, err)
	}
	return base, nil
}

// builder returns the engine's index builder: in memory, or a new on-disk generation under
// dir when dir is set. A generation becomes current only when the engine commits it.
func builder(dir string) bot.Builder {
	return func(ctx context.Context, base *knowledge.Base) (bot.Searcher, error) {
		if dir == "" {
			return index.Build(ctx, base, index.Options{})
		}
		return buildGeneration(ctx, dir, base)
	}
}

// currentFile names the generation an index folder serves.
const currentFile = "CURRENT"

// generation is an on-disk index in a folder gen-<version>-<time> under dir. It implements
// bot.Committer: Commit points CURRENT at it. Closing a generation that was never committed
// (a rejected build) removes its folder.
type generation struct {
	*index.Index
	dir, name string

	mu        sync.Mutex
	committed bool
}

// buildGeneration builds base into a new generation folder under dir. The generation is not
// current until it is committed.
func buildGeneration(ctx context.Context, dir string, base *knowledge.Base) (*generation, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index folder: %w", err)
	}
	name := fmt.Sprintf("gen-%s-%d", base.Version, time.Now().UnixNano())
	ix, err := index.Build(ctx, base, index.Options{Dir: filepath.Join(dir, name)})
	if err != nil {
		return nil, err
	}
	return &generation{Index: ix, dir: dir, name: name}, nil
}

// Commit makes the generation the one the next start opens: it points CURRENT at it with an
// atomic rename, then removes every other generation but the one CURRENT named before (kept
// as a fallback; it may still be serving the searches of a moment ago).
func (g *generation) Commit() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, _ := os.ReadFile(filepath.Join(g.dir, currentFile))
	tmp := filepath.Join(g.dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(g.name+"\n"), 0o644); err != nil {
		return fmt.Errorf("index folder %s: %w", g.dir, err)
	}
	if err := os.Rename(tmp, filepath.Join(g.dir, currentFile)); err != nil {
		return fmt.Errorf("index folder %s: %w", g.dir, err)
	}
	g.committed = true
	keep := map[string]bool{g.name: true, strings.TrimSpace(string(prev)): true}
	names, _ := filepath.Glob(filepath.Join(g.dir, "gen-*"))
	for _, n := range names {
		if !keep[filepath.Base(n)] {
			_ = os.RemoveAll(n)
		}
	}
	return nil
}

// Close closes the index; a generation that was never committed is removed from disk.
func (g *generation) Close() error {
	err := g.Index.Close()
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.committed {
		_ = os.RemoveAll(filepath.Join(g.dir, g.name))
	}
	return err
}

// openOrBuild opens the current on-disk generation for base, or builds one (in memory when
// dir is empty). A stale or damaged generation is rebuilt, never served, and a new one must
// pass the engine's smoke test before it is committed.
func openOrBuild(ctx context.Context, dir string, base *knowledge.Base, log *slog.Logger) (bot.Searcher, error) {
	if dir != "" {
		if data, err := os.ReadFile(filepath.Join(dir, currentFile)); err == nil {
			name := strings.TrimSpace(string(data))
			ix, err := index.Open(filepath.Join(dir, name), base)
			if err == nil {
				log.Info("index opened", "generation", name)
				return ix, nil
			}
			log.Warn("index generation not usable; rebuilding", "generation", name, "error_class", "index_open")
		}
	}
	s, err := builder(dir)(ctx, base)
	if err != nil {
		return nil, err
	}
	if err := bot.SmokeTest(ctx, base, s); err != nil {
		closeSearcher(s)
		return nil, fmt.Errorf("the index built from the knowledge files failed its smoke test: %w", err)
	}
	if c, ok := s.(bot.Committer); ok {
		if err := c.Commit(); err != nil {
			closeSearcher(s)
			return nil, err
		}
	}
	return s, nil
}

// closeSearcher closes s if it can be closed.
func closeSearcher(s bot.Searcher) {
	if c, ok := s.(io.Closer); ok {
		_ = c.Close()
	}
}

// newEngine loads the knowledge folder and starts an engine over it.
func newEngine(ctx context.Context, fsys fs.FS, name, indexDir string, store bot.InsightStore, log *slog.Logger, problems io.Writer) (*bot.Engine, error) {
	base, err := loadBase(fsys, name, problems)
	if err != nil {
		return nil, err
	}
	s, err := openOrBuild(ctx, indexDir, base, log)
	if err != nil {
		return nil, err
	}
	return bot.New(base, s, bot.Options{Build: builder(indexDir), Logger: log, Insight: store}), nil
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

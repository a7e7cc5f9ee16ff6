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
	"sort"
	"strings"
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
// dir when dir is set.
func builder(dir string, log *slog.Logger) bot.Builder {
	return func(ctx context.Context, base *knowledge.Base) (bot.Searcher, error) {
		if dir == "" {
			return index.Build(ctx, base, index.Options{})
		}
		return buildGeneration(ctx, dir, base, log)
	}
}

// currentFile names the generation an index folder serves.
const currentFile = "CURRENT"

// buildGeneration builds base into a new generation folder under dir, then points CURRENT
// at it with an atomic rename and removes all but the two newest generations.
func buildGeneration(ctx context.Context, dir string, base *knowledge.Base, log *slog.Logger) (*index.Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index folder: %w", err)
	}
	gen := fmt.Sprintf("gen-%s-%d", base.Version, time.Now().UnixNano())
	ix, err := index.Build(ctx, base, index.Options{Dir: filepath.Join(dir, gen)})
	if err != nil {
		return nil, err
	}
	tmp := filepath.Join(dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(gen+"\n"), 0o644); err != nil {
		ix.Close()
		return nil, fmt.Errorf("index folder: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		ix.Close()
		return nil, fmt.Errorf("index folder: %w", err)
	}
	pruneGenerations(dir, gen, log)
	return ix, nil
}

// pruneGenerations removes generation folders other than keep and the newest one before it.
func pruneGenerations(dir, keep string, log *slog.Logger) {
	names, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	sort.Slice(names, func(i, j int) bool { return genTime(names[i]) > genTime(names[j]) })
	kept := 0
	for _, n := range names {
		if filepath.Base(n) == keep || kept < 1 {
			if filepath.Base(n) != keep {
				kept++
			}
			continue
		}
		if err := os.RemoveAll(n); err != nil && log != nil {
			log.Warn("prune index generation", "error_class", "fs")
		}
	}
}

func genTime(name string) string {
	i := strings.LastIndex(name, "-")
	return fmt.Sprintf("%020s", name[i+1:])
}

// openOrBuild opens the current on-disk generation for base, or builds one (in memory when
// dir is empty). A stale or damaged generation is rebuilt, never served.
func openOrBuild(ctx context.Context, dir string, base *knowledge.Base, log *slog.Logger) (bot.Searcher, error) {
	if dir != "" {
		if data, err := os.ReadFile(filepath.Join(dir, currentFile)); err == nil {
			gen := strings.TrimSpace(string(data))
			ix, err := index.Open(filepath.Join(dir, gen), base)
			if err == nil {
				log.Info("index opened", "generation", gen)
				return ix, nil
			}
			log.Warn("index generation not usable; rebuilding", "generation", gen, "error_class", "index_open")
		}
	}
	return builder(dir, log)(ctx, base)
}

// newEngine loads the knowledge folder and starts an engine over it.
func newEngine(ctx context.Context, fsys fs.FS, name, indexDir string, log *slog.Logger, problems io.Writer) (*bot.Engine, error) {
	base, err := loadBase(fsys, name, problems)
	if err != nil {
		return nil, err
	}
	s, err := openOrBuild(ctx, indexDir, base, log)
	if err != nil {
		return nil, err
	}
	return bot.New(base, s, bot.Options{Build: builder(indexDir, log), Logger: log}), nil
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// An index folder (index_dir) holds generations: gen-<version>-<unixnano>-<pid> folders, each
// a sealed, read-only index (index.Build/Open verify them by checksum). CURRENT names the one
// a start-up opens. Several processes may share the folder (shards): each holds a shared lock
// on inuse/<generation>.lock for every generation it builds or serves, and a generation is
// removed only by whoever gets that lock exclusively – so no process removes what another is
// building or serving. CURRENT is replaced by an fsynced rename, so a power cut leaves the old
// name or the new one, never a torn file.

// currentFile names the generation an index folder serves.
const currentFile = "CURRENT"

// maxCurrentBytes bounds the read of CURRENT: a generation name is under 100 bytes; a junk
// CURRENT of any size costs at most this (issue 10: 256 MiB once cost 4.3 GB).
const maxCurrentBytes = 256

// lockDir is the folder of the in-use locks inside an index folder.
const lockDir = "inuse"

// genName is the form of a generation's folder name: gen-<version>-<unixnano>-<pid>, or
// gen-<version>-<unixnano> as written before 2026-11-30 (still opened and cleaned up).
var genName = regexp.MustCompile(`^gen-[0-9a-z]+-[0-9]+(-[0-9]+)?$`)

// builder returns the engine's index builder: in memory, or a new on-disk generation under
// dir when dir is set. A generation becomes current only when the engine commits it. When the
// folder cannot be written (read-only, full), the index is built in memory instead, with a
// warning, and the next reload tries the folder again.
func builder(dir string, log *slog.Logger) bot.Builder {
	return func(ctx context.Context, base *knowledge.Base) (bot.Searcher, error) {
		if dir == "" {
			return index.Build(ctx, base, index.Options{})
		}
		g, err := buildGeneration(ctx, dir, base)
		if err == nil {
			return g, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		log.Warn("index folder not writable; building the index in memory instead", "error_class", ioClass(err))
		return index.Build(ctx, base, index.Options{})
	}
}

// ioClass names a file-system error for the log without paths or contents.
func ioClass(err error) string {
	switch {
	case errors.Is(err, os.ErrPermission):
		return "permission"
	case errors.Is(err, os.ErrNotExist):
		return "not_exist"
	case strings.Contains(err.Error(), "no space left"):
		return "disk_full"
	case strings.Contains(err.Error(), "read-only file system"):
		return "read_only"
	}
	return "io"
}

// generation is an on-disk index in a folder under dir. It implements bot.Committer: Commit
// points CURRENT at it. Closing a generation that was never committed (a rejected build)
// removes its folder.
type generation struct {
	*index.Index
	dir, name string
	lock      *os.File // shared in-use lock; nil when the folder could not hold one

	mu        sync.Mutex
	committed bool
}

// buildGeneration builds base into a new generation folder under dir, holding its in-use lock
// from before the folder exists. The generation is not current until it is committed.
func buildGeneration(ctx context.Context, dir string, base *knowledge.Base) (*generation, error) {
	if err := os.MkdirAll(filepath.Join(dir, lockDir), 0o755); err != nil {
		return nil, fmt.Errorf("index folder: %w", err)
	}
	name := fmt.Sprintf("gen-%s-%d-%d", base.Version, time.Now().UnixNano(), os.Getpid())
	lock, err := lockShared(filepath.Join(dir, lockDir, name+".lock"))
	if err != nil {
		return nil, fmt.Errorf("index folder: %w", err)
	}
	ix, err := index.Build(ctx, base, index.Options{Dir: filepath.Join(dir, name)})
	if err != nil {
		unlock(lock)
		return nil, err
	}
	return &generation{Index: ix, dir: dir, name: name, lock: lock}, nil
}

// openGeneration opens the generation CURRENT names, if it fits base and passes its checksum
// check and the smoke test. A read-only folder is fine: the lock is then skipped.
func openGeneration(ctx context.Context, dir string, base *knowledge.Base, log *slog.Logger) (*generation, error) {
	name, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	var lock *os.File
	if err := os.MkdirAll(filepath.Join(dir, lockDir), 0o755); err == nil {
		lock, _ = lockShared(filepath.Join(dir, lockDir, name+".lock"))
	}
	ix, err := index.Open(filepath.Join(dir, name), base)
	if err != nil {
		unlock(lock)
		return nil, err
	}
	g := &generation{Index: ix, dir: dir, name: name, lock: lock, committed: true}
	if err := bot.SmokeTest(ctx, base, g); err != nil {
		g.Close()
		return nil, fmt.Errorf("index generation %s: %w", name, err)
	}
	log.Info("index opened", "generation", name)
	return g, nil
}

// readCurrent reads CURRENT with a small bound and checks that it names a generation.
func readCurrent(dir string) (string, error) {
	f, err := os.Open(filepath.Join(dir, currentFile))
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCurrentBytes+1))
	if err != nil {
		return "", fmt.Errorf("index folder: read %s: %w", currentFile, err)
	}
	name := strings.TrimSpace(string(data))
	if len(data) > maxCurrentBytes || !genName.MatchString(name) {
		return "", fmt.Errorf("index folder: %s does not name a generation (%d bytes)", currentFile, len(data))
	}
	return name, nil
}

// Commit makes the generation the one the next start opens: it writes CURRENT beside it,
// flushes it to disk, renames it into place and flushes the folder, then removes the
// generations nobody uses (see cleanup).
func (g *generation) Commit() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	tmp := filepath.Join(g.dir, fmt.Sprintf("%s.%d.tmp", currentFile, os.Getpid()))
	if err := index.WriteFileSynced(tmp, []byte(g.name+"\n")); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("index folder %s: %w", g.dir, err)
	}
	if err := os.Rename(tmp, filepath.Join(g.dir, currentFile)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("index folder %s: %w", g.dir, err)
	}
	if err := syncDir(g.dir); err != nil {
		return fmt.Errorf("index folder %s: %w", g.dir, err)
	}
	g.committed = true
	cleanup(g.dir)
	return nil
}

// Close closes the index and releases its in-use lock; a generation that was never committed
// is removed from disk, and generations nobody uses any more are cleaned up.
func (g *generation) Close() error {
	err := g.Index.Close()
	g.mu.Lock()
	defer g.mu.Unlock()
	unlock(g.lock)
	g.lock = nil
	if !g.committed {
		removeGeneration(g.dir, g.name)
	}
	cleanup(g.dir)
	return err
}

// cleanup removes every generation under dir but CURRENT and the newest other sealed one (a
// fallback), skipping any generation another process – or this one – builds or serves.
func cleanup(dir string) {
	cur, _ := readCurrent(dir)
	paths, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	type gen struct {
		name string
		at   int64
	}
	var gens []gen
	for _, p := range paths {
		name := filepath.Base(p)
		if !genName.MatchString(name) || name == cur {
			continue
		}
		parts := strings.Split(name, "-")
		at, _ := strconv.ParseInt(parts[2], 10, 64) // gen, version, time[, pid]
		gens = append(gens, gen{name, at})
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].at > gens[j].at })
	fallbackKept := false
	for _, g := range gens {
		if !fallbackKept && index.Sealed(filepath.Join(dir, g.name)) {
			fallbackKept = true
			continue
		}
		removeGeneration(dir, g.name)
	}
}

// removeGeneration removes a generation folder if nobody holds its in-use lock.
func removeGeneration(dir, name string) {
	lockPath := filepath.Join(dir, lockDir, name+".lock")
	l, ok := tryLockExclusive(lockPath)
	if !ok {
		return
	}
	_ = os.RemoveAll(filepath.Join(dir, name))
	_ = os.Remove(lockPath)
	unlock(l)
}

// syncDir flushes a folder's entries (a rename) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// openOrBuild opens the current on-disk generation for base, or builds one (in memory when
// dir is empty or cannot be written). A stale, damaged or failing generation is rebuilt,
// never served, and a new one must pass the smoke test before it is committed.
func openOrBuild(ctx context.Context, dir string, base *knowledge.Base, log *slog.Logger) (bot.Searcher, error) {
	if dir != "" {
		g, err := openGeneration(ctx, dir, base, log)
		if err == nil {
			return g, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			log.Warn("index generation not usable; rebuilding", "error_class", "index_open")
		}
	}
	s, err := builder(dir, log)(ctx, base)
	if err != nil {
		return nil, err
	}
	if err := bot.SmokeTest(ctx, base, s); err != nil {
		closeSearcher(s)
		return nil, fmt.Errorf("the index built from the knowledge files failed its smoke test: %w", err)
	}
	if c, ok := s.(bot.Committer); ok {
		if err := c.Commit(); err != nil {
			log.Warn("index generation could not be made current; serving it anyway", "error_class", ioClass(err))
		}
	}
	return s, nil
}

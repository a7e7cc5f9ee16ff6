// Package bot is Vejviser's platform-free core: it turns a question into an Answer. The crisis
// gate runs first and never depends on the search index; then come language and kommune
// detection, search, a relevance threshold, the entries' local services and the no-answer path
// that points to a person. Front ends (bot/discord, bot/web, the CLI) render an Answer their
// own way.
package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/knowledge"
)

// Searcher finds the entries of a knowledge base that match a question. The index package
// satisfies it; tests may use a fake. Implementations must be safe for concurrent use.
type Searcher interface {
	// Search returns up to limit hits for text, best first. lang ("da" or "en") is the
	// detected language of the question. "No match" is an empty slice, not an error.
	Search(ctx context.Context, text, lang string, limit int) ([]knowledge.Hit, error)
}

// Builder builds a Searcher for a knowledge base; Reload calls it to build the next
// generation beside the live one.
type Builder func(ctx context.Context, base *knowledge.Base) (Searcher, error)

// Options configure an Engine.
type Options struct {
	// Build builds a searcher for a reloaded knowledge base. Reload fails without it.
	Build Builder
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives event kinds, entry ids and latencies, never question text.
	Logger *slog.Logger
	// Insight is the editors' store; nil switches the editors' loop off.
	Insight InsightStore
}

// Engine answers questions from a knowledge base and its search index. It is safe for
// concurrent use; Reload swaps in a new knowledge base and index atomically while questions
// are being answered.
type Engine struct {
	opts     Options
	state    atomic.Pointer[generation]
	reloadMu sync.Mutex // serialises Reload and Close
	closed   bool       // guarded by reloadMu
}

// generation is a knowledge base with the searcher built from it. Searches hold mu for
// reading; retiring a generation takes it for writing, so its searcher is closed only after
// the searches under way have finished.
type generation struct {
	base     *knowledge.Base
	searcher Searcher
	crisis   *crisis.Detector
	kommuner *kommuneMatcher
	mu       sync.RWMutex
	retired  bool
}

func newGeneration(base *knowledge.Base, s Searcher, d *crisis.Detector) *generation {
	return &generation{base: base, searcher: s, crisis: d, kommuner: newKommuneMatcher(base)}
}

// New returns an Engine serving base through searcher.
func New(base *knowledge.Base, searcher Searcher, opts Options) *Engine {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e := &Engine{opts: opts}
	e.state.Store(newGeneration(base, searcher, crisisDetectorFor(base)))
	return e
}

// Base returns the knowledge base currently served.
func (e *Engine) Base() *knowledge.Base { return e.state.Load().base }

// acquire returns the live generation with its read lock held; the caller must call
// release. It never returns a retired generation while a newer one exists. A generation being
// retired holds its write lock until its searches have finished; a reader that meets that
// lock moves on to the new generation instead of queueing behind it.
func (e *Engine) acquire() *generation {
	for {
		g := e.state.Load()
		if !g.mu.TryRLock() {
			if e.state.Load() != g {
				continue // g is being retired: use its successor
			}
			g.mu.RLock()
		}
		if !g.retired || e.state.Load() == g { // closed for good: its searcher fails softly
			return g
		}
		g.mu.RUnlock()
	}
}

func (g *generation) release() { g.mu.RUnlock() }

// ReloadReport tells what a Reload loaded.
type ReloadReport struct {
	Version  string
	Entries  int
	Services int
	Warnings []knowledge.Problem
	Took     time.Duration
}

// Reload loads the knowledge folder fsys, builds a new searcher beside the live one and swaps
// both in atomically. On any error (a broken file, a failed build) the live generation keeps
// serving and the error is returned; a *knowledge.Problems error lists every fault with its
// file and line. Concurrent calls are serialised.
func (e *Engine) Reload(ctx context.Context, fsys fs.FS) (ReloadReport, error) {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	start := time.Now()
	if e.closed {
		return ReloadReport{}, errors.New("reload: the engine is closed")
	}
	if e.opts.Build == nil {
		return ReloadReport{}, errors.New("reload: engine has no index builder")
	}
	base, err := knowledge.LoadForServing(fsys, e.opts.Now())
	if err != nil {
		return ReloadReport{}, err
	}
	searcher, err := e.opts.Build(ctx, base)
	if err != nil {
		return ReloadReport{}, fmt.Errorf("reload: %w: %w", ErrIndexBuild, err)
	}
	if err := SmokeTest(ctx, base, searcher); err != nil {
		closeSearcher(searcher)
		return ReloadReport{}, fmt.Errorf("reload: the new index failed its smoke test, so the old one keeps serving: %w", err)
	}
	old := e.state.Swap(newGeneration(base, searcher, crisisDetectorFor(base)))
	if c, ok := searcher.(Committer); ok {
		if err := c.Commit(); err != nil {
			e.opts.Logger.Warn("reload: the new index serves but was not recorded for the next start", "error_class", "commit")
		}
	}
	old.mu.Lock()
	old.retired = true
	old.mu.Unlock()
	closeSearcher(old.searcher)
	r := ReloadReport{Version: base.Version, Entries: len(base.Entries), Services: len(base.Services),
		Warnings: base.Warnings, Took: time.Since(start)}
	e.opts.Logger.Info("reload", "version", r.Version, "entries", r.Entries, "services", r.Services,
		"warnings", len(r.Warnings), "ms", r.Took.Milliseconds())
	return r, nil
}

// ErrIndexBuild marks a reload that failed while building the index (a disk fault, a full or
// read-only folder): unlike a fault in the files, it may pass if tried again, so the watcher
// retries it.
var ErrIndexBuild = errors.New("build index")

// Committer is an optional interface of a Searcher built for Reload: Commit is called once the
// searcher has passed the smoke test and serves, so an on-disk index can record itself as the
// one to open at the next start (and not before: a rejected build must not become current).
type Committer interface {
	Commit() error
}

// SmokeTest checks that a freshly built searcher finds the crisis entry and the fgu entry by
// their titles and keywords, so an index that builds but cannot answer never serves. It is
// run on every reload and should be run at start-up too.
func SmokeTest(ctx context.Context, base *knowledge.Base, s Searcher) error {
	for _, id := range []string{knowledge.CrisisEntryID, "fgu"} {
		en, ok := base.Entry(id)
		if !ok {
			continue
		}
		q := en.Title + " " + strings.Join(en.Keywords, " ")
		hits, err := s.Search(ctx, q, "da", MaxEntries)
		if err != nil {
			return fmt.Errorf("search for entry %q: %w", id, err)
		}
		found := false
		for _, h := range hits {
			found = found || h.ID == id
		}
		if !found {
			return fmt.Errorf("the title and keywords of entry %q (%s) do not find it", id, en.File)
		}
	}
	return nil
}

func closeSearcher(s Searcher) {
	if c, ok := s.(io.Closer); ok {
		_ = c.Close()
	}
}

// Close closes the live searcher once the searches under way have finished, and makes later
// reloads fail. Answers after Close take the no-answer path (or give the crisis card).
func (e *Engine) Close() error {
	e.reloadMu.Lock()
	defer e.reloadMu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	g := e.state.Load()
	g.mu.Lock()
	g.retired = true
	g.mu.Unlock()
	if c, ok := g.searcher.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

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
	"sync"
	"sync/atomic"
	"time"

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
}

// Engine answers questions from a knowledge base and its search index. It is safe for
// concurrent use; Reload swaps in a new knowledge base and index atomically while questions
// are being answered.
type Engine struct {
	opts     Options
	state    atomic.Pointer[generation]
	reloadMu sync.Mutex // serialises Reload
}

// generation is a knowledge base with the searcher built from it. Searches hold mu for
// reading; retiring a generation takes it for writing, so its searcher is closed only after
// the searches under way have finished.
type generation struct {
	base     *knowledge.Base
	searcher Searcher
	crisis   *crisisMatcher
	kommuner *kommuneMatcher
	mu       sync.RWMutex
	retired  bool
}

func newGeneration(base *knowledge.Base, s Searcher) *generation {
	return &generation{base: base, searcher: s, crisis: newCrisisMatcher(base.Crisis), kommuner: newKommuneMatcher(base)}
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
	e.state.Store(newGeneration(base, searcher))
	return e
}

// Base returns the knowledge base currently served.
func (e *Engine) Base() *knowledge.Base { return e.state.Load().base }

// acquire returns the live generation with its read lock held; the caller must call
// release. It never returns a retired generation.
func (e *Engine) acquire() *generation {
	for {
		g := e.state.Load()
		g.mu.RLock()
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
	if e.opts.Build == nil {
		return ReloadReport{}, errors.New("reload: engine has no index builder")
	}
	base, err := knowledge.Load(fsys, e.opts.Now())
	if err != nil {
		return ReloadReport{}, err
	}
	searcher, err := e.opts.Build(ctx, base)
	if err != nil {
		return ReloadReport{}, fmt.Errorf("reload: build index: %w", err)
	}
	if err := smokeTest(ctx, base, searcher); err != nil {
		closeSearcher(searcher)
		return ReloadReport{}, fmt.Errorf("reload: new index failed its smoke test: %w", err)
	}
	old := e.state.Swap(newGeneration(base, searcher))
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

// smokeTest checks that a freshly built searcher finds entries by their own titles, so an
// index that builds but cannot answer never replaces a working one.
func smokeTest(ctx context.Context, base *knowledge.Base, s Searcher) error {
	for _, id := range []string{"krisehjaelp", "fgu"} {
		en, ok := base.Entry(id)
		if !ok {
			continue
		}
		hits, err := s.Search(ctx, en.Title, "da", MaxEntries)
		if err != nil {
			return fmt.Errorf("search %q: %w", id, err)
		}
		found := false
		for _, h := range hits {
			found = found || h.ID == id
		}
		if !found {
			return fmt.Errorf("the title of entry %q does not find it", id)
		}
	}
	return nil
}

func closeSearcher(s Searcher) {
	if c, ok := s.(io.Closer); ok {
		_ = c.Close()
	}
}

// Close closes the live searcher. The engine must not be used afterwards.
func (e *Engine) Close() error {
	g := e.state.Load()
	g.mu.Lock()
	g.retired = true
	g.mu.Unlock()
	if c, ok := g.searcher.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

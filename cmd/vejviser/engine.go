package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// loadKnowledge is knowledge.LoadForServing, a variable so that the tests can load the
// embedded base once for the many runs of the program they make (see TestMain).
var loadKnowledge = knowledge.LoadForServing

// loadBase loads a knowledge folder; on failure it prints every problem to w.
func loadBase(fsys fs.FS, name string, w io.Writer) (*knowledge.Base, error) {
	if err := checkFolder(name); err != nil {
		return nil, err
	}
	base, err := loadKnowledge(fsys, time.Now())
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
	go bot.PrepareCrisis(base) // trains while the index is built; bot.New waits for it
	s, err := openOrBuild(ctx, indexDir, base, log)
	if err != nil {
		return nil, err
	}
	return bot.New(base, s, bot.Options{Build: builder(indexDir, log), Logger: log, Insight: store}), nil
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// checkFolder names a knowledge folder that does not exist (or is not a folder) as such,
// instead of listing every file as missing. "embedded" is the built-in base.
func checkFolder(name string) error {
	if name == "embedded" {
		return nil
	}
	st, err := os.Stat(name)
	switch {
	case err != nil:
		return fmt.Errorf("knowledge folder %s does not exist", name)
	case !st.IsDir():
		return fmt.Errorf("knowledge folder %s is not a folder", name)
	}
	return nil
}

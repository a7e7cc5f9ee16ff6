package main

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/insight"
)

// openInsight opens the editors' store the config names (nil when it is off or unavailable;
// the caller closes it, which writes the pending counts). A store that cannot be opened is
// reported and left out: the bot then answers without the editors' loop.
func openInsight(cfg *config, log *slog.Logger, w io.Writer) *insight.Store {
	dir := cfg.insightDir()
	if dir == "" {
		fmt.Fprintln(w, "vejviser: the editors' store is switched off; no questions, counts or feedback are kept")
		return nil
	}
	s, err := insight.Open(dir, nil)
	if err != nil {
		fmt.Fprintf(w, "vejviser: the editors' store is unavailable, answering without it: %v\n", err)
		log.Warn("insight", "op", "open", "error", err)
		return nil
	}
	return s
}

// report prints the editors' report, or deletes stored questions.
func (e *env) report(args []string) error {
	fs := newFlags("report", e.stderr)
	var c common
	c.register(fs)
	del := fs.String("delete", "", "delete the stored question with this id")
	purge := fs.Bool("purge", false, "delete every stored question (counts and feedback stay)")
	lang := fs.String("lang", "da", "language of the report: da or en")
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report: unexpected argument %q", fs.Arg(0))
	}
	if *lang != "da" && *lang != "en" {
		return fmt.Errorf("report: --lang %q: want da or en", *lang)
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	dir := cfg.insightDir()
	var store *insight.Store
	var storeErr error
	if dir == "" {
		storeErr = bot.ErrNoInsight
	} else if store, err = insight.Open(dir, nil); err != nil {
		storeErr = err
	} else {
		defer store.Close()
	}
	switch {
	case *del != "" || *purge:
		if storeErr != nil {
			return fmt.Errorf("report: %w", storeErr)
		}
		if *del != "" {
			if err := store.Delete(*del); err != nil {
				return fmt.Errorf("report --delete %s: %w", *del, err)
			}
			fmt.Fprintf(e.stdout, "deleted question %s\n", *del)
		}
		if *purge {
			n, err := store.Purge()
			if err != nil {
				return fmt.Errorf("report --purge: %w", err)
			}
			fmt.Fprintf(e.stdout, "deleted %d stored questions\n", n)
		}
		return nil
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	base, err := loadBase(fsys, name, e.stderr)
	if err != nil {
		return err
	}
	r := bot.EditorReport{Version: base.Version, Due: base.Warnings, StoreErr: storeErr}
	if store != nil {
		r.Store, r.StoreErr = store.Report()
	}
	fmt.Fprint(e.stdout, bot.RenderReport(r, bot.ReportOptions{Lang: *lang, Now: time.Now()}))
	return nil
}

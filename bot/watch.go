package bot

import (
	"context"
	"io/fs"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// Watch checks the knowledge folder fsys every interval and reloads the engine when its
// files change and have then stayed unchanged for one more interval (so a half-saved batch
// of files is not loaded). notify, if not nil, gets every reload's report or error; a failed
// reload keeps the old knowledge base serving. Watch returns when ctx ends.
func (e *Engine) Watch(ctx context.Context, fsys fs.FS, interval time.Duration, notify func(ReloadReport, error)) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	last, _ := knowledge.Fingerprint(fsys)
	pending := ""
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fp, err := knowledge.Fingerprint(fsys)
		if err != nil {
			e.opts.Logger.Warn("watch", "error_class", "fingerprint")
			continue
		}
		switch {
		case fp == last:
			pending = ""
			continue
		case fp != pending:
			pending = fp // changed: wait one interval for the editor to finish saving
			continue
		}
		last, pending = fp, ""
		r, err := e.Reload(ctx, fsys)
		if err != nil {
			e.opts.Logger.Warn("reload failed; the previous knowledge base keeps serving", "error_class", "reload")
		}
		if notify != nil {
			notify(r, err)
		}
	}
}

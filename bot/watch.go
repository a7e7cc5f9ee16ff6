package bot

import (
	"context"
	"io/fs"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// Watch notes the state of the knowledge folder fsys now, then starts a goroutine that
// checks it every interval and reloads the engine when its files have changed and then stayed
// unchanged for one more interval (so a half-saved batch of files is not loaded). notify, if
// not nil, gets every reload's report or error; a failed reload keeps the old knowledge base
// serving. The goroutine ends when ctx does.
func (e *Engine) Watch(ctx context.Context, fsys fs.FS, interval time.Duration, notify func(ReloadReport, error)) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	last, _ := knowledge.Fingerprint(fsys)
	go e.watch(ctx, fsys, interval, last, notify)
}

func (e *Engine) watch(ctx context.Context, fsys fs.FS, interval time.Duration, last string, notify func(ReloadReport, error)) {
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

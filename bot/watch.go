package bot

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// Watch starts a goroutine that checks the knowledge folder fsys every interval and reloads
// the engine when its files have changed since baseline and then stayed unchanged for one more
// interval (so a half-saved batch of files is not loaded). baseline is the folder's
// knowledge.Fingerprint taken before the served base was loaded, so an edit saved while the
// bot was starting is not missed; "" takes it now. notify, if not nil, gets every reload's
// report or error; a failed reload keeps the old knowledge base serving. The goroutine ends
// when ctx does.
func (e *Engine) Watch(ctx context.Context, fsys fs.FS, interval time.Duration, baseline string, notify func(ReloadReport, error)) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if baseline == "" {
		baseline, _ = knowledge.Fingerprint(fsys)
	}
	go e.watch(ctx, fsys, interval, baseline, notify)
}

func (e *Engine) watch(ctx context.Context, fsys fs.FS, interval time.Duration, last string, notify func(ReloadReport, error)) {
	pending := ""
	failures := 0         // reloads in a row that failed for a transient reason
	var retryAt time.Time // when to try such a reload again
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
		case failures > 0 && fp == pending:
			if time.Now().Before(retryAt) {
				continue
			}
		case fp != pending:
			pending, failures = fp, 0 // changed: wait one interval for the editor to finish saving
			continue
		}
		r, err := e.Reload(ctx, fsys)
		if err != nil && errors.Is(err, ErrIndexBuild) && ctx.Err() == nil {
			// Not the files' fault: keep the change pending and try again, waiting twice as
			// long each time, up to maxRetryWait.
			failures++
			retryAt = time.Now().Add(min(interval<<min(failures, 16), maxRetryWait))
			e.opts.Logger.Warn("reload failed; retrying", "error_class", "index_build", "attempt", failures)
		} else {
			last, pending, failures = fp, "", 0
			if err != nil {
				e.opts.Logger.Warn("reload failed; the previous knowledge base keeps serving", "error_class", "reload")
			}
		}
		if notify != nil {
			notify(r, err)
		}
	}
}

// maxRetryWait is the longest wait between retries of a reload that failed for a transient
// reason.
const maxRetryWait = 5 * time.Minute

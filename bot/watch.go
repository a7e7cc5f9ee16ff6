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
		fp, newest, err := knowledge.FingerprintAt(fsys)
		if err != nil {
			e.opts.Logger.Warn("watch", "error_class", "fingerprint")
			continue
		}
		// A file written a moment ago may still be half-written, even if it looked the same
		// one poll ago (a writer that truncated it and was then descheduled): wait until
		// nothing has been written for settle.
		if fp != last && time.Since(newest) < max(interval, settle) {
			pending = fp
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
		if after, _, ferr := knowledge.FingerprintAt(fsys); ferr == nil && after != fp {
			// The files changed while they were read: what was loaded may mix old and new.
			// Whatever happened, load again once they have settled.
			pending, failures = after, 0
			continue
		}
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

// settle is how long the knowledge files must have been left alone before a reload reads
// them. TestWatchReloadsAndRejects failed about 3 runs in 60 on a loaded machine when one
// unchanged poll (20 ms there) was taken as "done"; writes that stall for 300 ms were not seen.
const settle = 300 * time.Millisecond

// maxRetryWait is the longest wait between retries of a reload that failed for a transient
// reason.
const maxRetryWait = 5 * time.Minute

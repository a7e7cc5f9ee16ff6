package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/discord"
	"github.com/vejviser/vejviser/bot/web"
	"github.com/vejviser/vejviser/knowledge"
)

// DefaultAddr is where the local preview listens.
const DefaultAddr = "127.0.0.1:8080"

// serve runs the main job: the Discord bot when DISCORD_TOKEN is set, otherwise the local
// preview. It returns when ctx ends (SIGINT/SIGTERM) or the bot stops for good.
func (e *env) serve(ctx context.Context, args []string) error {
	fs := newFlags("vejviser", e.stderr)
	var c common
	c.register(fs)
	addr := fs.String("addr", "", "address of the local preview (default "+DefaultAddr+")")
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unknown command %q (try vejviser help)", fs.Arg(0))
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fsys, name := cfg.knowledgeFS(c.knowledge)
	watching := name != "embedded" && (cfg.Watch == nil || *cfg.Watch)
	interval := 2 * time.Second
	if cfg.WatchInterval != "" {
		d, err := time.ParseDuration(cfg.WatchInterval)
		if err != nil || d <= 0 {
			return fmt.Errorf("config: watch_interval %q: want a duration such as \"2s\"", cfg.WatchInterval)
		}
		interval = d
	}
	// The fingerprint is taken before loading, so an edit saved during start-up is reloaded.
	baseline := ""
	if watching {
		if baseline, err = knowledge.Fingerprint(fsys); err != nil {
			return err
		}
	}
	var store bot.InsightStore // stays a nil interface when the store is off
	if st := openInsight(cfg, log, e.stderr); st != nil {
		store = st
		defer st.Close() // after the engine: writes the counts not yet flushed
	}
	eng, err := newEngine(ctx, fsys, name, cfg.resolve(cfg.IndexDir), store, log, e.stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	about := eng.About()
	reload := func(ctx context.Context) (bot.ReloadReport, error) { return eng.Reload(ctx, fsys) }

	watch := func(notify func(bot.ReloadReport, error)) {
		if !watching {
			return
		}
		eng.Watch(ctx, fsys, interval, baseline, notify)
		fmt.Fprintf(e.stderr, "vejviser: watching %s for changes every %s\n", name, interval)
	}
	logReload := func(r bot.ReloadReport, err error) {
		if err != nil {
			var ps knowledge.Problems
			if errors.As(err, &ps) {
				for _, p := range ps.Errors() {
					fmt.Fprintf(e.stderr, "vejviser: reload rejected: %s\n", p)
				}
			} else {
				fmt.Fprintf(e.stderr, "vejviser: reload rejected: %v\n", err)
			}
			fmt.Fprintln(e.stderr, "vejviser: the previous knowledge base keeps serving")
			return
		}
		fmt.Fprintf(e.stderr, "vejviser: reloaded knowledge %s: %d entries, %d services\n", r.Version, r.Entries, r.Services)
	}

	if token := strings.TrimSpace(e.getenv("DISCORD_TOKEN")); token != "" {
		dcfg := cfg.Discord
		if u := strings.TrimSpace(e.getenv("VEJVISER_DISCORD_API_URL")); u != "" {
			dcfg.APIURL = u
		}
		b, err := discord.New(discord.Options{Token: token, Config: dcfg, Engine: eng, Reload: reload, Logger: log})
		if err != nil {
			return err
		}
		watch(func(r bot.ReloadReport, err error) {
			logReload(r, err)
			b.NotifyReload(r, err)
		})
		fmt.Fprintf(e.stderr, "vejviser: starting the Discord bot on the %s knowledge base (%d entries, version %s)\n",
			name, about.Entries, about.Version)
		return b.Run(ctx)
	}

	if *addr == "" {
		*addr = cfg.Preview.Addr
	}
	if *addr == "" {
		*addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	label, labelEN := "den indbyggede videnbase", "the built-in knowledge base"
	if name != "embedded" {
		label, labelEN = "videnbasen i mappen "+name, "the knowledge base in the folder "+name
	}
	var rejectedMu sync.Mutex
	var rejected []string // the problems of the last rejected reload, for the editors' view
	srv := web.NewServer(*addr, web.Handler(eng, web.Options{Logger: log, Knowledge: label, KnowledgeEN: labelEN,
		Rejected: func() []string {
			rejectedMu.Lock()
			defer rejectedMu.Unlock()
			return slices.Clone(rejected)
		}}))
	watch(func(r bot.ReloadReport, err error) {
		logReload(r, err)
		rejectedMu.Lock()
		defer rejectedMu.Unlock()
		rejected = nil
		if err != nil {
			var ps knowledge.Problems
			if errors.As(err, &ps) {
				for _, p := range ps.Errors() {
					rejected = append(rejected, p.Localized("da"))
				}
			} else {
				rejected = append(rejected, err.Error())
			}
		}
	})
	fmt.Fprintf(e.stderr, "vejviser: DISCORD_TOKEN is not set, so this is the local preview on the %s knowledge base "+
		"(%d entries, version %s): open http://%s\n", name, about.Entries, about.Version, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(web.LimitConns(ln, srv, web.MaxConns)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("preview: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("preview: shutdown: %w", err)
	}
	fmt.Fprintln(e.stderr, "vejviser: stopped")
	return nil
}

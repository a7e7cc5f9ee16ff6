// Package discord is Vejviser's Discord front end and the only package that imports
// github.com/bwmarrin/discordgo. It registers the slash commands (/spørg, /tilbud, /genindlæs,
// /om with English localizations /ask, /offer, /reindex, /about), answers @mentions and direct
// messages, renders a bot.Answer as Discord embeds within Discord's limits, handles the share,
// "talk to a person" and feedback buttons, routes crisis questions to a private crisis card,
// rate-limits questions per user, and supervises the gateway connection: it resumes after
// ordinary disconnects and stops with one clear error on fatal close codes (4004, 4010-4014).
//
// Safety rules that hold for every path: every message, interaction response, follow-up and
// edit sets allowed mentions to none; Discord's privileged Message Content intent is never
// requested; nothing users write, no user id and no token is logged or stored (rate-limit
// state is keyed by a salted hash kept in memory only); discordgo's Debug mode stays off and
// its logger is routed through a scrubber that drops every argument.
package discord

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// Config is the [discord] table of config.toml. The zero value is usable: commands are
// registered globally, nobody may reindex, no alerts are posted and the defaults below apply.
type Config struct {
	// GuildIDs are the servers to register the slash commands in (they appear at once there);
	// when empty the commands are registered globally (Discord may take a while to show them).
	GuildIDs []string `toml:"guild_ids"`
	// EditorRole is the role id (or exact role name) whose members may use /genindlæs. When
	// empty, members with the Manage Server or Administrator permission may.
	EditorRole string `toml:"editor_role"`
	// EditorChannel is an optional channel id where automatic reload reports are posted.
	EditorChannel string `toml:"editor_channel"`
	// CounsellorChannel is an optional channel id for crisis alerts. An alert links to the
	// message (or names the channel for a private slash command) but never carries its text.
	CounsellorChannel string `toml:"counsellor_channel"`
	// KommuneRoles maps a role id (or exact role name) to a kommune name; a member with such a
	// role gets that kommune's local services when the question names none.
	KommuneRoles map[string]string `toml:"kommune_roles"`
	// RatePerMinute is how many questions one user may ask a minute (DefaultRatePerMinute when 0).
	RatePerMinute int `toml:"rate_per_minute"`
	// MaxQuestionLen is the longest question in characters (DefaultMaxQuestionLen when 0, at
	// most MaxQuestionLenLimit).
	MaxQuestionLen int `toml:"max_question_len"`
	// ShardID and ShardCount split the bot over several processes (ShardCount <= 1: one
	// process). Only shard 0 registers commands and receives DMs.
	ShardID    int `toml:"shard_id"`
	ShardCount int `toml:"shard_count"`
	// APIURL is an origin such as http://127.0.0.1:9999 to which every REST call is sent with its
	// usual path (/api/v9/...); the gateway address then comes from that server's
	// GET /api/v9/gateway. Empty means Discord itself.
	APIURL string `toml:"api_url"`
	// MentionChannels, when not empty, are the only channels (ids) where @mentions are
	// answered; slash commands, the context menu and DMs work everywhere.
	MentionChannels []string `toml:"mention_channels"`
}

// Defaults and limits of Config.
const (
	DefaultRatePerMinute  = 5
	DefaultMaxQuestionLen = 500
	// MaxQuestionLenLimit is Discord's own limit for a slash command's text option.
	MaxQuestionLenLimit = 6000
)

// Engine is what the Discord front end needs from the answering engine. *bot.Engine satisfies
// it; implementations must be safe for concurrent use.
type Engine interface {
	// Answer answers a question (crisis card first when it is one); it fails only when ctx ends.
	Answer(ctx context.Context, q bot.Question) (bot.Answer, error)
	// Offer returns a counsellor's card for entry id in kommune; false when there is no such entry.
	Offer(id, kommune, lang string) (bot.Answer, bool)
	// Suggest returns up to n entries matching what has been typed (autocomplete).
	Suggest(prefix, lang string, n int) []bot.Suggestion
	// HumanServices returns the people to talk to in kommune (or region-wide).
	HumanServices(kommune, lang string) []bot.ServiceRef
	// CrisisCardFor returns the crisis card in lang without touching the index.
	CrisisCardFor(lang string) *bot.CrisisCard
	// KommuneNames returns the municipalities' names.
	KommuneNames() []string
	// About describes the knowledge base being served.
	About() bot.About
	// KeepForEditors stores a question its asker agreed to send to the editors.
	KeepForEditors(ctx context.Context, q bot.Question) (string, error)
	// Feedback records that an answer citing entries helped or not (no user id).
	Feedback(entries []string, helped bool) error
	// EditorReport gathers the editors' report.
	EditorReport() bot.EditorReport
	// WeeklyReport returns the report when the weekly summary is due (once across shards).
	WeeklyReport() (bot.EditorReport, bool)
	// Entry returns an entry's full text ("Læs mere").
	Entry(id, lang string) (bot.EntryDetail, bool)
}

// Options configure a Bot.
type Options struct {
	// Token is the bot token from DISCORD_TOKEN, with or without the "Bot " prefix. It is
	// never logged.
	Token string
	// Config is the [discord] table of config.toml.
	Config Config
	// Engine answers the questions.
	Engine Engine
	// Reload reloads the knowledge folder for /genindlæs; nil disables the command's effect.
	Reload func(ctx context.Context) (bot.ReloadReport, error)
	// Logger receives event kinds, entry ids, latencies and error classes; nil discards.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Bot is the Discord front end. Create it with New and start it with Run. Its methods are
// safe for concurrent use; Run may be called once at a time.
type Bot struct {
	cfg     Config
	engine  Engine
	reload  func(ctx context.Context) (bot.ReloadReport, error)
	log     *slog.Logger
	now     func() time.Time
	token   string
	apiURL  *url.URL
	maxLen  int
	kommune map[string]string // folded role name or id → kommune (from KommuneRoles)

	limiter  *limiter
	feedback *feedbackCounter
	roles    *roleCache
	seen     deliveries // ids of recently handled events, against duplicate delivery

	// Tunables; tests in this package shorten them.
	deferAfter    time.Duration // answer within this, or defer and edit
	answerTimeout time.Duration // the engine's budget for one question
	retries       int           // REST retries after a 429
	maxRetryWait  time.Duration // longest retry_after honoured before giving up
	openTimeout   time.Duration // bound on one gateway connect (dial, HELLO, READY)
	drainTimeout  time.Duration // how long Run waits for handlers at shutdown
	backoffMax    time.Duration // longest wait between reconnect attempts
	restTimeout   time.Duration // the HTTP client's bound on one REST request
	weeklyCheck   time.Duration // how often the store is asked whether the weekly summary is due

	// salt keys the hashes of user ids in custom ids and feedback; it lives only in memory.
	salt []byte

	running  atomic.Bool
	mu       sync.Mutex
	cur      *live // nil when not running
	selfID   string
	selfName string // the bot's username, to recognise its managed role
	appID    string
}

// live is what handlers share while Run runs: the session, the handlers' base context (not
// cancelled by Run's ctx, so answers under way can finish at shutdown), the tracker that
// shutdown waits on, and the supervisor's READY and disconnect signals.
type live struct {
	sess         atomic.Pointer[discordgo.Session] // replaced only when a session wedges
	ctx          context.Context
	work         *tracker
	ready        chan struct{}
	disconnected chan struct{}
}

// session returns the current discordgo session.
func (l *live) session() *discordgo.Session { return l.sess.Load() }

// New checks opts and returns a Bot. It fails when the token or engine is missing or the
// configuration is invalid (shard numbers, api_url, max_question_len, rate_per_minute).
func New(opts Options) (*Bot, error) {
	token := strings.TrimSpace(opts.Token)
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bot "))
	if token == "" {
		return nil, errors.New("discord: new: no token (set DISCORD_TOKEN)")
	}
	if opts.Engine == nil {
		return nil, errors.New("discord: new: no engine")
	}
	cfg := opts.Config
	if cfg.RatePerMinute < 0 {
		return nil, fmt.Errorf("discord: new: rate_per_minute = %d; want 0 (default %d) or more", cfg.RatePerMinute, DefaultRatePerMinute)
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = DefaultRatePerMinute
	}
	if cfg.MaxQuestionLen < 0 || cfg.MaxQuestionLen > MaxQuestionLenLimit {
		return nil, fmt.Errorf("discord: new: max_question_len = %d; want 0 (default %d) to %d", cfg.MaxQuestionLen, DefaultMaxQuestionLen, MaxQuestionLenLimit)
	}
	if cfg.MaxQuestionLen == 0 {
		cfg.MaxQuestionLen = DefaultMaxQuestionLen
	}
	if cfg.ShardCount < 0 || cfg.ShardID < 0 || (cfg.ShardCount > 1 && cfg.ShardID >= cfg.ShardCount) ||
		(cfg.ShardCount <= 1 && cfg.ShardID != 0) {
		return nil, fmt.Errorf("discord: new: shard_id = %d, shard_count = %d; want 0 <= shard_id < shard_count", cfg.ShardID, cfg.ShardCount)
	}
	var api *url.URL
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.User != nil {
			return nil, fmt.Errorf("discord: new: api_url %q: want an origin such as http://127.0.0.1:9999", cfg.APIURL)
		}
		api = &url.URL{Scheme: u.Scheme, Host: u.Host}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	b := &Bot{
		cfg: cfg, engine: opts.Engine, reload: opts.Reload, log: logger, now: now, token: "Bot " + token,
		apiURL: api, maxLen: cfg.MaxQuestionLen, kommune: map[string]string{},
		limiter: newLimiter(cfg.RatePerMinute), feedback: newFeedbackCounter(), roles: newRoleCache(),
		deferAfter: 1500 * time.Millisecond, answerTimeout: 10 * time.Second,
		retries: 3, maxRetryWait: 30 * time.Second, openTimeout: 30 * time.Second,
		drainTimeout: 5 * time.Second, backoffMax: 2 * time.Minute, restTimeout: 20 * time.Second,
		weeklyCheck: time.Hour, salt: make([]byte, 32),
	}
	if _, err := rand.Read(b.salt); err != nil {
		return nil, fmt.Errorf("discord: new: %w", err)
	}
	known := map[string]bool{}
	for _, k := range opts.Engine.KommuneNames() {
		known[knowledge.Fold(k)] = true
	}
	for role, k := range cfg.KommuneRoles {
		b.kommune[knowledge.Fold(role)] = k
		if !known[knowledge.Fold(k)] {
			logger.Warn("config: kommune_roles names a kommune that is not in kommuner.toml; the engine may still know the spelling",
				"kommune", k)
		}
	}
	return b, nil
}

// FeedbackCount is how often the answers citing one entry were marked as helpful or not.
type FeedbackCount struct {
	Helped    int `json:"helped"`
	NotHelped int `json:"not_helped"`
}

// Feedback returns the feedback counted since start, per entry id. No user id is kept.
func (b *Bot) Feedback() map[string]FeedbackCount { return b.feedback.snapshot() }

// current returns the running session's shared state, or nil when not running.
func (b *Bot) current() *live {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cur
}

func (b *Bot) ids() (self, app string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.selfID, b.appID
}

// NotifyReload reports an automatic reload of the knowledge folder: it logs the counts or the
// number of problems and, when editor_channel is configured and the bot is connected, posts the
// counts or the first errors with file:line there. It returns at once; the post happens in the
// background and is bounded by a timeout.
func (b *Bot) NotifyReload(r bot.ReloadReport, err error) {
	if err != nil {
		b.log.Warn("reload failed", "problems", len(problemsOf(err)), "error_class", errorClass(err))
	} else {
		b.log.Info("reload", "version", r.Version, "entries", r.Entries, "services", r.Services, "warnings", len(r.Warnings))
	}
	if b.cfg.EditorChannel == "" {
		return
	}
	l := b.current()
	if l == nil || !l.work.enter() {
		b.log.Warn("reload report not posted: not connected")
		return
	}
	go func() {
		defer l.work.leave()
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("handler panic", "event", "reload_report", "error_class", fmt.Sprintf("panic:%T", p))
			}
		}()
		ctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
		defer cancel()
		msg := &discordgo.MessageSend{Content: reloadText(r, err, bot.Danish)}
		if _, perr := b.send(ctx, l.session(), "reload_report", b.cfg.EditorChannel, msg); perr != nil {
			b.log.Warn("reload report not posted", "error_class", errorClass(perr))
		}
	}()
}

// weeklyLoop asks every weeklyCheck whether the weekly summary is due and posts it to the
// editors' channel. The store decides "due" in one transaction, so of several shards exactly
// one posts each week.
func (b *Bot) weeklyLoop(l *live) {
	t := time.NewTicker(b.weeklyCheck)
	defer t.Stop()
	for {
		b.postWeekly(l)
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// postWeekly posts the weekly summary when it is due: numbers only, never a question's text.
func (b *Bot) postWeekly(l *live) {
	if !l.work.enter() {
		return
	}
	defer l.work.leave()
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("handler panic", "event", "weekly_summary", "error_class", fmt.Sprintf("panic:%T", p))
		}
	}()
	r, due := b.engine.WeeklyReport()
	if !due {
		return
	}
	ctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
	defer cancel()
	msg := &discordgo.MessageSend{Content: clip(bot.RenderWeekly(r, bot.Danish, b.now()), limitContent), AllowedMentions: noMentions()}
	if _, err := b.send(ctx, l.session(), "weekly_summary", b.cfg.EditorChannel, msg); err != nil {
		b.log.Warn("weekly summary not posted", "error_class", errorClass(err))
		return
	}
	b.log.Info("weekly summary posted")
}

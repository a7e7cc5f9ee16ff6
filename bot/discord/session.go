package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// FatalCloseError is returned by Run when Discord closed the gateway with a code after which
// reconnecting cannot help (a bad token, bad shard settings or intents).
type FatalCloseError struct {
	Code int
}

// fatalCodes are the close codes Discord documents as "do not reconnect".
var fatalCodes = map[int]string{
	4004: "authentication failed: Discord rejected the token (check DISCORD_TOKEN)",
	4010: "invalid shard: check shard_id and shard_count",
	4011: "sharding required: the bot is in too many servers for one connection; set shard_count",
	4012: "invalid gateway API version",
	4013: "invalid intents",
	4014: "disallowed intents: the bot asked for an intent that is not enabled for it",
}

// Error describes the code and what to do about it.
func (e *FatalCloseError) Error() string {
	return fmt.Sprintf("discord: gateway closed the connection with code %d (%s); not reconnecting", e.Code, fatalCodes[e.Code])
}

// fatal returns a *FatalCloseError when err is a gateway close with a fatal code.
func fatal(err error) *FatalCloseError {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		if _, ok := fatalCodes[ce.Code]; ok {
			return &FatalCloseError{Code: ce.Code}
		}
	}
	return nil
}

// Run connects to Discord, registers the slash commands with one bulk overwrite (on shard 0),
// and serves until ctx ends; it then closes the connection, waits a few seconds for handlers
// still answering and returns nil. Ordinary disconnects are resumed with backoff; a connect
// attempt that hangs (no HELLO or READY) is given up after the open timeout and retried, and a
// session that discordgo has deadlocked is replaced by a new one. It returns a
// *FatalCloseError when Discord closes the gateway with 4004 or 4010-4014, and an error when
// the commands cannot be registered or READY never arrives. Run must not be called again
// while it is running.
func (b *Bot) Run(ctx context.Context) error {
	if !b.running.CompareAndSwap(false, true) {
		return errors.New("discord: run: already running")
	}
	defer b.running.Store(false)
	routeDiscordgoLogs(b.log)

	_ = b.fatalCloseSeen() // forget a close recorded before this run
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	l := &live{ctx: hctx, work: newTracker(), ready: make(chan struct{}, 1), disconnected: make(chan struct{}, 1)}
	b.freshSession(l)
	b.mu.Lock()
	b.cur = l
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.cur = nil
		b.mu.Unlock()
	}()

	start := time.Now()
	if err := b.connect(ctx, l); err != nil {
		return err
	}
	if ctx.Err() != nil {
		b.shutdown(l, cancel)
		return nil
	}
	select {
	case <-l.ready:
	case <-ctx.Done():
		b.shutdown(l, cancel)
		return nil
	case <-time.After(b.openTimeout):
		b.shutdown(l, cancel)
		return errors.New("discord: run: no READY from the gateway")
	}
	b.log.Info("connected", "shard", b.cfg.ShardID, "ms", time.Since(start).Milliseconds())
	if b.cfg.EditorChannel != "" {
		go b.weeklyLoop(l)
	}
	if b.cfg.ShardID == 0 {
		if err := b.register(ctx, l.session()); err != nil {
			b.shutdown(l, cancel)
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	for {
		select {
		case <-ctx.Done():
			b.shutdown(l, cancel)
			return nil
		case <-l.disconnected:
			if ctx.Err() != nil {
				continue
			}
			if fe := b.fatalCloseSeen(); fe != nil {
				// 4004, 4010–4014 mid-session: reconnecting cannot help.
				b.log.Error("gateway closed with a fatal code", "code", fe.Code)
				b.shutdown(l, cancel)
				return fe
			}
			b.log.Warn("gateway disconnected; reconnecting")
			// discordgo v0.29's heartbeat goroutine of the dropped connection is blocked
			// while Close holds the session lock; once it runs, it finds its socket gone and
			// calls Close again, which would close a connection opened in the meantime and
			// start the cycle over. Let it do so first, then forget the disconnect it sends.
			select {
			case <-ctx.Done():
				continue
			case <-time.After(reconnectSettle):
			}
			drain(l.disconnected)
			if err := b.connect(ctx, l); err != nil {
				b.shutdown(l, cancel)
				return err
			}
		}
	}
}

// reconnectSettle is how long the supervisor waits after a disconnect before it reconnects.
const reconnectSettle = 500 * time.Millisecond

// drain empties a signal channel without blocking.
func drain(c <-chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// shutdown closes the gateway, waits for handlers to finish and cancels their context.
func (b *Bot) shutdown(l *live, cancel context.CancelFunc) {
	// ShouldReconnectOnError is false from the start, so nothing reconnects. Close takes the
	// session lock, which a wedged Open (see errWedged) would hold for ever: do not wait on it
	// longer than a normal Close takes (discordgo sleeps 1 s in it).
	closed := make(chan struct{})
	s := l.session()
	go func() {
		defer close(closed)
		_ = s.Close()
	}()
	select {
	case <-closed:
	case <-time.After(closeTimeout):
		b.log.Warn("shutdown: gateway session did not close")
	}
	if !l.work.closeAndWait(b.drainTimeout) {
		b.log.Warn("shutdown: handlers still running after drain timeout")
	}
	cancel()
	b.log.Info("disconnected")
}

// closeTimeout bounds Session.Close at shutdown.
const closeTimeout = 3 * time.Second

// connect opens the gateway, retrying with backoff until it succeeds, ctx ends (nil) or
// Discord closes with a fatal code (*FatalCloseError). A known session is resumed; a wedged
// one is replaced by a new session, which IDENTIFIEs.
func (b *Bot) connect(ctx context.Context, l *live) error {
	wait := time.Second
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			d := wait/2 + rand.N(wait/2+1)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(d):
			}
			wait = min(wait*2, b.backoffMax)
		}
		err := b.open(ctx, l.session())
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			return nil
		}
		if errors.Is(err, errWedged) {
			// The old session can never be opened or closed again. Leave it (one goroutine
			// stays blocked in it) and continue with a new one; the gateway gets a new IDENTIFY.
			b.log.Error("gateway session wedged; starting a new session")
			b.freshSession(l)
		}
		if fe := fatal(err); fe != nil {
			b.log.Error("gateway closed with a fatal code", "code", fe.Code)
			return fe
		}
		b.log.Warn("gateway connect failed", "attempt", attempt+1, "error_class", errorClass(err))
		if ctx.Err() != nil {
			return nil
		}
	}
}

// open runs Session.Open, giving up when it has not returned within openTimeout or when ctx
// ends, so a gateway that accepts the websocket but never says HELLO or READY cannot hang the
// supervisor (or Run's shutdown).
//
// A deadline on the socket is not enough: gorilla/websocket clears any deadline once the
// websocket handshake is done, and discordgo then reads HELLO and READY with no deadline while
// holding the session lock. So the socket is closed instead, which makes those reads fail and
// Open return an error; connect then retries with backoff.
//
// If Open still has not returned wedgeGrace after its socket was closed, it is not waiting on
// the network but deadlocked, and open returns errWedged.
func (b *Bot) open(ctx context.Context, s *discordgo.Session) error {
	var (
		mu     sync.Mutex
		conn   net.Conn
		gaveUp bool // once set, a late dial is refused and the socket stays closed
	)
	closed := make(chan struct{})
	giveUp := func() {
		mu.Lock()
		defer mu.Unlock()
		if !gaveUp {
			gaveUp = true
			close(closed)
			if conn != nil {
				_ = conn.Close()
			}
		}
	}
	d := *websocket.DefaultDialer
	d.HandshakeTimeout = b.openTimeout
	d.NetDialContext = func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{Timeout: b.openTimeout}).DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if gaveUp {
			_ = c.Close()
			return nil, errOpenGaveUp
		}
		conn = c
		return c, nil
	}
	s.Dialer = &d

	var (
		omu       sync.Mutex
		finished  bool
		abandoned bool
		openErr   error
	)
	done := make(chan struct{})
	go func() {
		err := s.Open()
		omu.Lock()
		defer omu.Unlock()
		if abandoned {
			// Reported as wedged after all, and replaced: this session must not serve too.
			if err == nil {
				go s.Close()
			}
			return
		}
		finished, openErr = true, err
		close(done)
	}()
	t := time.AfterFunc(b.openTimeout, giveUp)
	defer t.Stop()
	defer context.AfterFunc(ctx, giveUp)()
	select {
	case <-done:
	case <-closed:
		select {
		case <-done:
		case <-time.After(wedgeGrace):
		}
	}
	omu.Lock()
	defer omu.Unlock()
	if !finished {
		abandoned = true
		return errWedged
	}
	mu.Lock()
	gaveUp = true // Open has returned: the watchdog must not touch the live connection any more
	mu.Unlock()
	return openErr
}

// wedgeGrace is how long open waits for Session.Open to return once its socket is closed.
const wedgeGrace = 2 * time.Second

var (
	// errOpenGaveUp is returned by the dialer when open gave up before the dial finished.
	errOpenGaveUp = errors.New("discord: open: gave up (timeout or shutdown)")
	// errWedged means Session.Open deadlocked. discordgo v0.29 does so when the gateway sends
	// op 7 Reconnect while Open runs (for instance in answer to RESUME): Open holds the session
	// lock and its op-7 handling calls Close, which takes the same lock (discordgo #513). The
	// session can then never be used or closed again.
	errWedged = errors.New("discord: open: gateway session wedged")
)

// newSession returns a discordgo session set up for safety: no Debug, no state cache, no
// unbounded 429 retries, no reconnect loop of its own (connect supervises), only the
// non-privileged message intents, and REST pointed at api_url when set.
func (b *Bot) newSession() *discordgo.Session {
	s, _ := discordgo.New(b.token) // never fails for a bot token
	s.Debug = false
	s.LogLevel = discordgo.LogWarning
	s.ShouldReconnectOnError = false
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 2
	s.StateEnabled = false
	s.SyncEvents = false
	s.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if b.cfg.ShardCount > 1 {
		s.ShardID, s.ShardCount = b.cfg.ShardID, b.cfg.ShardCount
	}
	var rt http.RoundTripper = http.DefaultTransport
	if b.apiURL != nil {
		rt = &originTransport{origin: b.apiURL, next: http.DefaultTransport}
	}
	s.Client = &http.Client{Transport: &rateLimitBodyTransport{next: rt}, Timeout: b.restTimeout}
	return s
}

// rateLimitBodyTransport gives a 429 whose body is not JSON (Cloudflare answers with an HTML
// page) the JSON body Discord's own 429s have, with retry_after taken from the Retry-After
// header (defaultRetryAfter when there is none). discordgo v0.29 cannot parse such a 429 and
// fails with a JSON syntax error (discordgo #659), so call would neither wait nor retry and the
// bot would apologise into the same rate limit at once; with the rewrite it is a
// *RateLimitError, which call waits for a bounded number of times (or gives up at once when
// the wait is longer than maxRetryWait).
type rateLimitBodyTransport struct {
	next http.RoundTripper
}

// defaultRetryAfter is the wait assumed for a non-JSON 429 without a usable Retry-After header.
const defaultRetryAfter = time.Second

// RoundTrip implements http.RoundTripper.
func (t *rateLimitBodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	if rerr == nil && json.Valid(body) {
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	wait := retryAfter(resp.Header.Get("Retry-After"), time.Now())
	js := fmt.Sprintf(`{"message":"rate limited (non-JSON 429)","retry_after":%.3f,"global":true}`, wait.Seconds())
	resp.Header = resp.Header.Clone()
	resp.Header.Set("Content-Type", "application/json")
	resp.Header.Del("Content-Length")
	resp.ContentLength = int64(len(js))
	resp.Body = io.NopCloser(strings.NewReader(js))
	return resp, nil
}

// retryAfter parses a Retry-After header: seconds (decimals allowed) or an HTTP date. It
// returns defaultRetryAfter when the header is missing or malformed, and never less than 0.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if secs, err := strconv.ParseFloat(h, 64); err == nil && !math.IsNaN(secs) && !math.IsInf(secs, 0) {
		return time.Duration(max(secs, 0) * float64(time.Second))
	}
	if at, err := http.ParseTime(h); err == nil {
		return max(at.Sub(now), 0)
	}
	return defaultRetryAfter
}

// originTransport sends every request to origin with its path unchanged.
type originTransport struct {
	origin *url.URL
	next   http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *originTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.origin.Scheme, t.origin.Host, t.origin.Host
	return t.next.RoundTrip(r)
}

// noPanic logs a recovered panic in a small gateway-event handler.
func (b *Bot) noPanic(event string) {
	if p := recover(); p != nil {
		b.log.Error("handler failed", "event", event, "error_class", fmt.Sprintf("panic:%T", p))
	}
}

// freshSession gives l a new discordgo session with the bot's handlers.
func (b *Bot) freshSession(l *live) {
	s := b.newSession()
	b.addHandlers(l, s)
	l.sess.Store(s)
}

// addHandlers registers the event handlers on s. Each recovers from panics: the question
// handlers through guard, the small gateway-event ones through noPanic.
func (b *Bot) addHandlers(l *live, s *discordgo.Session) {
	ready, disconnected := l.ready, l.disconnected
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		defer b.noPanic("ready")
		b.mu.Lock()
		if r.User != nil {
			b.selfID, b.selfName = r.User.ID, r.User.Username
		}
		b.appID = b.selfID
		if r.Application != nil && r.Application.ID != "" {
			b.appID = r.Application.ID
		}
		b.mu.Unlock()
		b.log.Info("gateway event", "kind", "ready")
		select {
		case ready <- struct{}{}:
		default:
		}
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		defer b.noPanic("resumed")
		b.log.Info("gateway event", "kind", "resumed")
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		select {
		case disconnected <- struct{}{}:
		default:
		}
	})
	s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		b.onInteraction(l, ic.Interaction)
	})
	s.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) {
		b.onMessage(l, m.Message)
	})
}

// register replaces the slash commands with one bulk overwrite per configured guild, or
// globally when none is configured.
func (b *Bot) register(ctx context.Context, s *discordgo.Session) error {
	_, app := b.ids()
	cmds := commands(b.maxLen)
	guilds := b.cfg.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		where := "globally"
		if g != "" {
			where = "in guild " + g
		}
		err := b.call(ctx, "register_commands", func(o ...discordgo.RequestOption) error {
			_, err := s.ApplicationCommandBulkOverwrite(app, g, cmds, o...)
			return err
		})
		if err != nil {
			return fmt.Errorf("discord: register commands %s: %s (is the bot invited with the applications.commands scope?)", where, errorClass(err))
		}
	}
	b.log.Info("commands registered", "commands", len(cmds), "guilds", len(b.cfg.GuildIDs))
	return nil
}

// call runs one REST call with a bounded retry on 429: it waits retry_after (at most
// maxRetryWait) up to b.retries times. The error it returns carries no URL (URLs of
// interaction endpoints contain tokens).
func (b *Bot) call(ctx context.Context, op string, fn func(...discordgo.RequestOption) error) error {
	for attempt := 0; ; attempt++ {
		err := fn(discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
		var rl *discordgo.RateLimitError
		if err == nil || !errors.As(err, &rl) || attempt >= b.retries {
			if err != nil {
				return &restError{op: op, class: errorClass(err), err: err}
			}
			return nil
		}
		wait := rl.RetryAfter
		if wait > b.maxRetryWait {
			return &restError{op: op, class: "rate_limited_too_long", err: err}
		}
		b.log.Info("rest rate limited", "op", op, "retry_after_ms", wait.Milliseconds(), "attempt", attempt+1)
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return &restError{op: op, class: "timeout", err: ctx.Err()}
		case <-t.C:
		}
	}
}

// restError is a failed REST call. Its message names the operation and the error class
// only; the wrapped error (which may contain an interaction URL) is reachable with errors.As.
type restError struct {
	op, class string
	err       error
}

func (e *restError) Error() string { return "discord: " + e.op + ": " + e.class }
func (e *restError) Unwrap() error { return e.err }

// errorClass names an error without its text: "http_403_50007", "rate_limited", "timeout",
// "network", "gateway_close_4000", or the Go type.
func errorClass(err error) string {
	var re *restError
	var rest *discordgo.RESTError
	var rl *discordgo.RateLimitError
	var ce *websocket.CloseError
	var ne net.Error
	var pe panicError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &pe):
		return pe.class
	case errors.As(err, &re):
		return re.class
	case errors.Is(err, errWedged):
		return "gateway_wedged"
	case errors.Is(err, errOpenGaveUp):
		return "timeout"
	case errors.As(err, &rl):
		return "rate_limited"
	case errors.As(err, &rest):
		c := "http_unknown"
		if rest.Response != nil {
			c = fmt.Sprintf("http_%d", rest.Response.StatusCode)
		}
		if rest.Message != nil && rest.Message.Code != 0 {
			c += fmt.Sprintf("_%d", rest.Message.Code)
		}
		return c
	case errors.As(err, &ce):
		return fmt.Sprintf("gateway_close_%d", ce.Code)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "timeout"
	case errors.As(err, &ne):
		if ne.Timeout() {
			return "network_timeout"
		}
		return "network"
	}
	t := fmt.Sprintf("%T", err)
	if t == "*errors.errorString" && strings.HasPrefix(err.Error(), "Exceeded Max retries HTTP ") {
		// discordgo v0.29 gives up on repeated 502s (the only status it retries) with a plain
		// error that holds the status line and the body; name it like any other HTTP error.
		return "http_502"
	}
	return t
}

// panicError is a recovered panic, named by the panic value's type only.
type panicError struct{ class string }

func (e panicError) Error() string { return "discord: handler panicked (" + e.class + ")" }

// tracker counts running handlers so shutdown can wait for them.
type tracker struct {
	mu     sync.Mutex
	n      int
	closed bool
	zero   chan struct{}
}

func newTracker() *tracker { return &tracker{} }

// enter registers a handler; it returns false once shutdown has begun.
func (t *tracker) enter() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.n++
	return true
}

func (t *tracker) leave() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n--
	if t.n == 0 && t.zero != nil {
		close(t.zero)
		t.zero = nil
	}
}

// closeAndWait stops new handlers and waits up to d for the running ones; it reports whether
// they all finished.
func (t *tracker) closeAndWait(d time.Duration) bool {
	t.mu.Lock()
	t.closed = true
	if t.n == 0 {
		t.mu.Unlock()
		return true
	}
	ch := make(chan struct{})
	t.zero = ch
	t.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

// discordgo has one package-level Logger. It is set once to a scrubber that forwards only the
// level and the constant format text (never the arguments, which can hold gateway payloads,
// URLs with tokens or message text) to the logger of the most recently started Bot.
var (
	dgLogOnce sync.Once
	dgLogSink atomic.Pointer[slog.Logger]
)

func routeDiscordgoLogs(l *slog.Logger) {
	dgLogSink.Store(l)
	dgLogOnce.Do(func() { discordgo.Logger = scrubbedDiscordgoLog })
}

func scrubbedDiscordgoLog(level, _ int, format string, args ...any) {
	if l := dgLogSink.Load(); l != nil {
		scrub(l, level, format, args...)
	}
}

// scrub logs a discordgo log line as its level, the constant part of its format and the
// classes of any error arguments; the arguments themselves are dropped.
func scrub(l *slog.Logger, level int, format string, args ...any) {
	if level > discordgo.LogWarning {
		return
	}
	recordFatalClose(args)
	var classes []string
	for _, a := range args {
		if err, ok := a.(error); ok {
			classes = append(classes, errorClass(err))
		}
	}
	msg := format
	if i := strings.IndexAny(msg, "%\n"); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.TrimRight(msg, " ,:")
	lvl := slog.LevelWarn
	if level == discordgo.LogError {
		lvl = slog.LevelError
	}
	l.Log(context.Background(), lvl, "discordgo", "what", msg, "error_class", strings.Join(classes, ","))
}

// gatewayCloses holds, by gateway host, a fatal close code that discordgo met while reading
// from a live connection. discordgo v0.29 does not hand that error to its caller: it logs it
// ("error reading from gateway %s websocket, %s" with the gateway URL and the error) and
// closes the session, so the log is where Run learns that a mid-session close was fatal.
var gatewayCloses sync.Map

// recordFatalClose notes a fatal close code found among a discordgo log line's arguments.
func recordFatalClose(args []any) {
	if len(args) < 2 {
		return
	}
	gw, ok := args[0].(string)
	if !ok {
		return
	}
	for _, a := range args[1:] {
		if err, ok := a.(error); ok {
			if fe := fatal(err); fe != nil {
				if u, perr := url.Parse(gw); perr == nil {
					gatewayCloses.Store(u.Host, fe.Code)
				}
			}
		}
	}
}

// fatalCloseSeen returns (and forgets) a fatal close recorded for this bot's gateway: the host
// of api_url, or Discord's own gateway hosts.
func (b *Bot) fatalCloseSeen() *FatalCloseError {
	var found *FatalCloseError
	gatewayCloses.Range(func(k, v any) bool {
		host := k.(string)
		mine := b.apiURL != nil && host == b.apiURL.Host || b.apiURL == nil && strings.HasSuffix(host, "discord.gg")
		if mine {
			gatewayCloses.Delete(k)
			found = &FatalCloseError{Code: v.(int)}
		}
		return true
	})
	return found
}

// Package discordtest is a small fake of Discord's REST API and gateway for tests. It listens on
// 127.0.0.1 only and never contacts the internet.
//
// REST: GET /api/v9/gateway (and /gateway/bot) answer with the fake's websocket address; every
// other request is recorded (method, path, Authorization header and body) and answered the way
// Discord would answer it closely enough for discordgo: 204 for the first interaction callback
// and 400 with code 40060 ("already acknowledged") for any later one, a message for channel
// messages, webhook posts and edits, a DM channel for POST /users/@me/channels, the request body
// for command bulk overwrites and the configured roles for GET /guilds/{id}/roles. Scripted rate
// limits (429 with retry_after), failures and stalls (any status, headers, body and delay) can
// be set per path.
//
// Gateway: /gw upgrades to a websocket, sends HELLO, answers heartbeats with ACKs, answers
// IDENTIFY with READY (or with a scripted close code) and RESUME with the missed dispatches and
// RESUMED (or with op 9 Invalid Session when the session is no longer valid), and lets the test
// dispatch events, send any opcode (such as op 7 Reconnect), drop the connection, stop
// acknowledging heartbeats, shorten the heartbeat interval and keep new connections silent.
//
// A Server is safe for concurrent use.
package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Default identities the fake hands out in READY.
const (
	AppID     = "900000000000000001"
	BotUserID = "900000000000000002"
	SessionID = "fake-session-1"
)

// Request is one recorded REST request.
type Request struct {
	Method        string
	Path          string // e.g. /api/v9/channels/1/messages
	Query         string
	Authorization string
	Body          []byte
	// Status is the status the fake answered with; 0 for a stalled request (Reply.Delay)
	// until its answer is sent, and for good when the client gave up first.
	Status int
}

// Decode unmarshals the request body into v.
func (r Request) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("fakediscord: decode %s %s: %w", r.Method, r.Path, err)
	}
	return nil
}

// String returns "METHOD path" for readable test failures.
func (r Request) String() string { return r.Method + " " + r.Path }

// Frame is one frame the gateway received from the client.
type Frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
}

// Reply is a scripted REST answer (see Script).
type Reply struct {
	// Status is the HTTP status.
	Status int
	// Header holds extra response headers, e.g. Content-Type or Retry-After.
	Header http.Header
	// Body is sent as it is (JSON, or an HTML page such as Cloudflare's); Content-Type is
	// application/json unless Header sets it.
	Body string
	// Delay stalls the answer this long, or until the client gives up (a stalled request never
	// acknowledges an interaction).
	Delay time.Duration
}

type scripted struct {
	method, pathContains string
	times                int // remaining; <0 means always
	reply                Reply
	rateLimit            bool          // answer with Discord's JSON 429 and retryAfter (RateLimit)
	retryAfter           time.Duration // for a JSON 429 built by RateLimit
}

// Server is a fake Discord. Create it with New and stop it with Close.
type Server struct {
	srv *httptest.Server

	// dmu orders dispatches against the replay on RESUME, so every dispatch reaches the client
	// exactly once: written on the live connection or replayed on the resumed one.
	dmu sync.Mutex

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced whenever something is recorded
	requests    []Request
	frames      []Frame
	scripts     []*scripted
	roles       map[string]json.RawMessage
	closeCode   int // sent after IDENTIFY/RESUME when non-zero
	conn        *gwConn
	conns       []*gwConn
	dialed      int // websocket upgrades
	seq         int64
	history     []dispatched // every dispatch, for replay on RESUME
	session     string       // the session a RESUME may continue ("" after InvalidateSession)
	sessions    int          // sessions started by IDENTIFY
	acked       map[string]bool
	interval    time.Duration // heartbeat_interval in HELLO
	silent      bool          // new connections get no HELLO and no answers
	op7OnResume int           // answer this many RESUMEs with op 7 Reconnect
	nextMsg     int
	readies     int
	resumes     int
}

type dispatched struct {
	seq   int64
	frame map[string]any
}

type gwConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	ready   bool
	noAcks  atomic.Bool // stop answering heartbeats (a zombie connection)
	session string
}

func (c *gwConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// New starts a fake Discord on 127.0.0.1.
func New() *Server {
	f := &Server{changed: make(chan struct{}), roles: map[string]json.RawMessage{}, acked: map[string]bool{},
		interval: 45 * time.Second}
	mux := http.NewServeMux()
	mux.HandleFunc("/gw", f.gateway)
	mux.HandleFunc("/gw/", f.gateway)
	mux.HandleFunc("/", f.rest)
	f.srv = httptest.NewServer(mux)
	return f
}

// URL returns the fake's origin, e.g. http://127.0.0.1:40123.
func (f *Server) URL() string { return f.srv.URL }

// Close closes every gateway connection and stops the server.
func (f *Server) Close() {
	f.mu.Lock()
	conns := f.conns
	f.conns = nil
	f.conn = nil
	f.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
	f.srv.Close()
}

// notify wakes waiters; f.mu must be held.
func (f *Server) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// RateLimit makes the next times requests whose path contains pathContains (and whose method
// is method, unless empty) fail with 429 and the given retry_after.
func (f *Server) RateLimit(method, pathContains string, times int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, &scripted{method: method, pathContains: pathContains, times: times,
		reply: Reply{Status: http.StatusTooManyRequests}, rateLimit: true, retryAfter: retryAfter})
}

// Fail makes requests whose path contains pathContains (and whose method is method, unless
// empty) fail with status and body; times < 0 means every such request.
func (f *Server) Fail(method, pathContains string, times, status int, body string) {
	f.Script(method, pathContains, times, Reply{Status: status, Body: body})
}

// Script makes the next times requests whose path contains pathContains (and whose method is
// method, unless empty) get r; times < 0 means every such request. Scripts are tried in the
// order they were added.
func (f *Server) Script(method, pathContains string, times int, r Reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, &scripted{method: method, pathContains: pathContains, times: times, reply: r})
}

// SetHeartbeatInterval sets the heartbeat_interval sent in HELLO on later connections
// (45 s by default).
func (f *Server) SetHeartbeatInterval(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.interval = d
}

// StopHeartbeatAcks makes the current gateway connection a zombie: it keeps reading but no
// longer answers heartbeats. Later connections answer them again.
func (f *Server) StopHeartbeatAcks() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn != nil {
		f.conn.noAcks.Store(true)
	}
}

// Silent makes later gateway connections accept the websocket upgrade and then say nothing:
// no HELLO, no answers. false restores the normal behaviour.
func (f *Server) Silent(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.silent = on
}

// InvalidateSession ends the current session: a RESUME for it is answered with op 9 Invalid
// Session (d: false) on an open connection, after which only IDENTIFY starts a new one.
func (f *Server) InvalidateSession() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.session = ""
}

// ReconnectOnResume makes the gateway answer the next n RESUMEs with op 7 Reconnect instead
// of RESUMED, as Discord may when the server the client reached is going away.
func (f *Server) ReconnectOnResume(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.op7OnResume = n
}

// SendOp sends a non-dispatch gateway payload {"op": op, "d": d} on the current connection,
// e.g. op 7 Reconnect or op 9 Invalid Session.
func (f *Server) SendOp(op int, d any) error {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c == nil {
		return fmt.Errorf("fakediscord: send op %d: no connection", op)
	}
	if err := c.write(map[string]any{"op": op, "d": d}); err != nil {
		return fmt.Errorf("fakediscord: send op %d: %w", op, err)
	}
	return nil
}

// Seq returns the sequence number of the last dispatch.
func (f *Server) Seq() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

// Dials returns how many websocket connections the gateway has accepted.
func (f *Server) Dials() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dialed
}

// Sessions returns the session ids handed out in READY so far; the first is SessionID.
func (f *Server) Sessions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []string{}
	for n := 1; n <= f.sessions; n++ {
		out = append(out, sessionName(n))
	}
	return out
}

func sessionName(n int) string {
	if n == 1 {
		return SessionID
	}
	return fmt.Sprintf("fake-session-%d", n)
}

// SetRoles sets the roles GET /guilds/{guildID}/roles returns, as id → name.
func (f *Server) SetRoles(guildID string, roles map[string]string) {
	f.SetRolesManaged(guildID, roles, nil)
}

// SetRolesManaged is SetRoles with some roles marked as managed by an integration (a bot's own
// role, which Discord names after the bot).
func (f *Server) SetRolesManaged(guildID string, roles map[string]string, managed map[string]bool) {
	var list []map[string]any
	for id, name := range roles {
		list = append(list, map[string]any{"id": id, "name": name, "permissions": "0", "position": 1, "managed": managed[id]})
	}
	data, _ := json.Marshal(list)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roles[guildID] = data
}

// CloseAfterIdentify makes the gateway close every later connection with code right after the
// client's IDENTIFY or RESUME, the way Discord rejects a bad token (4004). Zero turns it off.
func (f *Server) CloseAfterIdentify(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closeCode = code
}

// Requests returns a copy of every recorded REST request, in arrival order.
func (f *Server) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

// Frames returns a copy of every frame the gateway received, in arrival order.
func (f *Server) Frames() []Frame {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Frame(nil), f.frames...)
}

// Counts returns how many READY and RESUMED events the gateway has sent.
func (f *Server) Counts() (readies, resumes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.readies, f.resumes
}

// WaitRequest waits until a recorded request satisfies match and returns the first one, or
// fails after timeout. match runs without the fake's lock held, so it may call the fake.
func (f *Server) WaitRequest(timeout time.Duration, match func(Request) bool) (Request, error) {
	var found Request
	err := f.wait(timeout, func() bool {
		for _, r := range f.Requests() {
			if match(r) {
				found = r
				return true
			}
		}
		return false
	})
	if err != nil {
		return Request{}, fmt.Errorf("fakediscord: no matching request after %v: %w", timeout, err)
	}
	return found, nil
}

// WaitFrame waits until the gateway has received a frame with op and returns the first.
func (f *Server) WaitFrame(timeout time.Duration, op int) (Frame, error) {
	var found Frame
	err := f.wait(timeout, func() bool {
		for _, fr := range f.Frames() {
			if fr.Op == op {
				found = fr
				return true
			}
		}
		return false
	})
	if err != nil {
		return Frame{}, fmt.Errorf("fakediscord: no op %d frame after %v: %w", op, timeout, err)
	}
	return found, nil
}

// WaitReady waits until the current gateway connection has been sent READY or RESUMED and
// at least n READY+RESUMED events have been sent in all.
func (f *Server) WaitReady(timeout time.Duration, n int) error {
	return f.wait(timeout, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.conn != nil && f.conn.ready && f.readies+f.resumes >= n
	})
}

// Wait waits until cond (called without the fake's lock, each time the fake records something)
// is true, or fails with ErrTimeout after timeout. cond may call the fake's methods.
func (f *Server) Wait(timeout time.Duration, cond func() bool) error { return f.wait(timeout, cond) }

// wait calls cond (without f.mu held) each time something is recorded, until it is true or
// timeout passes.
func (f *Server) wait(timeout time.Duration, cond func() bool) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return ErrTimeout
		}
	}
}

// Dispatch sends a gateway event (op 0) of type t with data d on the current connection,
// waiting up to 5 s for one to be ready. Like Discord, the fake keeps every dispatch: one the
// client did not process (the connection died under it) is replayed when the client resumes.
func (f *Server) Dispatch(t string, d any) error {
	if err := f.WaitReady(5*time.Second, 1); err != nil {
		return fmt.Errorf("fakediscord: dispatch %s: no ready connection: %w", t, err)
	}
	f.dmu.Lock()
	defer f.dmu.Unlock()
	f.mu.Lock()
	c := f.conn
	f.seq++
	frame := map[string]any{"op": 0, "t": t, "s": f.seq, "d": d}
	f.history = append(f.history, dispatched{seq: f.seq, frame: frame})
	f.mu.Unlock()
	if c != nil {
		_ = c.write(frame) // when this fails, the RESUME replays it
	}
	return nil
}

// DropConnection closes the current gateway connection's socket without a close frame, as a
// network failure would.
// CloseNow closes the live gateway connection with code, mid-session; later IDENTIFYs and
// RESUMEs are closed with it too (as Discord does after revoking a token).
func (f *Server) CloseNow(code int) {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.closeCode = code
	f.notify()
	f.mu.Unlock()
	if c != nil {
		c.closeWith(code)
	}
}

// DropConnection closes the live gateway connection without a close frame.
func (f *Server) DropConnection() {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.notify()
	f.mu.Unlock()
	if c != nil {
		_ = c.ws.UnderlyingConn().Close()
	}
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (f *Server) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	f.mu.Lock()
	f.conn = c
	f.conns = append(f.conns, c)
	f.dialed++
	silent, interval := f.silent, f.interval
	f.notify()
	f.mu.Unlock()
	defer func() {
		_ = ws.Close()
		f.mu.Lock()
		if f.conn == c {
			f.conn = nil
		}
		f.notify()
		f.mu.Unlock()
	}()
	if silent {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}
	if err := c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": interval.Milliseconds()}}); err != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var fr Frame
		if json.Unmarshal(data, &fr) != nil {
			continue
		}
		f.mu.Lock()
		f.frames = append(f.frames, fr)
		closeCode := f.closeCode
		f.notify()
		f.mu.Unlock()
		switch fr.Op {
		case 1:
			if !c.noAcks.Load() {
				_ = c.write(map[string]any{"op": 11})
			}
		case 2:
			if closeCode != 0 {
				c.closeWith(closeCode)
				return
			}
			if !f.identify(c) {
				return
			}
		case 6:
			if closeCode != 0 {
				c.closeWith(closeCode)
				return
			}
			var res struct {
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			_ = json.Unmarshal(fr.D, &res)
			if !f.resume(c, res.SessionID, res.Seq) {
				return
			}
		}
	}
}

// closeWith sends a close frame with code.
func (c *gwConn) closeWith(code int) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, "scripted close"),
		time.Now().Add(time.Second))
}

// identify answers IDENTIFY with READY for a new session; false when the connection failed.
func (f *Server) identify(c *gwConn) bool {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	f.mu.Lock()
	f.sessions++
	f.session = sessionName(f.sessions)
	f.seq++
	frame := map[string]any{"op": 0, "t": "READY", "s": f.seq, "d": map[string]any{
		"v": 9, "session_id": f.session,
		"user":        map[string]any{"id": BotUserID, "username": "Vejviser", "bot": true},
		"application": map[string]any{"id": AppID, "flags": 0},
		"guilds":      []any{}, "private_channels": []any{},
	}}
	f.mu.Unlock()
	if c.write(frame) != nil {
		return false
	}
	f.mu.Lock()
	c.ready, c.session = true, sessionName(f.sessions)
	f.readies++
	f.notify()
	f.mu.Unlock()
	return true
}

// resume answers RESUME: for the valid session with every dispatch after seq and RESUMED,
// otherwise with op 9 Invalid Session (d: false), keeping the connection open as Discord
// does. It returns false when the connection failed.
func (f *Server) resume(c *gwConn, session string, seq int64) bool {
	f.dmu.Lock()
	defer f.dmu.Unlock()
	f.mu.Lock()
	if f.op7OnResume > 0 {
		f.op7OnResume--
		f.mu.Unlock()
		return c.write(map[string]any{"op": 7, "d": nil}) == nil
	}
	if session == "" || session != f.session {
		f.mu.Unlock()
		return c.write(map[string]any{"op": 9, "d": false}) == nil
	}
	var replay []map[string]any
	for _, d := range f.history {
		if d.seq > seq {
			replay = append(replay, d.frame)
		}
	}
	f.seq++
	resumed := map[string]any{"op": 0, "t": "RESUMED", "s": f.seq, "d": map[string]any{}}
	f.mu.Unlock()
	for _, fr := range replay {
		if c.write(fr) != nil {
			return false
		}
	}
	if c.write(resumed) != nil {
		return false
	}
	f.mu.Lock()
	c.ready, c.session = true, session
	f.resumes++
	f.notify()
	f.mu.Unlock()
	return true
}

func (f *Server) rest(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	p := r.URL.Path
	if r.Method == http.MethodGet && (p == "/api/v9/gateway" || p == "/api/v9/gateway/bot") {
		writeJSON(w, http.StatusOK, map[string]any{"url": "ws://" + r.Host + "/gw", "shards": 1})
		return
	}
	req := Request{Method: r.Method, Path: p, Query: r.URL.RawQuery, Authorization: r.Header.Get("Authorization"), Body: body}

	f.mu.Lock()
	var hit *scripted
	for _, s := range f.scripts {
		if s.times != 0 && strings.Contains(p, s.pathContains) && (s.method == "" || s.method == r.Method) {
			hit = s
			if s.times > 0 {
				s.times--
			}
			break
		}
	}
	var rep Reply
	var reply any
	switch {
	case hit != nil && hit.rateLimit:
		rep = hit.reply
		reply = map[string]any{"message": "You are being rate limited.", "retry_after": hit.retryAfter.Seconds(), "global": false}
	case hit != nil:
		rep = hit.reply
		reply = json.RawMessage(hit.reply.Body)
	default:
		rep.Status, reply = f.answer(r.Method, p, body)
	}
	if rep.Delay == 0 {
		req.Status = rep.Status
	}
	idx := len(f.requests)
	f.requests = append(f.requests, req)
	f.notify()
	f.mu.Unlock()

	if rep.Delay > 0 {
		t := time.NewTimer(rep.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done(): // the client gave up: the request stays unanswered (Status 0)
			t.Stop()
			return
		}
		f.mu.Lock()
		f.requests[idx].Status = rep.Status
		f.notify()
		f.mu.Unlock()
	}
	for k, v := range rep.Header {
		w.Header()[k] = v
	}
	if rep.Status == http.StatusNoContent {
		w.WriteHeader(rep.Status)
		return
	}
	writeJSON(w, rep.Status, reply)
}

// answer decides the fake's reply to a request that is not scripted; f.mu is held.
func (f *Server) answer(method, p string, body []byte) (int, any) {
	parts := strings.Split(strings.TrimPrefix(p, "/api/v9/"), "/")
	message := func(channelID string) map[string]any {
		f.nextMsg++
		return map[string]any{"id": fmt.Sprintf("80000000000000%04d", f.nextMsg), "channel_id": channelID,
			"type": 0, "content": "", "author": map[string]any{"id": BotUserID, "bot": true}}
	}
	switch {
	case method == http.MethodPost && len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		if f.acked[parts[1]] {
			return http.StatusBadRequest, map[string]any{"message": "Interaction has already been acknowledged.", "code": 40060}
		}
		f.acked[parts[1]] = true
		return http.StatusNoContent, nil
	case parts[0] == "webhooks" && (method == http.MethodPatch || method == http.MethodPost):
		return http.StatusOK, message("")
	case method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		return http.StatusOK, message(parts[1])
	case method == http.MethodDelete && len(parts) == 4 && parts[0] == "channels" && parts[2] == "messages":
		return http.StatusNoContent, nil
	case method == http.MethodPost && p == "/api/v9/users/@me/channels":
		var in struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &in)
		return http.StatusOK, map[string]any{"id": "7" + in.RecipientID, "type": 1,
			"recipients": []any{map[string]any{"id": in.RecipientID}}}
	case method == http.MethodPut && parts[len(parts)-1] == "commands":
		var cmds []map[string]any
		if json.Unmarshal(body, &cmds) != nil {
			return http.StatusBadRequest, map[string]any{"message": "Invalid Form Body", "code": 50035}
		}
		for i, c := range cmds {
			c["id"] = fmt.Sprintf("70000000000000%04d", i)
			c["application_id"] = AppID
		}
		return http.StatusOK, cmds
	case method == http.MethodGet && len(parts) == 3 && parts[0] == "guilds" && parts[2] == "roles":
		if data, ok := f.roles[parts[1]]; ok {
			return http.StatusOK, data
		}
		return http.StatusOK, []any{}
	}
	return http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if raw, ok := v.(json.RawMessage); ok {
		buf.Write(raw)
	} else if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// ErrTimeout is returned by the Wait methods when nothing matched in time.
var ErrTimeout = errors.New("fakediscord: timed out")

// LogBuffer is a goroutine-safe io.Writer that keeps everything written to it, for tests
// that capture a bot's log and check what it must never contain.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

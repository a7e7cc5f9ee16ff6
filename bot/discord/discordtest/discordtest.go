// Package discordtest is a small fake of Discord's REST API and gateway for tests. It listens on
// 127.0.0.1 only and never contacts the internet.
//
// REST: GET /api/v9/gateway (and /gateway/bot) answer with the fake's websocket address; every
// other request is recorded (method, path, Authorization header and body) and answered the way
// Discord would answer it closely enough for discordgo: 204 for interaction callbacks, a message
// for channel messages, webhook posts and edits, a DM channel for POST /users/@me/channels, the
// request body for command bulk overwrites and the configured roles for GET /guilds/{id}/roles.
// Scripted rate limits (429 with retry_after) and failures can be set per path.
//
// Gateway: /gw upgrades to a websocket, sends HELLO, answers heartbeats with ACKs, answers
// IDENTIFY with READY (or with a scripted close code) and RESUME with RESUMED, and lets the test
// dispatch events and drop the connection.
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
	Status        int // the status the fake answered with
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

type scripted struct {
	method, pathContains string
	times                int // remaining; <0 means always
	status               int
	body                 string
	retryAfter           time.Duration
}

// Server is a fake Discord. Create it with New and stop it with Close.
type Server struct {
	srv *httptest.Server

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced whenever something is recorded
	requests  []Request
	frames    []Frame
	scripts   []*scripted
	roles     map[string]json.RawMessage
	closeCode int // sent after IDENTIFY/RESUME when non-zero
	conn      *gwConn
	conns     []*gwConn
	seq       int64
	nextMsg   int
	readies   int
	resumes   int
}

type gwConn struct {
	ws    *websocket.Conn
	wmu   sync.Mutex
	ready bool
}

func (c *gwConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// New starts a fake Discord on 127.0.0.1.
func New() *Server {
	f := &Server{changed: make(chan struct{}), roles: map[string]json.RawMessage{}}
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
		status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// Fail makes requests whose path contains pathContains (and whose method is method, unless
// empty) fail with status and body; times < 0 means every such request.
func (f *Server) Fail(method, pathContains string, times, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts = append(f.scripts, &scripted{method: method, pathContains: pathContains, times: times,
		status: status, body: body})
}

// SetRoles sets the roles GET /guilds/{guildID}/roles returns, as id → name.
func (f *Server) SetRoles(guildID string, roles map[string]string) {
	var list []map[string]any
	for id, name := range roles {
		list = append(list, map[string]any{"id": id, "name": name, "permissions": "0", "position": 1})
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
// waiting up to 5 s for one to be ready.
func (f *Server) Dispatch(t string, d any) error {
	if err := f.WaitReady(5*time.Second, 1); err != nil {
		return fmt.Errorf("fakediscord: dispatch %s: no ready connection: %w", t, err)
	}
	f.mu.Lock()
	c := f.conn
	f.seq++
	frame := map[string]any{"op": 0, "t": t, "s": f.seq, "d": d}
	f.mu.Unlock()
	if err := c.write(frame); err != nil {
		return fmt.Errorf("fakediscord: dispatch %s: %w", t, err)
	}
	return nil
}

// DropConnection closes the current gateway connection's socket without a close frame, as a
// network failure would.
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
	f.mu.Unlock()
	defer ws.Close()
	if err := c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
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
			_ = c.write(map[string]any{"op": 11})
		case 2, 6:
			if closeCode != 0 {
				c.wmu.Lock()
				_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(closeCode, "scripted close"),
					time.Now().Add(time.Second))
				c.wmu.Unlock()
				return
			}
			f.mu.Lock()
			f.seq++
			var frame map[string]any
			if fr.Op == 2 {
				frame = map[string]any{"op": 0, "t": "READY", "s": f.seq, "d": map[string]any{
					"v": 9, "session_id": SessionID,
					"user":        map[string]any{"id": BotUserID, "username": "Vejviser", "bot": true},
					"application": map[string]any{"id": AppID, "flags": 0},
					"guilds":      []any{}, "private_channels": []any{},
				}}
			} else {
				frame = map[string]any{"op": 0, "t": "RESUMED", "s": f.seq, "d": map[string]any{}}
			}
			f.mu.Unlock()
			if c.write(frame) != nil {
				return
			}
			f.mu.Lock()
			c.ready = true
			if fr.Op == 2 {
				f.readies++
			} else {
				f.resumes++
			}
			f.notify()
			f.mu.Unlock()
		}
	}
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
	status, reply := http.StatusOK, any(nil)
	switch {
	case hit != nil && hit.status == http.StatusTooManyRequests:
		status = hit.status
		reply = map[string]any{"message": "You are being rate limited.", "retry_after": hit.retryAfter.Seconds(), "global": false}
	case hit != nil:
		status = hit.status
		reply = json.RawMessage(hit.body)
	default:
		status, reply = f.answer(r.Method, p, body)
	}
	req.Status = status
	f.requests = append(f.requests, req)
	f.notify()
	f.mu.Unlock()

	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, reply)
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
		return http.StatusNoContent, nil
	case parts[0] == "webhooks" && (method == http.MethodPatch || method == http.MethodPost):
		return http.StatusOK, message("")
	case method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		return http.StatusOK, message(parts[1])
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
	w.Header().Set("Content-Type", "application/json")
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

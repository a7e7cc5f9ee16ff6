package discord

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot/discord/discordtest"
)

// Failure modes of the gateway and of REST, against the real discordgo client and the fake
// Discord (section 5 of the reliability notes).

const aUser = "900000000000000042"

// frames returns the frames with op the gateway received.
func frames(f *discordtest.Server, op int) []discordtest.Frame {
	var out []discordtest.Frame
	for _, fr := range f.Frames() {
		if fr.Op == op {
			out = append(out, fr)
		}
	}
	return out
}

type resumeData struct {
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

func resumes(t *testing.T, f *discordtest.Server) []resumeData {
	t.Helper()
	var out []resumeData
	for _, fr := range frames(f, 6) {
		var r resumeData
		if err := json.Unmarshal(fr.D, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// requestsFor returns the REST requests made for interaction i (callbacks, edits, follow-ups).
func requestsFor(f *discordtest.Server, i ix) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range f.Requests() {
		if strings.Contains(r.Path, "/"+i.token) {
			out = append(out, r)
		}
	}
	return out
}

// visibleFor counts what the user could see for interaction i: successful callbacks that are
// not a bare deferral, successful edits and follow-ups.
func visibleFor(f *discordtest.Server, i ix) int {
	n := 0
	for _, r := range requestsFor(f, i) {
		if !ok(r.Status) {
			continue
		}
		if strings.HasSuffix(r.Path, "/callback") {
			var c callback
			if json.Unmarshal(r.Body, &c) == nil && c.Type == 5 {
				continue
			}
		}
		n++
	}
	return n
}

func statuses(rs []discordtest.Request) []int {
	var out []int
	for _, r := range rs {
		out = append(out, r.Status)
	}
	return out
}

// quiet waits until the fake has recorded nothing new for d (at most 5 s), so a test can
// check that attempts have stopped.
func quiet(f *discordtest.Server, d time.Duration) {
	last := -1 // the first look only records the count
	poll(5*time.Second, d, func() bool {
		n := len(f.Requests())
		still := n == last
		last = n
		return still
	})
}

// poll calls cond every `every` until it reports true or d has passed, and reports whether it
// did.
func poll(d, every time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if !time.Now().Before(deadline) {
			return false
		}
		time.Sleep(every)
	}
	return true
}

func (h *harness) askAbout() sentMessage {
	h.t.Helper()
	m := h.reply(h.slash("om", aUser, "da", nil))
	if len(m.Embeds) == 0 {
		h.t.Fatalf("/om answered without embeds: %+v\nlogs:\n%s", m, h.logs.String())
	}
	return m
}

// TestGatewayReconnectOp7: the server asks for a reconnect (op 7). The bot resumes the session
// (one op 6 with the session id and the last sequence it processed), never IDENTIFYs again, gets
// the dispatch it missed replayed exactly once and keeps answering.
func TestGatewayReconnectOp7(t *testing.T) {
	t.Parallel()
	watchdog(t, 30*time.Second)
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng})
	h.askAbout()
	seq := h.fake.Seq()
	if err := h.fake.SendOp(7, nil); err != nil {
		t.Fatal(err)
	}
	// Sent right behind op 7: the client drops it with the old connection; the RESUME replays it.
	missed := h.slash("om", aUser, "da", nil)
	if err := h.fake.WaitReady(wait, 2); err != nil {
		t.Fatalf("no RESUMED after op 7: %v\nlogs:\n%s\n%s", err, h.logs.String(), goroutineDump())
	}
	if m := h.reply(missed); len(m.Embeds) == 0 {
		t.Errorf("the dispatch missed during the reconnect was not answered")
	}
	h.askAbout()
	quiet(h.fake, 200*time.Millisecond)

	rs := resumes(t, h.fake)
	if len(rs) != 1 || rs[0].SessionID != discordtest.SessionID || rs[0].Seq != seq {
		t.Errorf("RESUME frames = %+v; want one with session %q and seq %d", rs, discordtest.SessionID, seq)
	}
	if n := len(frames(h.fake, 2)); n != 1 {
		t.Errorf("IDENTIFY sent %d times; want 1 (op 7 means resume)", n)
	}
	if readies, resumed := h.fake.Counts(); readies != 1 || resumed != 1 {
		t.Errorf("READY %d, RESUMED %d; want 1 and 1", readies, resumed)
	}
	if n := len(requestsFor(h.fake, missed)); n != 1 {
		t.Errorf("the replayed interaction got %d REST calls (%v); want exactly 1", n, statuses(requestsFor(h.fake, missed)))
	}
	contains(t, "logs", h.logs.String(), `"kind":"resumed"`)
}

// TestGatewayInvalidSessionAfterResume: the connection drops, the bot tries to RESUME, and
// Discord answers op 9 (d: false). The bot IDENTIFIEs within a few seconds and keeps serving,
// without a deadlock (#513, #544) and without a resume loop.
func TestGatewayInvalidSessionAfterResume(t *testing.T) {
	t.Parallel()
	watchdog(t, 15*time.Second)
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng})
	h.askAbout()
	h.fake.InvalidateSession()
	h.fake.DropConnection()
	if _, err := h.fake.WaitFrame(wait, 6); err != nil {
		t.Fatalf("no RESUME after the drop: %v\nlogs:\n%s", err, h.logs.String())
	}
	resumedAt := time.Now()
	err := h.fake.Wait(wait, func() bool { return len(frames(h.fake, 2)) >= 2 })
	if err != nil {
		t.Fatalf("no new IDENTIFY after op 9: %v\nlogs:\n%s\n%s", err, h.logs.String(), goroutineDump())
	}
	if d := time.Since(resumedAt); d > 5*time.Second {
		t.Errorf("IDENTIFY came %v after op 9; want within 5 s", d)
	}
	if err := h.fake.WaitReady(wait, 2); err != nil {
		t.Fatalf("no READY for the new session: %v\n%s", err, goroutineDump())
	}
	h.askAbout()
	quiet(h.fake, 200*time.Millisecond)
	if s := h.fake.Sessions(); len(s) != 2 {
		t.Errorf("sessions = %v; want the first and one new", s)
	}
	if n := h.fake.Dials(); n != 2 {
		t.Errorf("gateway connections = %d; want 2 (no reconnect loop)", n)
	}
	if n := len(frames(h.fake, 6)); n != 1 {
		t.Errorf("RESUME sent %d times; want 1", n)
	}
}

// TestGatewayReconnectDuringResume: the gateway answers RESUME with op 7 Reconnect. discordgo
// v0.29 deadlocks on that inside Session.Open (its op-7 handling takes the session lock Open
// holds, #513), so the session is beyond repair: the bot notices, starts a new session (a new
// IDENTIFY) and keeps answering, and Run still returns when cancelled mid-deadlock.
func TestGatewayReconnectDuringResume(t *testing.T) {
	t.Parallel()
	watchdog(t, 30*time.Second)
	eng, _ := newEngine(t)
	tune := func(b *Bot) { b.openTimeout = time.Second }

	t.Run("a new session", func(t *testing.T) {
		t.Parallel()
		h := start(t, harnessOpts{engine: eng, tune: tune})
		h.askAbout()
		h.fake.ReconnectOnResume(1)
		h.fake.DropConnection()
		err := h.fake.Wait(wait, func() bool { readies, _ := h.fake.Counts(); return readies >= 2 })
		if err != nil {
			t.Fatalf("no new session after op 7 in answer to RESUME: %v\nlogs:\n%s\n%s", err, h.logs.String(), goroutineDump())
		}
		if err := h.fake.WaitReady(wait, 2); err != nil {
			t.Fatal(err)
		}
		h.askAbout()
		contains(t, "logs", h.logs.String(), "gateway session wedged; starting a new session")
		if s := h.fake.Sessions(); len(s) != 2 {
			t.Errorf("sessions = %v; want 2", s)
		}
	})

	t.Run("cancel while wedged", func(t *testing.T) {
		t.Parallel()
		h := start(t, harnessOpts{engine: eng, tune: func(b *Bot) { b.openTimeout = 30 * time.Second }})
		h.fake.ReconnectOnResume(1)
		h.fake.DropConnection()
		if _, err := h.fake.WaitFrame(wait, 6); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // op 7 has reached Open by now
		began := time.Now()
		h.cancel()
		select {
		case err := <-h.done:
			h.done <- err
			if d := time.Since(began); d > wedgeGrace+closeTimeout+time.Second {
				t.Errorf("Run took %v to return after cancel", d)
			}
		case <-time.After(wait):
			t.Fatalf("Run hangs after cancel with a wedged session\n%s", goroutineDump())
		}
	})
}

// TestSilentGateway: the websocket upgrade succeeds but HELLO never comes. Each attempt gives
// up within the open timeout and is retried with backoff; the bot connects once the gateway
// talks again; cancelling Run's context ends it promptly, even in the middle of an attempt.
func TestSilentGateway(t *testing.T) {
	t.Parallel()
	watchdog(t, 30*time.Second)
	eng, _ := newEngine(t)

	t.Run("gives up each attempt and retries", func(t *testing.T) {
		t.Parallel()
		h := start(t, harnessOpts{engine: eng, noWait: true,
			beforeRun: func(f *discordtest.Server) { f.Silent(true) },
			tune:      func(b *Bot) { b.openTimeout, b.backoffMax = 300*time.Millisecond, 500*time.Millisecond }})
		// Each attempt ends at 0.3 s; the backoffs are 0.5-1 s, then 0.25-0.5 s.
		if err := h.fake.Wait(5*time.Second, func() bool { return h.fake.Dials() >= 3 }); err != nil {
			t.Fatalf("gateway dialled %d times in 5 s; want retries\nlogs:\n%s\n%s", h.fake.Dials(), h.logs.String(), goroutineDump())
		}
		contains(t, "logs", h.logs.String(), "gateway connect failed")
		h.fake.Silent(false)
		if _, err := h.fake.WaitRequest(wait, func(r discordtest.Request) bool { return r.Method == "PUT" }); err != nil {
			t.Fatalf("no connection once the gateway talks again: %v\nlogs:\n%s", err, h.logs.String())
		}
		h.askAbout()
	})

	t.Run("cancel during an attempt", func(t *testing.T) {
		t.Parallel()
		h := start(t, harnessOpts{engine: eng, noWait: true,
			beforeRun: func(f *discordtest.Server) { f.Silent(true) },
			tune:      func(b *Bot) { b.openTimeout = 30 * time.Second }}) // the production default
		if err := h.fake.Wait(wait, func() bool { return h.fake.Dials() >= 1 }); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		began := time.Now()
		h.cancel()
		select {
		case err := <-h.done:
			h.done <- err
			if err != nil {
				t.Errorf("Run = %v; want nil after cancel", err)
			}
			if d := time.Since(began); d > 2*time.Second {
				t.Errorf("Run took %v to return after cancel", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Run still hangs 5 s after cancel on a silent gateway\n%s", goroutineDump())
		}
	})
}

// TestZombieConnection: the gateway stops acknowledging heartbeats. discordgo gives up after
// FailedHeartbeatAcks intervals (5 × 200 ms here); the bot resumes and keeps answering.
func TestZombieConnection(t *testing.T) {
	t.Parallel()
	watchdog(t, 30*time.Second)
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng,
		beforeRun: func(f *discordtest.Server) { f.SetHeartbeatInterval(200 * time.Millisecond) }})
	h.askAbout()
	seq := h.fake.Seq()
	began := time.Now()
	h.fake.StopHeartbeatAcks()
	if err := h.fake.WaitReady(wait, 2); err != nil {
		t.Fatalf("no RESUMED after the heartbeat ACKs stopped: %v\nlogs:\n%s\n%s", err, h.logs.String(), goroutineDump())
	}
	t.Logf("resumed %v after the ACKs stopped", time.Since(began).Round(time.Millisecond))
	h.askAbout()
	h.askAbout()
	quiet(h.fake, 300*time.Millisecond)
	rs := resumes(t, h.fake)
	if len(rs) != 1 || rs[0].SessionID != discordtest.SessionID || rs[0].Seq != seq {
		t.Errorf("RESUME frames = %+v; want one with session %q and seq %d", rs, discordtest.SessionID, seq)
	}
	if n := len(frames(h.fake, 2)); n != 1 {
		t.Errorf("IDENTIFY sent %d times; want 1", n)
	}
	if n := h.fake.Dials(); n != 2 {
		t.Errorf("gateway connections = %d; want 2", n)
	}
}

// TestRESTFailures: 502/503 on the interaction callback, the deferred edit and a follow-up, and
// a callback that stalls longer than the HTTP client's timeout. Retries are bounded, the user
// gets the short "try again" where Discord still lets the bot speak, the bot keeps serving and
// no goroutine outlives the bot. Not parallel: it counts goroutines.
func TestRESTFailures(t *testing.T) {
	watchdog(t, 40*time.Second)
	eng, _ := newEngine(t)
	te := &testEngine{Engine: eng, slowOn: "langsomt", delay: 700 * time.Millisecond}
	before := runtime.NumGoroutine()
	h := start(t, harnessOpts{engine: te, tune: func(b *Bot) { b.restTimeout = 500 * time.Millisecond }})
	sorry := textsFor("da").sorry

	h.run(t, "503 on the callback: an apology", func(t *testing.T) {
		i := h.nextIx()
		h.fake.Fail("POST", i.token+"/callback", 1, 503, `{"message":"upstream connect error","code":0}`)
		h.slash("spørg", aUser+"1", "da", nil, opt("spørgsmål", qFGU))
		m := h.reply(i)
		if m.Content != sorry || m.Flags&64 == 0 {
			t.Errorf("after a 503 the user got %q (flags %d); want the private apology", m.Content, m.Flags)
		}
		quiet(h.fake, 200*time.Millisecond)
		if got := statuses(requestsFor(h.fake, i)); len(got) != 2 || got[0] != 503 || got[1] != 204 {
			t.Errorf("callback statuses = %v; want [503 204]", got)
		}
	})

	h.run(t, "502 on every callback: bounded", func(t *testing.T) {
		i := h.nextIx()
		h.fake.Fail("POST", i.token+"/callback", -1, 502, `<html><body>502 Bad Gateway</body></html>`)
		h.slash("spørg", aUser+"2", "da", nil, opt("spørgsmål", qFGU))
		// discordgo retries a 502 MaxRestRetries times; the answer and the apology each try.
		want := 2 * (h.bot.current().session().MaxRestRetries + 1)
		err := h.fake.Wait(wait, func() bool { return len(requestsFor(h.fake, i)) >= want })
		quiet(h.fake, 300*time.Millisecond)
		if n := len(requestsFor(h.fake, i)); err != nil || n != want {
			t.Errorf("callback attempts = %d; want exactly %d", n, want)
		}
		contains(t, "logs", h.logs.String(), `"error_class":"http_502"`)
	})

	h.run(t, "503 on the deferred edit: the apology replaces it", func(t *testing.T) {
		i := h.nextIx()
		h.fake.Fail("PATCH", i.token+"/messages/@original", 1, 503, `{"message":"Service Unavailable","code":0}`)
		h.slash("spørg", aUser+"3", "da", nil, opt("spørgsmål", qSlow))
		if c := h.callback(i); c.Type != 5 {
			t.Fatalf("slow answer: response type %d; want 5", c.Type)
		}
		var edits []discordtest.Request
		err := h.fake.Wait(wait, func() bool {
			edits = nil
			for _, r := range requestsFor(h.fake, i) {
				if r.Method == "PATCH" {
					edits = append(edits, r)
				}
			}
			return len(edits) >= 2
		})
		if err != nil {
			t.Fatalf("edits = %v; want a 503 then the apology\nlogs:\n%s", statuses(edits), h.logs.String())
		}
		var m sentMessage
		_ = edits[1].Decode(&m)
		if edits[0].Status != 503 || edits[1].Status != 200 || m.Content != sorry {
			t.Errorf("edits = %v, second %q; want [503 200] and the apology", statuses(edits), m.Content)
		}
	})

	h.run(t, "5xx on a follow-up: bounded, an error class", func(t *testing.T) {
		l := h.bot.current()
		for _, tc := range []struct {
			status, attempts int
			class            string
		}{{503, 1, "http_503"}, {502, l.session().MaxRestRetries + 1, "http_502"}} {
			i := ixFor(h.n.Add(1))
			h.fake.Fail("POST", "/webhooks/"+discordtest.AppID+"/"+i.token, -1, tc.status, `{"message":"x","code":0}`)
			r := &ireply{b: h.bot, s: l.session(), lang: "da", state: replyDone,
				i: interactionFor(i)}
			err := r.message(l.ctx, rendered{content: "hej"}, true)
			if got := errorClass(err); got != tc.class {
				t.Errorf("follow-up with %d: error class %q; want %q", tc.status, got, tc.class)
			}
			if n := len(requestsFor(h.fake, i)); n != tc.attempts {
				t.Errorf("follow-up with %d: %d attempts; want %d", tc.status, n, tc.attempts)
			}
		}
	})

	h.run(t, "stalled callback longer than the client timeout", func(t *testing.T) {
		i := h.nextIx()
		h.fake.Script("POST", i.token+"/callback", 1, discordtest.Reply{Status: 204, Delay: 5 * time.Second})
		began := time.Now()
		h.slash("spørg", aUser+"4", "da", nil, opt("spørgsmål", qFGU))
		m := h.reply(i)
		if m.Content != sorry {
			t.Errorf("after a stalled callback the user got %q; want the apology", m.Content)
		}
		if d := time.Since(began); d > 3*time.Second {
			t.Errorf("apology came after %v; the client timeout is 500 ms", d)
		}
		contains(t, "logs", h.logs.String(), `"error_class":"timeout"`)
	})

	h.run(t, "keeps serving", func(t *testing.T) {
		m := h.reply(h.slash("spørg", aUser+"5", "da", nil, opt("spørgsmål", qFGU)))
		lacks(t, "answer", m.Content, "Beklager")
		if len(m.Embeds) == 0 {
			t.Errorf("no answer after the failures")
		}
		lacks(t, "logs", h.logs.String(), "panic", "<html>")
	})

	h.stop()
	if h.runErr != nil {
		t.Errorf("Run = %v", h.runErr)
	}
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	const slack = 4
	var n int
	if !poll(5*time.Second, 50*time.Millisecond, func() bool { n = runtime.NumGoroutine(); return n <= before+slack }) {
		t.Errorf("goroutines: %d before, %d after the bot stopped\n%s", before, n, goroutineDump())
	}
	t.Logf("goroutines: %d before, %d after", before, n)
}

// interactionFor returns a slash-command interaction with i's ids, for calling ireply directly.
func interactionFor(i ix) *discordgo.Interaction {
	return &discordgo.Interaction{ID: i.id, AppID: discordtest.AppID, Token: i.token, Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{Name: "spørg"}}
}

// TestDuplicateDelivery: the same INTERACTION_CREATE (or MESSAGE_CREATE) arrives twice. The user
// sees exactly one answer; a callback Discord rejects with 40060 (already acknowledged) is
// dropped silently, with no apology and no error; the bot keeps serving.
func TestDuplicateDelivery(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	te := &testEngine{Engine: eng, slowOn: "langsomt", delay: 700 * time.Millisecond}
	h := start(t, harnessOpts{engine: te})

	twice := func(question, user string) ix {
		i := ixFor(h.n.Add(1))
		for range 2 {
			p := map[string]any{"type": 2, "guild_id": guildID, "locale": "da", "member": member(user),
				"id": i.id, "token": i.token, "application_id": discordtest.AppID, "version": 1, "channel_id": channelID,
				"data": map[string]any{"id": "700", "name": "spørg", "type": 1, "options": []any{opt("spørgsmål", question)}}}
			if err := h.fake.Dispatch("INTERACTION_CREATE", p); err != nil {
				t.Fatal(err)
			}
		}
		return i
	}
	check := func(t *testing.T, i ix) {
		t.Helper()
		m := h.reply(i)
		if len(m.Embeds) == 0 {
			t.Errorf("no answer: %+v", m)
		}
		time.Sleep(300 * time.Millisecond) // the slow path answers after 700 ms
		quiet(h.fake, 300*time.Millisecond)
		if n := visibleFor(h.fake, i); n != 1 {
			t.Errorf("visible answers = %d (%v); want exactly 1", n, statuses(requestsFor(h.fake, i)))
		}
		for _, r := range requestsFor(h.fake, i) {
			if strings.Contains(string(r.Body), "Beklager") {
				t.Errorf("an apology was sent for a duplicate: %s %d", r, r.Status)
			}
		}
	}

	h.run(t, "fast answer", func(t *testing.T) { check(t, twice(qFGU, aUser+"1")) })
	h.run(t, "deferred answer", func(t *testing.T) { check(t, twice(qSlow, aUser+"2")) })

	h.run(t, "40060 on the callback is silent", func(t *testing.T) {
		i := h.nextIx()
		h.fake.Fail("POST", i.token+"/callback", 1, 400,
			`{"message":"Interaction has already been acknowledged.","code":40060}`)
		h.slash("spørg", aUser+"3", "da", nil, opt("spørgsmål", qFGU))
		if _, err := h.fake.WaitRequest(wait, func(r discordtest.Request) bool {
			return strings.Contains(r.Path, i.token) && r.Status == 400
		}); err != nil {
			t.Fatal(err)
		}
		quiet(h.fake, 300*time.Millisecond)
		if got := statuses(requestsFor(h.fake, i)); len(got) != 1 {
			t.Errorf("requests for the interaction: %v; want only the rejected callback (no apology)", got)
		}
	})

	h.run(t, "mention delivered twice", func(t *testing.T) {
		ch := "222222222222222240"
		id := "600000000000000777"
		m := map[string]any{"id": id, "channel_id": ch, "guild_id": guildID, "type": 0,
			"content": "<@" + discordtest.BotUserID + "> " + qFGU, "member": map[string]any{"roles": []string{}},
			"author":   map[string]any{"id": aUser + "4", "username": "u"},
			"mentions": []any{map[string]any{"id": discordtest.BotUserID, "username": "Vejviser", "bot": true}}}
		for range 2 {
			if err := h.fake.Dispatch("MESSAGE_CREATE", m); err != nil {
				t.Fatal(err)
			}
		}
		h.posted(ch, replyTo(id))
		quiet(h.fake, 300*time.Millisecond)
		if n := countPath(h.fake, "/channels/"+ch+"/messages"); n != 1 {
			t.Errorf("replies to one message delivered twice = %d; want 1", n)
		}
	})

	h.run(t, "keeps serving", func(t *testing.T) {
		h.askAbout()
		logs := h.logs.String()
		lacks(t, "logs", logs, "panic", `"msg":"handler failed"`, `"msg":"apology failed"`)
	})
}

// TestRateLimitHTML: a 429 whose body is an HTML page (Cloudflare's) instead of Discord's JSON
// is a backoff like any 429: waited for (Retry-After), retried a bounded number of times, given
// up at once when the wait is too long, and never a crash.
func TestRateLimitHTML(t *testing.T) {
	t.Parallel()
	eng, _ := newEngine(t)
	h := start(t, harnessOpts{engine: eng})
	const page = `<!DOCTYPE html><html><head><title>Access denied | discord.com used Cloudflare to restrict access</title></head>` +
		`<body><h1>Error 1015</h1><p>You are being rate limited</p></body></html>`
	html := func(retryAfter string) discordtest.Reply {
		hd := http.Header{"Content-Type": {"text/html; charset=UTF-8"}}
		if retryAfter != "" {
			hd.Set("Retry-After", retryAfter)
		}
		return discordtest.Reply{Status: 429, Header: hd, Body: page}
	}

	h.run(t, "once, then the answer", func(t *testing.T) {
		i := h.nextIx()
		h.fake.Script("POST", i.token+"/callback", 1, html("0.05"))
		h.slash("spørg", aUser, "da", nil, opt("spørgsmål", qFGU))
		m := h.reply(i)
		if len(m.Embeds) == 0 || m.Content == textsFor("da").sorry {
			t.Errorf("after one HTML 429 the user got %q; want the answer", m.Content)
		}
		if got := statuses(requestsFor(h.fake, i)); len(got) != 2 || got[0] != 429 || got[1] != 204 {
			t.Errorf("callback statuses = %v; want [429 204]", got)
		}
	})

	h.run(t, "always: bounded", func(t *testing.T) {
		ch := "222222222222222250"
		h.fake.Script("POST", "/channels/"+ch+"/messages", -1, html("0.05"))
		h.message(guildID, ch, aUser, "<@"+discordtest.BotUserID+"> "+qFGU, true, nil)
		want := 2 * (h.bot.retries + 1) // the reply and the apology
		err := h.fake.Wait(wait, func() bool { return countPath(h.fake, ch) >= want })
		quiet(h.fake, 300*time.Millisecond)
		if n := countPath(h.fake, ch); err != nil || n != want {
			t.Errorf("attempts = %d; want exactly %d", n, want)
		}
	})

	h.run(t, "a long ban gives up at once", func(t *testing.T) {
		ch := "222222222222222251"
		h.fake.Script("POST", "/channels/"+ch+"/messages", -1, html("3600"))
		h.message(guildID, ch, aUser, "<@"+discordtest.BotUserID+"> "+qFGU, true, nil)
		if err := h.fake.Wait(wait, func() bool { return countPath(h.fake, ch) >= 2 }); err != nil {
			t.Fatal(err)
		}
		quiet(h.fake, 300*time.Millisecond)
		if n := countPath(h.fake, ch); n != 2 {
			t.Errorf("attempts = %d; want 2 (the reply and the apology, no waiting an hour)", n)
		}
		contains(t, "logs", h.logs.String(), `"error_class":"rate_limited_too_long"`)
	})

	h.run(t, "keeps serving", func(t *testing.T) {
		h.askAbout()
		lacks(t, "logs", h.logs.String(), "panic", "Cloudflare", "<html")
	})
}

// TestRateLimitBodyTransport: a non-JSON 429 becomes Discord's JSON 429 with retry_after from
// Retry-After (seconds or an HTTP date, a default without one); JSON 429s and other statuses
// pass through untouched.
func TestRateLimitBodyTransport(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", defaultRetryAfter},
		{"garbage", defaultRetryAfter},
		{"7", 7 * time.Second},
		{"0.25", 250 * time.Millisecond},
		{"-3", 0},
		{now.Add(90 * time.Second).UTC().Format(http.TimeFormat), 90 * time.Second},
	} {
		got := retryAfter(tc.header, now)
		if d := got - tc.want; d < -time.Second || d > time.Second {
			t.Errorf("retryAfter(%q) = %v; want about %v", tc.header, got, tc.want)
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
			_, _ = w.Write([]byte("<html>Error 1015</html>"))
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"message":"You are being rate limited.","retry_after":0.5,"global":false}`))
		default:
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		}
	}))
	defer srv.Close()
	c := &http.Client{Transport: &rateLimitBodyTransport{next: http.DefaultTransport}}
	get := func(path string) (int, string) {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	var rl discordgo.TooManyRequests
	if status, body := get("/html"); status != 429 || discordgo.Unmarshal([]byte(body), &rl) != nil || rl.RetryAfter != 3*time.Second {
		t.Errorf("HTML 429 became %d %q (retry_after %v); want a JSON 429 with retry_after 3 s", status, body, rl.RetryAfter)
	}
	if _, body := get("/json"); !strings.Contains(body, `"retry_after":0.5`) {
		t.Errorf("JSON 429 was changed: %q", body)
	}
	if status, body := get("/other"); status != 502 || !strings.Contains(body, "bad gateway") {
		t.Errorf("502 was changed: %d %q", status, body)
	}
}

// TestDeliveries: an id counts once for at least 15 minutes, then is forgotten; the memory is
// bounded.
func TestDeliveries(t *testing.T) {
	t.Parallel()
	var d deliveries
	t0 := time.Unix(1_700_000_000, 0)
	if !d.first("1", t0) || d.first("1", t0) || d.first("1", t0.Add(20*time.Minute)) {
		t.Error("an id is not new until at least 15 minutes have passed")
	}
	if !d.first("2", t0.Add(20*time.Minute)) || !d.first("", t0) || !d.first("", t0) {
		t.Error("a new id (or an empty one) is not new")
	}
	if !d.first("1", t0.Add(50*time.Minute)) {
		t.Error("an id is still remembered after 50 minutes")
	}
	for n := range deliveriesMax + 10 {
		d.first(strconv.Itoa(n+10), t0.Add(50*time.Minute))
	}
	if len(d.cur) > deliveriesMax || len(d.prev) > deliveriesMax {
		t.Errorf("%d + %d ids kept; want at most %d per generation", len(d.cur), len(d.prev), deliveriesMax)
	}
}

// TestAlreadyAcknowledged: 40060 is recognised (also wrapped), other REST errors are not.
func TestAlreadyAcknowledged(t *testing.T) {
	t.Parallel()
	rest := func(code int) error {
		return &discordgo.RESTError{Response: &http.Response{StatusCode: 400}, Message: &discordgo.APIErrorMessage{Code: code}}
	}
	if !alreadyAcknowledged(rest(40060)) || !alreadyAcknowledged(&restError{op: "x", class: "http_400_40060", err: rest(40060)}) {
		t.Error("40060 not recognised")
	}
	if alreadyAcknowledged(rest(10062)) || alreadyAcknowledged(&discordgo.RESTError{}) || alreadyAcknowledged(io.EOF) {
		t.Error("another error taken for 40060")
	}
	if got := errorClass(errors.New("Exceeded Max retries HTTP 502 Bad Gateway, <html>")); got != "http_502" {
		t.Errorf("errorClass(discordgo's 502 give-up) = %q; want http_502", got)
	}
}

// TestFakeAcknowledgesOnce: the fake answers a second callback for one interaction with 400
// and code 40060, as Discord does.
func TestFakeAcknowledgesOnce(t *testing.T) {
	t.Parallel()
	f := discordtest.New()
	defer f.Close()
	post := func(id string) (int, string) {
		resp, err := http.Post(f.URL()+"/api/v9/interactions/"+id+"/tok/callback", "application/json", strings.NewReader(`{"type":4}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, _ := post("1"); status != 204 {
		t.Errorf("first callback: %d; want 204", status)
	}
	if status, body := post("1"); status != 400 || !strings.Contains(body, "40060") {
		t.Errorf("second callback: %d %s; want 400 with code 40060", status, body)
	}
	if status, _ := post("2"); status != 204 {
		t.Errorf("another interaction's callback: %d; want 204", status)
	}
}

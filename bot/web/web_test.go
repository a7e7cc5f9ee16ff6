package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
)

// do sends one request to a preview handler over the engine built from testdata/knowledge.
func do(t *testing.T, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	return doWith(t, Handler(engine(t), Options{}), method, target)
}

func doWith(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

func ask(path, q, kommune string) string {
	v := url.Values{"q": {q}}
	if kommune != "" {
		v.Set("kommune", kommune)
	}
	return path + "?" + v.Encode()
}

func TestPageForm(t *testing.T) {
	w := do(t, "GET", "/")
	if w.Code != http.StatusOK {
		t.Fatalf("GET / status = %d; want 200", w.Code)
	}
	if got, want := w.Header().Get("Content-Type"), "text/html; charset=utf-8"; got != want {
		t.Errorf("GET / Content-Type = %q; want %q", got, want)
	}
	body := w.Body.String()
	for _, want := range []string{
		`<html lang="da">`,
		"<h1>Vejviser – lokal forhåndsvisning</h1>",
		"Intet af det, du skriver, bliver gemt",
		`<form class="ask" method="get" action="/#answer"`,
		`<label for="q">Dit spørgsmål</label>`,
		`<textarea id="q" name="q"`,
		`<label for="kommune">Kommune</label>`,
		`<select id="kommune" name="kommune">`,
		`<option value="">Vælg kommune (valgfri)</option>`,
		"<option>Aarhus</option>", "<option>Norddjurs</option>", "<option>Syddjurs</option>",
		`<button type="submit">Spørg</button>`,
		`<link rel="stylesheet" href="/style.css">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET / body lacks %q", want)
		}
	}
	if strings.Contains(body, `id="answer"`) {
		t.Errorf("GET / without q shows an answer")
	}
}

func TestPageAnswers(t *testing.T) {
	tests := []struct {
		name, q, kommune string
		status           int
		want, notWant    []string
	}{
		{
			name: "entry card with its source link and local services", q: "hvad er fgu", kommune: "Norddjurs",
			status: 200,
			want: []string{
				`<section id="answer" class="answer" lang="da"`,
				`<h4><span class="n" aria-hidden="true">1</span> FGU – Forberedende Grunduddannelse</h4>`,
				`<a href="https://www.borger.dk/skole-og-uddannelse/Erhvervsuddannelser/forberedende-grunduddannelse" rel="noreferrer">borger.dk: Forberedende grunduddannelse (FGU)</a>`,
				`Gennemgået <time datetime="2026-11-26">2026-11-26</time>`,
				"<h3>Hjælp i Norddjurs</h3>",
				`<a href="https://www.fguoj.dk" rel="noreferrer">FGU Østjylland</a>`,
				`<span class="badge kommune-site">kommunens side`,
				"Sprog: <strong>dansk</strong>",
				"Kommune: <strong>Norddjurs (valgt)</strong>",
				"<option selected>Norddjurs</option>",
				`>hvad er fgu</textarea>`,
			},
			notWant: []string{`class="crisis"`, `role="alert"`},
		},
		{
			name: "an unconfirmed service says so", q: "headspace", kommune: "Aarhus", status: 200,
			want: []string{"headspace Aarhus", `<span class="badge unconfirmed">ikke bekræftet`, "<h3>Hjælp i Aarhus</h3>"},
		},
		{
			name: "kommune found in the text", q: "jeg bor i Grenaa og vil gerne snakke med nogen", status: 200,
			want: []string{"Kommune: <strong>Norddjurs (fundet i spørgsmålet)</strong>", "headspace", "<option selected>Norddjurs</option>"},
		},
		{
			name: "English answer gets English labels", q: "what is fgu", status: 200,
			want: []string{
				`<section id="answer" class="answer" lang="en"`, "<h2 id=\"answer-h\">Answer</h2>", "Sources:",
				"FGU – Preparatory Basic Education", "Language: <strong>English</strong>",
				"Municipality: <strong>not given</strong>", "Help in the region",
			},
		},
		{
			name: "no answer points to a person", q: "hvem vandt kampen i går", status: 200,
			want: []string{
				`<p class="reply no-answer">Det har jeg desværre ikke et godt svar på`,
				"<h3>Tal med et menneske</h3>", "eVejledning",
			},
			notWant: []string{`<ol class="entries">`},
		},
		{
			name: "HTML in the question is escaped", q: `<script>alert("x")</script><img src=x onerror=alert(1)> fgu`, status: 200,
			want:    []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; fgu</textarea>"},
			notWant: []string{"<script>", "<img"},
		},
		{
			name: "empty question asks for one", q: "  ", status: 400,
			want: []string{`<p class="notice" role="alert" id="notice" tabindex="-1" autofocus>Skriv et spørgsmål i feltet.</p>`},
		},
		{
			name: "question too long", q: strings.Repeat("fgu ", MaxQuestionBytes/4+1), status: 413,
			want: []string{`<p class="notice" role="alert" id="notice" tabindex="-1" autofocus>Dit spørgsmål er for langt.`},
		},
		{
			name: "unknown kommune", q: "hvad er fgu", kommune: "Gotham", status: 400,
			want:    []string{"Den kommune kender jeg ikke."},
			notWant: []string{`id="answer"`, "Gotham"},
		},
		{
			name: "a kommune's other spelling selects it", q: "hvad er fgu", kommune: "Århus", status: 200,
			want: []string{"<option selected>Aarhus</option>", "Hjælp i Aarhus"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, "GET", ask("/", tt.q, tt.kommune))
			if w.Code != tt.status {
				t.Errorf("GET /?q=%.40q status = %d; want %d", tt.q, w.Code, tt.status)
			}
			body := w.Body.String()
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("GET /?q=%.40q body lacks %q", tt.q, want)
				}
			}
			for _, bad := range tt.notWant {
				if strings.Contains(body, bad) {
					t.Errorf("GET /?q=%.40q body contains %q", tt.q, bad)
				}
			}
		})
	}
}

func TestPageCrisisCardComesFirst(t *testing.T) {
	for _, q := range []string{"jeg vil tage mit eget liv", "i want to kill myself"} {
		w := do(t, "GET", ask("/", q, "Aarhus"))
		if w.Code != http.StatusOK {
			t.Fatalf("GET /?q=%q status = %d; want 200", q, w.Code)
		}
		body := w.Body.String()
		card := strings.Index(body, `<section class="crisis"`)
		entries := strings.Index(body, `<ol class="entries">`)
		reply := strings.Index(body, `<h2 id="answer-h">`)
		if card < 0 || entries < 0 || reply < 0 {
			t.Fatalf("GET /?q=%q: crisis card at %d, answer heading at %d, entries at %d; want all three", q, card, reply, entries)
		}
		if card > reply || card > entries {
			t.Errorf("GET /?q=%q: crisis card at %d comes after the answer (%d) or the entries (%d)", q, card, reply, entries)
		}
		for _, want := range []string{
			`href="tel:112"`, `href="tel:70201201"`, `href="tel:116111"`, "Livslinien",
			`<a href="https://www.livslinien.dk" rel="noreferrer">`, `<time datetime="2026-11-26">`, `id="entry-krisehjaelp"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("GET /?q=%q body lacks %q", q, want)
			}
		}
		first := strings.Index(body, `<li class="card entry" id="entry-`)
		if got := body[first:min(len(body), first+50)]; !strings.Contains(got, "krisehjaelp") {
			t.Errorf("GET /?q=%q first entry = %q; want krisehjaelp", q, got)
		}
	}
	w := do(t, "GET", ask("/", "i want to kill myself", ""))
	for _, want := range []string{"You are not alone", `lang="en"`, "Call 112"} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("English crisis page lacks %q", want)
		}
	}
}

func TestAPIAsk(t *testing.T) {
	e := engine(t)
	tests := []struct {
		q, kommune       string
		wantTop, wantLng string
		wantKommune      string
		wantCrisis       bool
		wantAnswered     bool
	}{
		{"hvad er fgu", "Norddjurs", "fgu", "da", "Norddjurs", false, true},
		{"headspce", "", "headspace", "da", "", false, true},
		{"what is fgu", "", "fgu", "en", "", false, true},
		{"jeg bor i Grenaa og vil gerne snakke med nogen", "", "headspace", "da", "Norddjurs", false, true},
		{"jeg vil tage mit eget liv", "", "krisehjaelp", "da", "", true, true},
		{"hvem vandt kampen i går", "Syddjurs", "", "da", "Syddjurs", false, false},
	}
	for _, tt := range tests {
		w := do(t, "GET", ask("/api/ask", tt.q, tt.kommune))
		if w.Code != http.StatusOK {
			t.Fatalf("GET /api/ask?q=%q status = %d; want 200; body %s", tt.q, w.Code, w.Body)
		}
		if got, want := w.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
			t.Errorf("GET /api/ask Content-Type = %q; want %q", got, want)
		}
		var a bot.Answer
		dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("GET /api/ask?q=%q: decode bot.Answer: %v", tt.q, err)
		}
		top := ""
		if len(a.Entries) > 0 {
			top = a.Entries[0].ID
		}
		if top != tt.wantTop || a.Language != tt.wantLng || a.Kommune != tt.wantKommune ||
			a.Crisis != tt.wantCrisis || a.Answered != tt.wantAnswered {
			t.Errorf("GET /api/ask?q=%q = top %q lang %q kommune %q crisis %v answered %v; want %q %q %q %v %v",
				tt.q, top, a.Language, a.Kommune, a.Crisis, a.Answered,
				tt.wantTop, tt.wantLng, tt.wantKommune, tt.wantCrisis, tt.wantAnswered)
		}
		if a.Crisis && (a.CrisisCard == nil || len(a.CrisisCard.Lines) < 2) {
			t.Errorf("GET /api/ask?q=%q: crisis answer without a crisis card of at least two lines", tt.q)
		}

		// The body is exactly the engine's answer in json.Encoder's form: what `ask --json` prints.
		want, err := e.Answer(context.Background(), bot.Question{Text: tt.q, Kommune: tt.kommune})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		json.NewEncoder(&buf).Encode(want)
		if got := w.Body.String(); got != buf.String() {
			t.Errorf("GET /api/ask?q=%q body =\n%s\nwant the engine's answer\n%s", tt.q, got, buf.String())
		}
	}
}

// TestAPIAskFields checks the JSON field names the CLI and the API promise.
func TestAPIAskFields(t *testing.T) {
	w := do(t, "GET", ask("/api/ask", "hvad er fgu", "Aarhus"))
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatalf("decode: %v; body %s", err, w.Body)
	}
	for _, k := range []string{"question", "language", "kommune", "crisis", "answered", "entries", "services"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("answer JSON lacks %q", k)
		}
	}
	var lists struct {
		Entries  []map[string]any `json:"entries"`
		Services []map[string]any `json:"services"`
	}
	json.Unmarshal(w.Body.Bytes(), &lists)
	if len(lists.Entries) == 0 || len(lists.Services) == 0 {
		t.Fatalf("answer has %d entries and %d services; want some of each", len(lists.Entries), len(lists.Services))
	}
	for _, k := range []string{"id", "title", "excerpt", "url", "score"} {
		if _, ok := lists.Entries[0][k]; !ok {
			t.Errorf("entries[0] lacks %q", k)
		}
	}
	for _, k := range []string{"name", "kind", "kommune", "url"} {
		if _, ok := lists.Services[0][k]; !ok {
			t.Errorf("services[0] lacks %q", k)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		method, target string
		status         int
	}{
		{"GET", "/api/ask", 400},
		{"GET", "/api/ask?q=", 400},
		{"GET", "/api/ask?q=+%0A+", 400},
		{"GET", "/api/ask?kommune=Aarhus", 400},
		{"GET", ask("/api/ask", strings.Repeat("a", MaxQuestionBytes+1), ""), 413},
		{"GET", ask("/api/ask", strings.Repeat("ø", MaxQuestionBytes/2+1), ""), 413},
		{"GET", "/api/ask?q=fgu&pad=" + strings.Repeat("x", maxQueryBytes), 413},
		{"GET", "/api/ask?q=%zz", 400},
		{"GET", "/api/ask?q=fgu&lang=de", 400},
		{"GET", "/api/ask?q=fgu&kommune=Gotham", 400},
		{"POST", "/api/ask?q=fgu", 405},
		{"PUT", "/api/ask?q=fgu", 405},
		{"DELETE", "/api/kommuner", 405},
		{"GET", "/api/nope", 404},
		{"GET", "/api", 404},
	}
	for _, tt := range tests {
		w := do(t, tt.method, tt.target)
		target := tt.target[:min(len(tt.target), 60)]
		if w.Code != tt.status {
			t.Errorf("%s %s status = %d; want %d", tt.method, target, w.Code, tt.status)
		}
		if got := w.Header().Get("Content-Type"); got != "application/json; charset=utf-8" {
			t.Errorf("%s %s Content-Type = %q; want JSON", tt.method, target, got)
		}
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" {
			t.Errorf("%s %s body = %q; want {\"error\": \"...\"}", tt.method, target, w.Body)
		}
		if tt.status == 405 && w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s %s Allow = %q; want \"GET, HEAD\"", tt.method, target, w.Header().Get("Allow"))
		}
	}
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		method, target string
		status         int
		contentType    string
		body           string // a part of the body
	}{
		{"GET", "/healthz", 200, "text/plain; charset=utf-8", "ok"},
		{"HEAD", "/healthz", 200, "text/plain; charset=utf-8", ""},
		{"GET", "/api/kommuner", 200, "application/json; charset=utf-8", `["Aarhus","Norddjurs","Syddjurs"]`},
		{"GET", "/style.css", 200, "text/css; charset=utf-8", ".crisis"},
		{"POST", "/", 405, "text/plain; charset=utf-8", "method not allowed"},
		{"POST", "/healthz", 405, "text/plain; charset=utf-8", ""},
		{"GET", "/nope", 404, "text/plain; charset=utf-8", "not found"},
		{"GET", "/index.html", 404, "text/plain; charset=utf-8", ""},
	}
	for _, tt := range tests {
		w := do(t, tt.method, tt.target)
		if w.Code != tt.status {
			t.Errorf("%s %s status = %d; want %d", tt.method, tt.target, w.Code, tt.status)
		}
		if got := w.Header().Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s %s Content-Type = %q; want %q", tt.method, tt.target, got, tt.contentType)
		}
		if !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s %s body = %.80q; want it to contain %q", tt.method, tt.target, w.Body, tt.body)
		}
		if tt.target == "/healthz" && tt.method == "GET" && w.Body.String() != "ok" {
			t.Errorf("GET /healthz body = %q; want \"ok\"", w.Body)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	for _, target := range []string{"/", ask("/", "hvad er fgu", ""), ask("/api/ask", "fgu", ""), "/api/ask", "/nope", "/healthz"} {
		w := do(t, "GET", target)
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s Content-Security-Policy = %q; want it to contain %q", target, csp, want)
			}
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s X-Content-Type-Options = %q; want nosniff", target, got)
		}
		if got := h.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("GET %s Referrer-Policy = %q; want no-referrer", target, got)
		}
	}
	w := do(t, "GET", ask("/api/ask", "fgu", ""))
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET /api/ask Cache-Control = %q; want no-store", got)
	}
}

// failingEngine fails every answer, as the engine does when the request's context ends.
type failingEngine struct{ err error }

func (f failingEngine) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) {
	return bot.Answer{}, f.err
}
func (failingEngine) KommuneNames() []string { return []string{"Aarhus"} }
func (failingEngine) About() bot.About       { return bot.About{} }
func (f failingEngine) KeepForEditors(context.Context, bot.Question) (string, error) {
	return "", f.err
}

func TestEngineErrorIs503(t *testing.T) {
	secret := "index: scorch segment /var/lib/secret.zap corrupt"
	for _, err := range []error{context.DeadlineExceeded, context.Canceled, errors.New(secret)} {
		h := Handler(failingEngine{err}, Options{})
		w := doWith(t, h, "GET", ask("/api/ask", "hvad er fgu", ""))
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("engine error %v: /api/ask status = %d; want 503", err, w.Code)
		}
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
			t.Errorf("engine error %v: /api/ask body = %q; want a JSON error", err, w.Body)
		}
		page := doWith(t, h, "GET", ask("/", "hvad er fgu", ""))
		if page.Code != http.StatusServiceUnavailable || !strings.Contains(page.Body.String(), "Svaret tog for lang tid") {
			t.Errorf("engine error %v: page status = %d; want 503 with a kind message", err, page.Code)
		}
		for _, body := range []string{w.Body.String(), page.Body.String()} {
			if strings.Contains(body, "secret") || strings.Contains(body, err.Error()) {
				t.Errorf("engine error %v leaks into the response: %q", err, body)
			}
		}
	}
}

// TestTimeout checks that Options.Timeout reaches the engine as a deadline.
func TestTimeout(t *testing.T) {
	var got bool
	h := Handler(engineFunc(func(ctx context.Context, q bot.Question) (bot.Answer, error) {
		_, got = ctx.Deadline()
		<-ctx.Done()
		return bot.Answer{}, ctx.Err()
	}), Options{Timeout: 10 * time.Millisecond})
	w := doWith(t, h, "GET", "/api/ask?q=fgu")
	if !got || w.Code != http.StatusServiceUnavailable {
		t.Errorf("slow engine: deadline set = %v, status = %d; want true, 503", got, w.Code)
	}
}

type engineFunc func(context.Context, bot.Question) (bot.Answer, error)

func (f engineFunc) Answer(ctx context.Context, q bot.Question) (bot.Answer, error) { return f(ctx, q) }
func (engineFunc) KommuneNames() []string                                           { return nil }
func (engineFunc) About() bot.About                                                 { return bot.About{} }
func (engineFunc) KeepForEditors(context.Context, bot.Question) (string, error) {
	return "", bot.ErrNoInsight
}

func TestPanicIs500(t *testing.T) {
	var log bytes.Buffer
	h := Handler(engineFunc(func(context.Context, bot.Question) (bot.Answer, error) {
		panic("boom: hvad er fgu")
	}), Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	w := doWith(t, h, "GET", "/api/ask?q=hvad+er+fgu")
	if w.Code != http.StatusInternalServerError || !json.Valid(w.Body.Bytes()) {
		t.Errorf("panicking engine: status = %d, body %q; want 500 with a JSON error", w.Code, w.Body)
	}
	if strings.Contains(log.String(), "fgu") {
		t.Errorf("the log holds the panic value with the question: %s", log.String())
	}
}

// TestLogHasNoQuestion checks the privacy rule: the log has method, route, status and
// latency, and never the question or the kommune.
func TestLogHasNoQuestion(t *testing.T) {
	var log bytes.Buffer
	h := Handler(engine(t), Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	const q = "Mit navn er Zacharias og jeg bor i Grenaa, hvad er fgu"
	for _, target := range []string{ask("/", q, "Syddjurs"), ask("/api/ask", q, "Syddjurs"), "/secret-path-Zacharias"} {
		doWith(t, h, "GET", target)
	}
	doWith(t, h, "POST", ask("/api/ask", q, ""))
	got := log.String()
	for _, bad := range []string{"Zacharias", "Grenaa", "Syddjurs", "fgu", "q="} {
		if strings.Contains(got, bad) {
			t.Errorf("log contains %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{
		"method=GET route=/ status=200 ms=", "method=GET route=/api/ask status=200",
		"method=GET route=unknown status=404", "method=POST route=/api/ask status=405",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
}

// TestServer runs the handler behind a real listener, as cmd/vejviser does.
func TestServer(t *testing.T) {
	srv := httptest.NewServer(Handler(engine(t), Options{Knowledge: "testmappen"}))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/?q=" + url.QueryEscape("hvad er fgu") + "&kommune=Aarhus")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "FGU – Forberedende Grunduddannelse") ||
		!strings.Contains(string(body), "på testmappen") {
		t.Errorf("GET /?q=hvad er fgu over HTTP: status %d, body lacks the card or the knowledge note", res.StatusCode)
	}
	res, err = srv.Client().Post(srv.URL+"/api/ask?q=fgu", "text/plain", strings.NewReader(strings.Repeat("x", 64<<10)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/ask with a 64 KiB body: status %d; want 405", res.StatusCode)
	}
}

func TestTelURL(t *testing.T) {
	tests := []struct{ phone, want string }{
		{"112", "tel:112"}, {"70 201 201", "tel:70201201"}, {"+45 70 11 31 31", "tel:+4570113131"},
		{"", ""}, {"javascript:alert(1)", "tel:1"}, {"+", ""}, {"1+2", "tel:12"},
	}
	for _, tt := range tests {
		if got := string(telURL(tt.phone)); got != tt.want {
			t.Errorf("telURL(%q) = %q; want %q", tt.phone, got, tt.want)
		}
	}
}

// TestPageReplyNotRepeated checks that the top entry's excerpt is not printed twice when it
// is the reply itself, while the other entries keep theirs.
func TestPageReplyNotRepeated(t *testing.T) {
	e := engine(t)
	for _, q := range []string{"hvad er fgu", "what is fgu", "jeg vil tage mit eget liv"} {
		a, err := e.Answer(context.Background(), bot.Question{Text: q})
		if err != nil || len(a.Entries) == 0 {
			t.Fatalf("Answer(%q) = %d entries, %v; want entries", q, len(a.Entries), err)
		}
		body := html.UnescapeString(do(t, "GET", ask("/", q, "")).Body.String())
		for i, en := range a.Entries {
			if got := strings.Count(body, en.Excerpt); got != 1 {
				t.Errorf("GET /?q=%q: entry %d excerpt appears %d times; want once", q, i+1, got)
			}
		}
	}
}

// TestPageCrisisKindsAndSupport checks the kind-fitted card (its advice, its lines and the age
// of their evidence) and the calm support line.
func TestPageCrisisKindsAndSupport(t *testing.T) {
	body := do(t, "GET", ask("/", "min veninde har taget en hel pakke panodil og svarer ikke", "")).Body.String()
	for _, want := range []string{"Giftlinjen", `href="tel:82121212"`, "kilde fra ", "aflåst sideleje", `class="crisis-advice"`} {
		if !strings.Contains(body, want) {
			t.Errorf("overdose page lacks %q", want)
		}
	}
	body = do(t, "GET", ask("/", "jeg føler mig så ensom", "Aarhus")).Body.String()
	if !strings.Contains(body, `<p class="support" role="note">`) || !strings.Contains(body, "ungdomsvejledningen i Aarhus") {
		t.Errorf("distress page lacks the support line naming Aarhus:\n%s", body)
	}
	if strings.Contains(body, `<section class="crisis"`) {
		t.Errorf("distress page shows the crisis card")
	}
}

// TestTooLongCrisisStillGetsTheCard: a question over MaxQuestionBytes is refused (413), unless
// it holds a crisis sentence, which gets the card whatever the length.
func TestTooLongCrisisStillGetsTheCard(t *testing.T) {
	long := strings.Repeat("jeg har et spørgsmål om SU og praktik. ", MaxQuestionBytes/35)
	if w := do(t, "GET", ask("/api/ask", long, "")); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("long ordinary question: status %d; want 413", w.Code)
	}
	w := do(t, "GET", ask("/api/ask", long+" jeg vil ikke leve mere", ""))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"crisis":true`) {
		t.Errorf("long question ending in a crisis: status %d body %.200s; want 200 with the card", w.Code, w.Body.String())
	}
	if body := do(t, "GET", ask("/", long+" jeg vil ikke leve mere", "")).Body.String(); !strings.Contains(body, `<section class="crisis"`) {
		t.Errorf("page for a long question ending in a crisis lacks the card")
	}
}

// TestMaybeShownAsSuggestions: a maybe answer's entries are headed as suggestions.
func TestMaybeShownAsSuggestions(t *testing.T) {
	v := newAnswerView(bot.Answer{Language: "da", Confidence: bot.ConfidenceMaybe, Reply: "Jeg er ikke helt sikker",
		Entries: []bot.EntryRef{{ID: "fgu", Title: "FGU", Excerpt: "FGU er …"}}})
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, pageView{T: chromeDA, A: v}); err != nil {
		t.Fatal(err)
	}
	body := buf.String()
	if !v.Maybe || !strings.Contains(body, "Forslag – måske er det en af disse") || !strings.Contains(body, `class="entries maybe"`) {
		t.Errorf("maybe page lacks the suggestions heading:\n%s", body)
	}
}

// Package web is Vejviser's local preview: a small web page where an editor or a counsellor
// can ask the bot a question, pick a municipality and see the answer rendered as cards (the
// crisis card first, entries with their cited sources, local services and their status),
// plus a JSON API that serves the very same bot.Answer that `vejviser ask --json` prints.
//
// The preview is meant for 127.0.0.1. It keeps nothing: questions are neither logged nor
// stored, and every response carries a strict Content-Security-Policy, nosniff and
// no-referrer headers. The page is rendered on the server with html/template and works
// without JavaScript.
//
// Routes:
//
//	GET /                          the page; with ?q=…&kommune=… it shows the answer
//	GET /api/ask?q=…&kommune=…     the bot.Answer as JSON (lang=da|en is an optional hint)
//	GET /api/kommuner              the municipalities' names as a JSON array
//	GET /healthz                   200 "ok"
//	GET /style.css                 the page's embedded style sheet
//
// Other methods on these paths get 405 and other paths 404.
package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vejviser/vejviser/bot"
)

// Engine is what the preview needs from the answering engine. *bot.Engine satisfies it.
// Implementations must be safe for concurrent use: the handler calls them from many
// goroutines at once.
type Engine interface {
	// Answer answers a question; it fails only when ctx ends first.
	Answer(ctx context.Context, q bot.Question) (bot.Answer, error)
	// KommuneNames lists the municipalities offered in the picker, in display order.
	KommuneNames() []string
	// About describes the knowledge base being served.
	About() bot.About
	// KeepForEditors stores a question its asker agreed to send to the editors.
	KeepForEditors(ctx context.Context, q bot.Question) (string, error)
}

var _ Engine = (*bot.Engine)(nil)

// MaxQuestionBytes is the longest question, in bytes, the preview accepts. Longer ones get
// 413 Request Entity Too Large (the engine itself reads at most bot.MaxQuestionLen runes).
const MaxQuestionBytes = 4000

// maxQueryBytes bounds the raw (percent-encoded) query string: a question of
// MaxQuestionBytes encodes to at most three times as many bytes, plus room for the rest.
const maxQueryBytes = 3*MaxQuestionBytes + 1024

// maxBodyBytes bounds request bodies. Only the consent form (POST /redaktion) reads one: a
// question of MaxQuestionBytes, form-encoded, plus its kommune and language.
const maxBodyBytes = maxQueryBytes

// DefaultTimeout is how long one answer may take when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Second

// Options configure Handler. The zero value is usable.
type Options struct {
	// Logger receives one line per request with the method, route, status and latency in
	// milliseconds, and never the question, the query string or the path of an unknown
	// route. Nil discards the log.
	Logger *slog.Logger
	// Knowledge names the knowledge base being previewed, as a Danish phrase that reads after
	// "en forhåndsvisning af botten på …", e.g. "den indbyggede videnbase" or "videnbasen i
	// mappen ./knowledge". Empty shows "den valgte videnbase".
	Knowledge string
	// KnowledgeEN is Knowledge in English ("the built-in knowledge base"), for English pages.
	KnowledgeEN string
	// Rejected, when set, returns the problems of the last rejected reload (file:line:col
	// lines), shown to editors (?editor=1) as a banner; nil or empty when the last reload
	// succeeded.
	Rejected func() []string
	// Timeout bounds one call to Engine.Answer; DefaultTimeout when zero. A request that
	// runs out of time gets 503 Service Unavailable.
	Timeout time.Duration
}

// Handler returns the preview's HTTP handler serving e. It is safe for concurrent use and
// holds no state of its own beyond opts, so the engine may reload its knowledge base while
// the handler serves; the page and the API always show the engine's live base.
//
// Refused requests get a status and a short message, as {"error": "..."} JSON on /api/ and
// as a kind Danish notice on the page: 400 for a missing or blank q, a malformed query, a
// lang other than da/en or a kommune the engine does not know; 413 for a q longer than
// MaxQuestionBytes (or a query string far beyond it); 503 when the engine fails or runs past
// opts.Timeout, whose error text is never shown; 500 if a handler panics.
func Handler(e Engine, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if strings.TrimSpace(opts.Knowledge) == "" {
		opts.Knowledge = "den valgte videnbase"
	}
	s := &server{engine: e, opts: opts}
	mux := http.NewServeMux()
	s.handle(mux, "/{$}", "/", s.page)
	s.handle(mux, "/api/ask", "/api/ask", s.apiAsk)
	s.handle(mux, "/api/kommuner", "/api/kommuner", s.apiKommuner)
	s.handle(mux, "/healthz", "/healthz", s.healthz)
	s.handle(mux, "/style.css", "/style.css", s.style)
	s.handle(mux, "/app.js", "/app.js", s.script)
	mux.Handle("POST /redaktion", s.wrap("/redaktion", http.HandlerFunc(s.sendToEditors)))
	mux.Handle("/redaktion", s.wrap("/redaktion", http.HandlerFunc(s.methodNotAllowed)))
	mux.Handle("/", s.wrap("unknown", http.HandlerFunc(s.notFound)))
	return mux
}

// server holds what the handlers share.
type server struct {
	engine Engine
	opts   Options
}

// handle registers h for GET (and so HEAD) on pattern, and a 405 for every other method on
// the same path, both logged under route.
func (s *server) handle(mux *http.ServeMux, pattern, route string, h http.HandlerFunc) {
	mux.Handle("GET "+pattern, s.wrap(route, h))
	mux.Handle(pattern, s.wrap(route, http.HandlerFunc(s.methodNotAllowed)))
}

// wrap adds the security headers, the body limit, panic recovery and the request log.
func (s *server) wrap(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
		hdr.Set("Cross-Origin-Resource-Policy", "same-origin")
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The panic value is not logged: it might carry the question.
				s.opts.Logger.Error("http panic", "method", r.Method, "route", route)
				if !rec.wrote {
					s.fail(rec, r, http.StatusInternalServerError)
				}
			}
			s.opts.Logger.Info("http", "method", r.Method, "route", route, "status", rec.status(),
				"ms", float64(time.Since(start).Microseconds())/1000)
		}()
		h.ServeHTTP(rec, r)
	})
}

// contentSecurityPolicy allows nothing but the page's own style sheet and form.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// statusRecorder remembers the status code a handler wrote, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.code, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) status() int {
	if !r.wrote {
		return http.StatusOK
	}
	return r.code
}

// isAPI tells whether r is for the JSON API, whose errors are JSON too.
func isAPI(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}

// fail writes a bare error response for status: JSON for the API, plain text otherwise.
func (s *server) fail(w http.ResponseWriter, r *http.Request, status int) {
	msg := errorText(status)
	if isAPI(r) {
		writeJSONError(w, status, msg)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

func errorText(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not found"
	case http.StatusMethodNotAllowed:
		return "method not allowed: use GET"
	default:
		return strings.ToLower(http.StatusText(status))
	}
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound)
}

func (s *server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	s.fail(w, r, http.StatusMethodNotAllowed)
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok")
}

func (s *server) script(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	io.WriteString(w, appJS)
}

func (s *server) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	io.WriteString(w, styleCSS)
}

// NewServer returns an *http.Server for the preview at addr with timeouts and header limits
// suited to a local preview. The caller runs it (ListenAndServe or Serve) and shuts it down.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       30 * time.Second,
		// Room for a question URL far beyond MaxQuestionBytes, so that /api/ask answers a
		// too-long one with its own JSON error; only URLs over 256 KiB get net/http's 431.
		MaxHeaderBytes: 256 << 10,
	}
}

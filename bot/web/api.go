package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/vejviser/vejviser/bot"
)

// askParams are the query parameters shared by the page and /api/ask.
type askParams struct {
	q, kommune, lang string
	hasQ             bool // q was in the query string, perhaps empty
}

// askError is a request the preview refuses, with its status and a message for each
// audience: the API's (English, for developers) and the page's (Danish, for people).
type askError struct {
	status    int
	api, page string
}

var (
	errMalformed = &askError{http.StatusBadRequest,
		"malformed query string",
		"Adressen kunne ikke læses. Skriv dit spørgsmål i feltet og prøv igen."}
	errTooLong = &askError{http.StatusRequestEntityTooLarge,
		"q is too long: at most 4000 bytes",
		"Dit spørgsmål er for langt. Prøv at skrive det kortere – højst omkring 4.000 tegn."}
	errMissingQ = &askError{http.StatusBadRequest,
		"missing q: ask with /api/ask?q=your+question",
		"Skriv et spørgsmål i feltet."}
	errLang = &askError{http.StatusBadRequest,
		`lang must be "da" or "en"`,
		"Sproget skal være dansk (da) eller engelsk (en)."}
	errKommune = &askError{http.StatusBadRequest,
		"unknown kommune: see /api/kommuner for the names",
		"Den kommune kender jeg ikke. Vælg en kommune fra listen."}
	errUnavailable = &askError{http.StatusServiceUnavailable,
		"the answer took too long or the service is shutting down; try again",
		"Svaret tog for lang tid. Prøv igen om lidt."}
)

// parseAsk reads q, kommune and lang from r's query string. The raw query and q are
// bounded, so a huge request is refused before anything is decoded or answered.
func parseAsk(r *http.Request) (askParams, *askError) {
	if len(r.URL.RawQuery) > maxQueryBytes {
		return askParams{}, errTooLong
	}
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return askParams{}, errMalformed
	}
	p := askParams{kommune: strings.TrimSpace(v.Get("kommune")), lang: strings.TrimSpace(v.Get("lang"))}
	qs, ok := v["q"]
	if ok && len(qs) > 0 {
		p.q, p.hasQ = qs[0], true
	}
	if len(p.q) > MaxQuestionBytes {
		return p, errTooLong // p still holds the question, for the crisis check
	}
	if p.lang != "" && p.lang != "da" && p.lang != "en" {
		return askParams{}, errLang
	}
	return p, nil
}

// answer asks the engine within the handler's timeout. The engine's error is never shown:
// it becomes errUnavailable. A kommune the engine does not know is errKommune.
func (s *server) answer(ctx context.Context, p askParams) (bot.Answer, *askError) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	a, err := s.engine.Answer(ctx, bot.Question{Text: p.q, Kommune: p.kommune, Lang: p.lang})
	if err != nil {
		s.opts.Logger.Warn("answer failed", "error_class", errorClass(err))
		return bot.Answer{}, errUnavailable
	}
	if p.kommune != "" && a.KommuneFrom != "option" {
		return bot.Answer{}, errKommune
	}
	return a, nil
}

// errorClass names an engine error for the log without its text.
func errorClass(err error) string {
	switch err {
	case context.DeadlineExceeded:
		return "timeout"
	case context.Canceled:
		return "canceled"
	}
	return "engine"
}

// apiAsk serves GET /api/ask: the bot.Answer as JSON, exactly as `vejviser ask --json`
// prints it (one object, json.Encoder's default form).
func (s *server) apiAsk(w http.ResponseWriter, r *http.Request) {
	p, aerr := parseAsk(r)
	if aerr == nil && strings.TrimSpace(p.q) == "" {
		aerr = errMissingQ
	}
	if aerr == errTooLong {
		if a, ok := s.crisisDespiteLength(r.Context(), p); ok {
			writeJSON(w, http.StatusOK, a)
			return
		}
	}
	if aerr != nil {
		writeJSONError(w, aerr.status, aerr.api)
		return
	}
	a, aerr := s.answer(r.Context(), p)
	if aerr != nil {
		writeJSONError(w, aerr.status, aerr.api)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// crisisDespiteLength reads a question that is too long to answer for a crisis all the same:
// a crisis sentence anywhere in what the preview received gets the card.
func (s *server) crisisDespiteLength(ctx context.Context, p askParams) (bot.Answer, bool) {
	if !p.hasQ {
		return bot.Answer{}, false
	}
	a, aerr := s.answer(ctx, p)
	return a, aerr == nil && a.Crisis
}

// apiKommuner serves GET /api/kommuner: the names as a JSON array.
func (s *server) apiKommuner(w http.ResponseWriter, r *http.Request) {
	names := s.engine.KommuneNames()
	if names == nil {
		names = []string{}
	}
	writeJSON(w, http.StatusOK, names)
}

// writeJSON writes v as JSON with json.Encoder's defaults, the form the CLI prints.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error"}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonError is the body of every API error.
type jsonError struct {
	Error string `json:"error"`
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, jsonError{Error: msg})
}

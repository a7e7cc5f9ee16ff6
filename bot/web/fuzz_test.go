package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/vejviser/vejviser/bot"
)

// FuzzAsk sends arbitrary questions (and kommune values) to /api/ask. Whatever comes in, the
// status is 200, 400 or 413 and the body is valid JSON: an answer for 200, an error object
// otherwise. The seed corpus is in testdata/fuzz/FuzzAsk.
func FuzzAsk(f *testing.F) {
	for _, seed := range []struct{ q, kommune string }{
		{"hvad er fgu", ""},
		{"jeg vil tage mit eget liv", "Aarhus"},
		{"", ""},
	} {
		f.Add(seed.q, seed.kommune)
	}
	h := Handler(engine(f), Options{})
	f.Fuzz(func(t *testing.T, q, kommune string) {
		v := url.Values{"q": {q}}
		if kommune != "" {
			v.Set("kommune", kommune)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/ask?"+v.Encode(), nil))
		body := w.Body.Bytes()
		if !json.Valid(body) {
			t.Fatalf("GET /api/ask?q=%q: body is not valid JSON: %q", q, body)
		}
		switch w.Code {
		case http.StatusOK:
			var a bot.Answer
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatalf("GET /api/ask?q=%q: 200 body does not decode into bot.Answer: %v", q, err)
			}
			if a.Language != "da" && a.Language != "en" {
				t.Errorf("GET /api/ask?q=%q: language = %q; want da or en", q, a.Language)
			}
			if a.Entries == nil || a.Services == nil {
				t.Errorf("GET /api/ask?q=%q: entries or services is null; want a list", q)
			}
			if !utf8.ValidString(a.Question) {
				t.Errorf("GET /api/ask?q=%q: question in the answer is not valid UTF-8", q)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
				t.Fatalf("GET /api/ask?q=%q: status %d body = %q; want {\"error\": \"...\"}", q, w.Code, body)
			}
		default:
			t.Fatalf("GET /api/ask?q=%q: status = %d; want 200, 400 or 413", q, w.Code)
		}
	})
}

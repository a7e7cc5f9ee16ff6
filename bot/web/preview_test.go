package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestEnglishPageAndEditorView(t *testing.T) {
	h := Handler(engine(t), Options{Knowledge: "den indbyggede videnbase", KnowledgeEN: "the built-in knowledge base",
		Rejected: func() []string { return []string{"entries/fgu.md:3:1: ukendt nøgle \"titel\""} }})
	en := doWith(t, h, "GET", "/?q="+url.QueryEscape("what is FGU")).Body.String()
	for _, want := range []string{`<html lang="en">`, "Your question", "Ask</button>", "the built-in knowledge base", "Municipality"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	da := doWith(t, h, "GET", "/?q="+url.QueryEscape("hvad er FGU")).Body.String()
	if strings.Contains(da, "entries/fgu.md") || strings.Contains(da, "ukendt nøgle") {
		t.Error("a young person's page shows file paths or reload errors")
	}
	ed := doWith(t, h, "GET", "/?editor=1&q="+url.QueryEscape("hvad er FGU")).Body.String()
	for _, want := range []string{`<span class="file">entries/fgu.md</span>`, `ukendt nøgle &#34;titel&#34;`, `name="editor" value="1"`} {
		if !strings.Contains(ed, want) {
			t.Errorf("editor view lacks %q", want)
		}
	}
}

func TestInvalidUTF8NeverEchoed(t *testing.T) {
	h := Handler(engine(t), Options{})
	w := doWith(t, h, "GET", "/?q=hvad%20er%20FGU%ff%fe")
	if !strings.Contains(w.Body.String(), "hvad er FGU\uFFFD</textarea>") || strings.Contains(w.Body.String(), "\xff") {
		t.Errorf("invalid UTF-8 echoed raw or lost")
	}
}

func TestAPIErrorsAreJSON(t *testing.T) {
	h := Handler(engine(t), Options{})
	srv := httptest.NewUnstartedServer(h)
	srv.Config = NewServer("", h)
	srv.Start()
	defer srv.Close()
	for _, target := range []string{
		"/api/ask?q=" + strings.Repeat("a", 200<<10), // a 200 KB URL
		"/api/ask",
		"/api/nope",
		"/api/ask?q=%zz",
	} {
		resp, err := http.Get(srv.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode < 400 || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %.40s: status %d, Content-Type %q; want a JSON error", target, resp.StatusCode, ct)
		}
	}
}

func TestScriptIsServedUnderCSP(t *testing.T) {
	h := Handler(engine(t), Options{})
	w := doWith(t, h, "GET", "/app.js")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "requestSubmit") {
		t.Errorf("/app.js: %d", w.Code)
	}
	page := doWith(t, h, "GET", "/")
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if !strings.Contains(page.Body.String(), `<script src="/app.js" defer></script>`) {
		t.Error("page does not load /app.js")
	}
}

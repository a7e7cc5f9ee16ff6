package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/insight"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// storeEngine is a real engine over the fixture knowledge with an editors' store in a
// temporary folder.
func storeEngine(t *testing.T) (*bot.Engine, *insight.Store) {
	t.Helper()
	store, err := insight.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	base, err := knowledge.Load(os.DirFS("testdata/knowledge"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), base, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := bot.New(base, ix, bot.Options{Insight: store})
	t.Cleanup(func() { e.Close() })
	return e, store
}

func stored(t *testing.T, s *insight.Store) []string {
	t.Helper()
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range r.Groups {
		for _, q := range g.Questions {
			out = append(out, q.Text)
		}
	}
	return out
}

func post(h http.Handler, form url.Values, origin string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/redaktion", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestConsentForm(t *testing.T) {
	e, store := storeEngine(t)
	h := Handler(e, Options{})
	const unsure = "hvordan bager man en lagkage med jordbær, ring 22 33 44 55"

	page := doWith(t, h, "GET", "/?q="+url.QueryEscape(unsure)).Body.String()
	for _, want := range []string{`action="/redaktion"`, `name="samtykke"`, "send spørgsmålet anonymt til redaktionen", "slettes efter 30 dage"} {
		if !strings.Contains(page, want) {
			t.Errorf("unsure answer page lacks %q", want)
		}
	}
	if sure := doWith(t, h, "GET", "/?q="+url.QueryEscape("hvad er FGU?")).Body.String(); strings.Contains(sure, `action="/redaktion"`) {
		t.Error("a sure answer offers the consent form")
	}
	if got := stored(t, store); len(got) != 0 {
		t.Fatalf("stored by asking alone: %q", got)
	}

	tests := []struct {
		name       string
		form       url.Values
		origin     string
		wantStatus int
		wantText   string
		wantStored int
	}{
		{"no tick", url.Values{"q": {unsure}, "lang": {"da"}}, "", http.StatusBadRequest, "Sæt kryds", 0},
		{"other site", url.Values{"q": {unsure}, "samtykke": {"ja"}}, "http://evil.example", http.StatusForbidden, "", 0},
		{"answered question", url.Values{"q": {"hvad er FGU?"}, "samtykke": {"ja"}}, "", http.StatusConflict, "kan Vejviser nu svare på", 0},
		{"empty", url.Values{"q": {"  "}, "samtykke": {"ja"}}, "", http.StatusBadRequest, "Skriv et spørgsmål", 0},
		{"too long", url.Values{"q": {strings.Repeat("a", MaxQuestionBytes+1)}, "samtykke": {"ja"}}, "", http.StatusRequestEntityTooLarge, "for langt", 0},
		{"ticked", url.Values{"q": {unsure}, "samtykke": {"ja"}, "lang": {"da"}}, "http://example.com", http.StatusOK, "sendt anonymt til redaktionen", 1},
		{"ticked, English", url.Values{"q": {"how do I bake a strawberry cake"}, "samtykke": {"ja"}, "lang": {"en"}}, "", http.StatusOK, "sent anonymously to the editors", 2},
	}
	for _, tt := range tests {
		w := post(h, tt.form, tt.origin)
		if got := w.Code; got != tt.wantStatus {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.wantStatus)
		}
		if !strings.Contains(w.Body.String(), tt.wantText) {
			t.Errorf("%s: body lacks %q", tt.name, tt.wantText)
		}
		if got := stored(t, store); len(got) != tt.wantStored {
			t.Errorf("%s: %d stored, want %d: %q", tt.name, len(got), tt.wantStored, got)
		}
	}
	for _, q := range stored(t, store) {
		if strings.Contains(q, "22 33 44 55") {
			t.Errorf("stored text keeps the phone number: %q", q)
		}
	}
	if w := doWith(t, h, "GET", "/redaktion"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /redaktion: %d, want 405", w.Code)
	}
}

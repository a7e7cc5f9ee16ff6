package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// stubEngine is an Engine for tests that need no knowledge base.
type stubEngine struct{ Engine }

func (stubEngine) KommuneNames() []string { return []string{"Aarhus", "Herning"} }

func TestNewValidates(t *testing.T) {
	t.Parallel()
	ok := Options{Token: "abc", Engine: stubEngine{}}
	tests := []struct {
		name string
		mod  func(*Options)
		want string // substring of the error; "" means no error
	}{
		{"ok", func(*Options) {}, ""},
		{"token with prefix", func(o *Options) { o.Token = "Bot abc" }, ""},
		{"no token", func(o *Options) { o.Token = "  " }, "DISCORD_TOKEN"},
		{"no engine", func(o *Options) { o.Engine = nil }, "no engine"},
		{"negative rate", func(o *Options) { o.Config.RatePerMinute = -1 }, "rate_per_minute"},
		{"huge question", func(o *Options) { o.Config.MaxQuestionLen = 7000 }, "max_question_len"},
		{"shard out of range", func(o *Options) { o.Config.ShardID, o.Config.ShardCount = 2, 2 }, "shard_id"},
		{"shard without count", func(o *Options) { o.Config.ShardID = 1 }, "shard_id"},
		{"shards", func(o *Options) { o.Config.ShardID, o.Config.ShardCount = 1, 2 }, ""},
		{"api url", func(o *Options) { o.Config.APIURL = "http://127.0.0.1:9999" }, ""},
		{"api url with path", func(o *Options) { o.Config.APIURL = "http://127.0.0.1:9999/api" }, "api_url"},
		{"api url scheme", func(o *Options) { o.Config.APIURL = "ftp://x" }, "api_url"},
	}
	for _, tt := range tests {
		o := ok
		tt.mod(&o)
		b, err := New(o)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: New = %v; want no error", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: New = %v; want an error about %s", tt.name, err, tt.want)
		case err != nil && strings.Contains(err.Error(), "abc"):
			t.Errorf("%s: error %q contains the token", tt.name, err)
		}
		if err == nil && (b.token != "Bot abc" || b.cfg.RatePerMinute != DefaultRatePerMinute || b.maxLen != DefaultMaxQuestionLen) {
			t.Errorf("%s: token %q rate %d maxLen %d; want the Bot prefix once and the defaults", tt.name, b.token, b.cfg.RatePerMinute, b.maxLen)
		}
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	l := newLimiter(2)
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		user         string
		at           time.Duration
		ok, notified bool
	}{
		{"a", 0, true, false},
		{"a", time.Second, true, false},
		{"a", 2 * time.Second, false, true},                       // over: told once
		{"a", 3 * time.Second, false, false},                      // over again: silent
		{"b", 3 * time.Second, true, false},                       // another user is not affected
		{"a", 61 * time.Second, true, false},                      // both questions left the window
		{"a", 61*time.Second + 500*time.Millisecond, true, false}, //
		{"a", 62 * time.Second, false, true},                      // a new window tells again
	}
	for i, s := range steps {
		ok, notify := l.allow(s.user, t0.Add(s.at))
		if ok != s.ok || notify != s.notified {
			t.Errorf("step %d (%s at %v): allow = %v, %v; want %v, %v", i, s.user, s.at, ok, notify, s.ok, s.notified)
		}
	}
	for k := range l.users {
		if bytes.Contains(k[:], []byte("a")) && len(k) == 1 {
			t.Errorf("limiter keeps a raw user id")
		}
	}
	// The daily salt rotation forgets everyone.
	if ok, _ := l.allow("a", t0.Add(25*time.Hour)); !ok || len(l.users) != 1 {
		t.Errorf("after a day: allow = %v with %d users kept; want allowed and only this user", ok, len(l.users))
	}
}

func TestCleanQuestion(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"@everyone hvad er <@&123> FGU? <@!456> <#789> @here": "hvad er FGU?",
		"  su  ":         "su",
		"<@12> <@34>":    "",
		"mail@here.dk?":  "mail .dk?",
		"hvad er SU-lån": "hvad er SU-lån",
	} {
		if got := cleanQuestion(in); got != want {
			t.Errorf("cleanQuestion(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	if got := clip("kort", 10); got != "kort" {
		t.Errorf("clip(kort) = %q", got)
	}
	long := strings.Repeat("ærø 😀 ", 100)
	got := clip(long, 50)
	if ulen(got) > 50 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("clip(long, 50) = %q (%d units)", got, ulen(got))
	}
	if ulen("😀") != 2 {
		t.Errorf("ulen(emoji) = %d; want 2 (UTF-16)", ulen("😀"))
	}
}

// bigAnswer is an answer far over every Discord limit.
func bigAnswer(lang string, crisis bool) bot.Answer {
	long := strings.Repeat("Lang tekst med æøå og @everyone og [link](x) ", 200)
	a := bot.Answer{Language: lang, Kommune: "Aarhus", Answered: true, Crisis: crisis, Reply: long, KnowledgeVersion: "v1"}
	for i := range 3 {
		e := bot.EntryRef{ID: fmt.Sprintf("entry-%d", i), Title: long, Excerpt: long, URL: "https://example.dk/a", Reviewed: "2026-01-01"}
		for j := range 50 {
			e.Sources = append(e.Sources, bot.SourceRef{Title: long, URL: fmt.Sprintf("https://example.dk/%d", j)})
		}
		a.Entries = append(a.Entries, e)
	}
	for i := range 40 {
		a.Services = append(a.Services, bot.ServiceRef{Name: long, Label: long, URL: "https://example.dk/s", Phone: "00 00 00 00",
			Address: long, Note: long, Status: knowledge.StatusUnconfirmed, Kind: fmt.Sprint(i)})
	}
	if crisis {
		a.CrisisCard = &bot.CrisisCard{Title: long, Intro: long, Outro: long}
		for range 30 {
			a.CrisisCard.Lines = append(a.CrisisCard.Lines, bot.CrisisRef{Name: long, Phone: "112", URL: "https://x.dk", When: long})
		}
	}
	return a
}

func checkLimits(t *testing.T, what string, r rendered) {
	t.Helper()
	if ulen(r.content) > limitContent {
		t.Errorf("%s: content is %d long", what, ulen(r.content))
	}
	if len(r.embeds) > limitEmbeds {
		t.Errorf("%s: %d embeds", what, len(r.embeds))
	}
	total := 0
	for _, e := range r.embeds {
		total += embedSize(e)
		if ulen(e.Title) > limitTitle || ulen(e.Description) > limitDescription || len(e.Fields) > limitFields {
			t.Errorf("%s: embed title %d, description %d, %d fields", what, ulen(e.Title), ulen(e.Description), len(e.Fields))
		}
		if e.Footer != nil && ulen(e.Footer.Text) > limitFooter {
			t.Errorf("%s: footer %d", what, ulen(e.Footer.Text))
		}
		for _, f := range e.Fields {
			if ulen(f.Name) > limitFieldName || ulen(f.Value) > limitFieldValue || f.Name == "" || f.Value == "" {
				t.Errorf("%s: field name %d, value %d", what, ulen(f.Name), ulen(f.Value))
			}
		}
	}
	if total > limitEmbedsTotal {
		t.Errorf("%s: embeds total %d > %d", what, total, limitEmbedsTotal)
	}
	for _, c := range r.components {
		for _, b := range c.(discordgo.ActionsRow).Components {
			btn := b.(discordgo.Button)
			if len(btn.CustomID) > limitCustomID || ulen(btn.Label) > limitButtonLabel {
				t.Errorf("%s: button %q / %q over the limits", what, btn.Label, btn.CustomID)
			}
		}
	}
}

func TestRenderLimits(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"da", "en"} {
		a := bigAnswer(lang, false)
		checkLimits(t, "private answer", renderAnswer(a, surfacePrivate))
		checkLimits(t, "public answer", renderAnswer(a, surfacePublic))
		checkLimits(t, "offer", renderOffer(a))
		checkLimits(t, "crisis", renderCrisis(bigAnswer(lang, true), nil))
		checkLimits(t, "people", renderPeople(a.Services, "Aarhus", lang))
		a.Answered, a.Entries = false, nil
		checkLimits(t, "no answer", renderAnswer(a, surfacePrivate))
	}
	// Many small fields: the total is kept by dropping fields.
	var embeds []*discordgo.MessageEmbed
	for range 12 {
		e := &discordgo.MessageEmbed{Title: "t"}
		for range 40 {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: strings.Repeat("n", 100), Value: strings.Repeat("v", 150)})
		}
		embeds = append(embeds, e)
	}
	checkLimits(t, "many fields", rendered{embeds: fit(embeds)})

	long := strings.Repeat("x", 5000)
	ps := knowledge.Problems{}
	for i := range 15 {
		ps = append(ps, knowledge.Problem{File: "entries/fgu.md", Line: i + 1, Col: 1, Msg: long})
	}
	txt := reloadText(bot.ReloadReport{}, fmt.Errorf("reload: %w", ps), "da")
	if ulen(txt) > limitContent || strings.Count(txt, "```")%2 != 0 || !strings.Contains(txt, "entries/fgu.md:1:1:") {
		t.Errorf("reloadText is %d long with fences %d:\n%s", ulen(txt), strings.Count(txt, "```"), txt)
	}
	if id := feedbackID(true, "da", bigAnswer("da", false).Entries); len(id) > limitCustomID {
		t.Errorf("feedbackID is %d long", len(id))
	}
	if id := personID("da", strings.Repeat("k", 200)); len(id) > limitCustomID {
		t.Errorf("personID is %d long", len(id))
	}
}

func TestReloadText(t *testing.T) {
	t.Parallel()
	ps := knowledge.Problems{
		{File: "entries/fgu.md", Line: 3, Col: 1, Msg: `unknown key "titel"`},
		{File: "services/aarhus.toml", Line: 7, Col: 2, Msg: "bad url"},
		{File: "entries/su.md", Line: 1, Msg: "stale review", Warning: true},
	}
	txt := reloadText(bot.ReloadReport{}, fmt.Errorf("reload: %w", ps), "da")
	for _, want := range []string{"fejlede", "2 fejl", "entries/fgu.md:3:1: unknown key \"titel\"", "services/aarhus.toml:7:2: bad url"} {
		if !strings.Contains(txt, want) {
			t.Errorf("reloadText lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "stale review") {
		t.Errorf("reloadText lists warnings among errors:\n%s", txt)
	}
	txt = reloadText(bot.ReloadReport{Version: "v9", Entries: 34, Services: 118, Warnings: ps[2:]}, nil, "en")
	for _, want := range []string{"reloaded", "v9", "34 entries", "118 services", "1 warning", "entries/su.md:1: warning: stale review"} {
		if !strings.Contains(txt, want) {
			t.Errorf("reloadText lacks %q:\n%s", want, txt)
		}
	}
	if txt := reloadText(bot.ReloadReport{}, errors.New("reload: engine has no index builder"), "da"); !strings.Contains(txt, "no index builder") {
		t.Errorf("reloadText hides a plain error from editors:\n%s", txt)
	}
}

// TestScrub: discordgo's log lines lose their arguments (payloads, URLs with tokens).
func TestScrub(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, nil))
	scrub(l, discordgo.LogWarning, "error reading from gateway %s websocket, %s", "wss://x/?t=SECRET-URL", errors.New("SECRET-ERR"))
	scrub(l, discordgo.LogError, "Expected READY/RESUMED, instead got:\n%#v\n", map[string]string{"content": "SECRET-MSG"})
	scrub(l, discordgo.LogInformational, "API REQUEST %s", "Authorization: Bot SECRET-TOKEN")
	out := buf.String()
	for _, s := range []string{"SECRET-URL", "SECRET-ERR", "SECRET-MSG", "SECRET-TOKEN", "API REQUEST"} {
		if strings.Contains(out, s) {
			t.Errorf("scrubbed log contains %q:\n%s", s, out)
		}
	}
	for _, s := range []string{"error reading from gateway", "Expected READY/RESUMED", "error_class=*errors.errorString"} {
		if !strings.Contains(out, s) {
			t.Errorf("scrubbed log lacks %q:\n%s", s, out)
		}
	}
}

func TestOriginTransport(t *testing.T) {
	t.Parallel()
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.URL.RequestURI() }))
	defer srv.Close()
	b, err := New(Options{Token: "x", Engine: stubEngine{}, Config: Config{APIURL: srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := b.newSession().Client.Get(discordgo.EndpointGateway + "?v=9")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != "/api/v9/gateway?v=9" {
		t.Errorf("request reached %q; want /api/v9/gateway?v=9 on the api_url origin", got)
	}
}

func TestErrorClass(t *testing.T) {
	t.Parallel()
	rest := &discordgo.RESTError{Response: &http.Response{StatusCode: 403}, Message: &discordgo.APIErrorMessage{Code: 50007, Message: "secret"}}
	for err, want := range map[error]string{
		rest: "http_403_50007",
		&restError{op: "x", class: "rate_limited", err: rest}:                             "rate_limited",
		fmt.Errorf("wrapped: %w", panicError{class: "panic:string"}):                      "panic:string",
		&discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{URL: "https://x/itok"}}: "rate_limited",
	} {
		if got := errorClass(err); got != want {
			t.Errorf("errorClass(%T) = %q; want %q", err, got, want)
		}
	}
}

// TestRenderGolden compares the rendered answer (embeds and buttons) with a golden file; run
// with -update to rewrite it after a deliberate change.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	a := bot.Answer{
		Language: "da", Kommune: "Aarhus", KommuneFrom: "option", Answered: true, KnowledgeVersion: "0123456789ab",
		Reply: "FGU er en uddannelse for unge under 25, som ikke er klar til en ungdomsuddannelse.",
		Entries: []bot.EntryRef{
			{ID: "fgu", Title: "FGU – Forberedende Grunduddannelse", Reviewed: "2026-01-15", URL: "https://www.ug.dk/fgu",
				Excerpt: "FGU er en uddannelse for unge under 25, som ikke er klar til en ungdomsuddannelse.",
				Sources: []bot.SourceRef{{Title: "UddannelsesGuiden: FGU", URL: "https://www.ug.dk/fgu", Evidence: "2023"}, {Title: "Børne- og Undervisningsministeriet", URL: "https://www.uvm.dk/fgu", Evidence: "udateret"}}},
			{ID: "fgu-skoleydelse", Title: "Skoleydelse på FGU", Reviewed: "2026-02-01", URL: "https://www.ug.dk/skoleydelse",
				Excerpt: "På FGU kan du få skoleydelse.",
				Sources: []bot.SourceRef{{Title: "UG: Skoleydelse", URL: "https://www.ug.dk/skoleydelse"}}},
		},
		Services: []bot.ServiceRef{
			{Name: "UU Aarhus", Kind: "kui", Label: "Ungdomsvejledning", Kommune: "Aarhus", URL: "https://uu.aarhus.dk", Phone: "00 00 00 00", Status: knowledge.StatusSeen, Evidence: "2024"},
			{Name: "FGU Aarhus", Kind: "fgu", Label: "FGU-skole", Kommune: "Aarhus", URL: "https://fguaarhus.dk", Address: "Testvej 0 (fiktiv)", Status: knowledge.StatusUnconfirmed, Note: "Ring før du kommer."},
		},
	}
	got := map[string]rendered{
		"private": renderAnswer(a, surfacePrivate),
		"public":  renderAnswer(a, surfacePublic),
	}
	type out struct {
		Content    string                       `json:"content,omitempty"`
		Embeds     []*discordgo.MessageEmbed    `json:"embeds"`
		Components []discordgo.MessageComponent `json:"components"`
	}
	var buf bytes.Buffer
	for _, k := range []string{"private", "public"} {
		data, err := json.MarshalIndent(out{got[k].content, got[k].embeds, got[k].components}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&buf, "== %s ==\n%s\n", k, data)
	}
	path := filepath.Join("testdata", "answer_da.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("rendered answer differs from %s (run with -update after a deliberate change):\n%s", path, buf.String())
	}
}

// TestSessionSettings: the discordgo session is set up for safety.
func TestSessionSettings(t *testing.T) {
	t.Parallel()
	b, err := New(Options{Token: "x", Engine: stubEngine{}, Config: Config{ShardID: 1, ShardCount: 3}})
	if err != nil {
		t.Fatal(err)
	}
	s := b.newSession()
	if s.Debug || s.ShouldRetryOnRateLimit || s.ShouldReconnectOnError || s.StateEnabled || s.LogLevel > discordgo.LogWarning {
		t.Errorf("session: Debug %v, retry on 429 %v, own reconnect %v, state %v, log level %d; want all off and warnings only",
			s.Debug, s.ShouldRetryOnRateLimit, s.ShouldReconnectOnError, s.StateEnabled, s.LogLevel)
	}
	if s.Identify.Intents&discordgo.IntentsMessageContent != 0 {
		t.Errorf("intents %d include Message Content", s.Identify.Intents)
	}
	if s.ShardID != 1 || s.ShardCount != 3 || s.Token != "Bot x" {
		t.Errorf("shard %d/%d token ok %v", s.ShardID, s.ShardCount, s.Token == "Bot x")
	}
}

// TestCommandShapes: names and descriptions obey Discord's rules for application commands.
func TestCommandShapes(t *testing.T) {
	t.Parallel()
	name := regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)
	checkName := func(n string) {
		if !name.MatchString(n) || strings.ToLower(n) != n {
			t.Errorf("command or option name %q is not a valid lowercase Discord name", n)
		}
	}
	checkDesc := func(d string) {
		if n := utf8.RuneCountInString(d); n < 1 || n > 100 {
			t.Errorf("description %q is %d characters; want 1 to 100", d, n)
		}
	}
	for _, c := range commands(DefaultMaxQuestionLen) {
		if c.Type == discordgo.MessageApplicationCommand {
			// Context-menu commands: 1–32 characters, spaces and capitals allowed, no
			// description and no options.
			for _, n := range append([]string{c.Name}, slices.Collect(maps.Values(*c.NameLocalizations))...) {
				if l := utf8.RuneCountInString(n); l < 1 || l > 32 {
					t.Errorf("context-menu name %q is %d characters; want 1 to 32", n, l)
				}
			}
			if c.Description != "" || len(c.Options) > 0 {
				t.Errorf("context-menu command %q has a description or options", c.Name)
			}
			continue
		}
		checkName(c.Name)
		checkDesc(c.Description)
		for _, v := range *c.NameLocalizations {
			checkName(v)
		}
		for _, v := range *c.DescriptionLocalizations {
			checkDesc(v)
		}
		for _, o := range c.Options {
			checkName(o.Name)
			checkDesc(o.Description)
			for _, v := range o.NameLocalizations {
				checkName(v)
			}
			for _, v := range o.DescriptionLocalizations {
				checkDesc(v)
			}
			if o.Autocomplete && len(o.Choices) > 0 {
				t.Errorf("option %q has both autocomplete and choices", o.Name)
			}
		}
	}
}

// TestRenderCrisisKindsAndSupport checks that the card shows its advice and the year of each
// line's evidence, and that a support line is shown with an ordinary answer.
func TestRenderCrisisKindsAndSupport(t *testing.T) {
	t.Parallel()
	a := bot.Answer{Language: "da", Crisis: true, Answered: true, CrisisKinds: []string{"overdose", "friend"},
		CrisisCard: &bot.CrisisCard{Title: "Få hjælp nu", Intro: "Ring 112 nu.", Advice: []string{"Bliv hos din ven."},
			Lines: []bot.CrisisRef{{Name: "Alarm 112", Phone: "112", When: "Ved fare", Evidence: "udateret"},
				{Name: "Giftlinjen", Phone: "82 12 12 12", When: "Døgnåben", Evidence: "2023"}}}}
	r := renderCrisis(a, nil)
	card := r.embeds[0]
	if !strings.Contains(card.Description, "Ring 112 nu.") || !strings.Contains(card.Description, "Bliv hos din ven.") {
		t.Errorf("card description = %q; want the intro and the advice", card.Description)
	}
	if got := card.Fields[1].Value; !strings.Contains(got, "82 12 12 12") || !strings.Contains(got, "kilde fra 2023") {
		t.Errorf("Giftlinjen field = %q; want the number and \"kilde fra 2023\"", got)
	}
	if got := card.Fields[0].Value; !strings.Contains(got, "kilden er udateret") {
		t.Errorf("112 field = %q; want \"kilden er udateret\"", got)
	}
	s := bot.Answer{Language: "en", Answered: true, Tier: "support", Support: "Would it help to talk to someone today?",
		Reply: "FGU is a school.", Entries: []bot.EntryRef{{ID: "fgu", Title: "FGU", Excerpt: "FGU is a school."}}}
	e := renderAnswer(s, surfacePrivate).embeds[0]
	if len(e.Fields) == 0 || e.Fields[0].Name != "Need someone to talk to?" || !strings.Contains(e.Fields[0].Value, "talk to someone today") {
		t.Errorf("support answer fields = %+v; want the support line first", e.Fields)
	}
}

// TestRenderMaybe: entries the bot is not sure of are shown as suggestions, with the people.
func TestRenderMaybe(t *testing.T) {
	t.Parallel()
	a := bot.Answer{Language: "da", Confidence: bot.ConfidenceMaybe, Reply: "Jeg er ikke helt sikker, men måske:",
		Entries:  []bot.EntryRef{{ID: "ordblindhed", Title: "Ordblindhed", Excerpt: "Er du ordblind …", URL: "https://www.ug.dk/ordblind"}},
		Services: []bot.ServiceRef{{Name: "UU Aarhus", Kind: "kui", Label: "Ungdomsvejledning", URL: "https://uu.aarhus.dk"}}}
	r := renderAnswer(a, surfacePrivate)
	if len(r.embeds) < 2 || r.embeds[0].Title != "Måske en af disse?" || len(r.embeds[0].Fields) != 1 ||
		!strings.Contains(r.embeds[0].Fields[0].Name, "Ordblindhed") || !strings.Contains(r.embeds[0].Description, "ikke helt sikker") {
		t.Errorf("maybe answer rendered as %+v; want the suggestions under \"Måske en af disse?\" and the people", r.embeds)
	}
}

package bot_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/insight"
)

func engineWithStore(t *testing.T, store bot.InsightStore) *bot.Engine {
	t.Helper()
	base, s := sharedSearcher(t)
	e := bot.New(base, s, bot.Options{Build: indexBuilder, Insight: store})
	t.Cleanup(func() { e.Close() })
	return e
}

// storedQuestions returns the texts of the questions in the store.
func storedQuestions(t *testing.T, s *insight.Store) []string {
	t.Helper()
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, g := range r.Groups {
		for _, q := range g.Questions {
			texts = append(texts, q.Text)
		}
	}
	return texts
}

// TestNothingStoredWithoutConsent answers questions of every kind – answered, unanswered,
// crisis, distress, small talk – and expects the store to hold no text at all, only counts;
// then one question is sent with consent and exactly that one is stored, scrubbed.
func TestNothingStoredWithoutConsent(t *testing.T) {
	dir := t.TempDir()
	store, err := insight.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := engineWithStore(t, store)
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	questions := []string{
		"hvad er FGU?",
		"hvordan søger jeg om kørekort til traktor i Lemvig, ring 22334455",
		"jeg vil ikke leve mere",
		"jeg er så ked af det og ved ikke hvad jeg skal",
		"hej",
		"what is the best pizza topping",
	}
	unanswered := 0
	for _, q := range questions {
		a, err := e.Answer(ctx, bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.AskEditors {
			unanswered++
		}
		if (a.Crisis || a.Tier != "none") && a.AskEditors {
			t.Errorf("%q (tier %s): offered to send to the editors", q, a.Tier)
		}
	}
	if unanswered == 0 {
		t.Fatal("no question offered to the editors; the test needs one")
	}
	raw, err := os.ReadFile(filepath.Join(dir, insight.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range questions {
		for _, w := range strings.Fields(q) {
			if len(w) >= 6 && strings.Contains(string(raw), w) {
				t.Errorf("the store file holds %q from %q, asked without consent", w, q)
			}
		}
	}
	if got := storedQuestions(t, store); len(got) != 0 {
		t.Errorf("stored without consent: %q", got)
	}
	r, _ := store.Report()
	n := 0
	for _, d := range r.Days {
		n += d.N
	}
	if n != unanswered {
		t.Errorf("counted %d unanswered, want %d", n, unanswered)
	}

	// With consent: stored once, scrubbed, and not counted again.
	id, err := e.KeepForEditors(ctx, bot.Question{Text: questions[1]})
	if err != nil || id == "" {
		t.Fatalf("KeepForEditors = %q, %v", id, err)
	}
	got := storedQuestions(t, store)
	if len(got) != 1 || strings.Contains(got[0], "22334455") || !strings.Contains(got[0], "traktor") {
		t.Errorf("stored %q, want the question with its phone number scrubbed", got)
	}
	// Answered questions, crises and small talk are refused.
	for _, q := range []string{"hvad er FGU?", "jeg vil ikke leve mere", "hej"} {
		if _, err := e.KeepForEditors(ctx, bot.Question{Text: q}); !errors.Is(err, bot.ErrNotForEditors) {
			t.Errorf("KeepForEditors(%q): err = %v, want ErrNotForEditors", q, err)
		}
	}
	if got := storedQuestions(t, store); len(got) != 1 {
		t.Errorf("store holds %d questions, want 1", len(got))
	}
}

// brokenStore fails every operation, like a store on a full or vanished disk.
type brokenStore struct{}

var errDisk = errors.New("disk on fire")

func (brokenStore) Keep(string, string, string, string, []string) (string, error) { return "", errDisk }
func (brokenStore) Unanswered(string, string, string, string) error               { return errDisk }
func (brokenStore) Feedback([]string, bool) error                                 { return errDisk }
func (brokenStore) Report() (insight.Report, error)                               { return insight.Report{}, errDisk }
func (brokenStore) ClaimWeekly() (bool, error)                                    { return false, errDisk }

func TestBrokenStoreKeepsAnswering(t *testing.T) {
	e := engineWithStore(t, brokenStore{})
	ctx := context.Background()
	for _, q := range []string{"hvad er FGU?", "kan jeg søge om tilskud til briller", "jeg vil ikke leve mere"} {
		a, err := e.Answer(ctx, bot.Question{Text: q})
		if err != nil {
			t.Fatalf("Answer(%q) with a broken store: %v", q, err)
		}
		if a.Reply == "" {
			t.Errorf("Answer(%q): empty reply", q)
		}
	}
	if _, err := e.KeepForEditors(ctx, bot.Question{Text: "kan jeg søge om tilskud til briller på månen"}); !errors.Is(err, errDisk) {
		t.Errorf("KeepForEditors on a broken store: err = %v, want the store's error", err)
	}
	if err := e.Feedback([]string{"fgu"}, true); !errors.Is(err, errDisk) {
		t.Errorf("Feedback on a broken store: err = %v", err)
	}
	r := e.EditorReport()
	if !errors.Is(r.StoreErr, errDisk) || r.Version == "" {
		t.Errorf("EditorReport = %+v", r)
	}
}

// TestStoreVanishesMidRun removes the store's folder while the bot runs: answers go on.
func TestStoreVanishesMidRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "insight")
	store, err := insight.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := engineWithStore(t, store)
	os.RemoveAll(dir)
	os.WriteFile(dir, []byte("not a folder"), 0o600) // and something else in its place
	a, err := e.Answer(context.Background(), bot.Question{Text: "hvordan søger jeg om kørekort til traktor"})
	if err != nil || a.Reply == "" {
		t.Fatalf("Answer after the store vanished: %+v, %v", a, err)
	}
}

func TestNoStoreNoOffer(t *testing.T) {
	e := newEngine(t)
	a, _ := e.Answer(context.Background(), bot.Question{Text: "hvordan søger jeg om kørekort til traktor"})
	if a.AskEditors {
		t.Error("AskEditors without a store")
	}
	if _, err := e.KeepForEditors(context.Background(), bot.Question{Text: "x y z"}); !errors.Is(err, bot.ErrNoInsight) {
		t.Errorf("KeepForEditors without a store: %v", err)
	}
}

// TestAmountYearInAnswer: the answer quotes an amount with its year while the year lasts,
// and as the last known rate once it has ended – decided by the engine's clock.
func TestAmountYearInAnswer(t *testing.T) {
	base, s := sharedSearcher(t)
	for _, tt := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), "9.700 kr. om måneden før skat (sats for 2024)"},
		{time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), "9.700 kr. om måneden før skat (sidst kendte sats, 2024)"},
	} {
		now := tt.now
		e := bot.New(base, s, bot.Options{Now: func() time.Time { return now }})
		a, err := e.Answer(context.Background(), bot.Question{Text: "hvor meget får man i handicaptillæg til SU"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Reply, tt.want) {
			t.Errorf("at %s: reply %q lacks %q", now.Format(time.DateOnly), a.Reply, tt.want)
		}
	}
}

// TestNoAnswerPeople: an unanswered ordinary question lists guidance (youth guidance,
// eVejledning), not counselling lines; distress without an answer lists those too.
func TestNoAnswerPeople(t *testing.T) {
	e := newEngine(t)
	kinds := func(q string) []string {
		a, err := e.Answer(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Answered {
			t.Fatalf("%q was answered; the test needs an unanswered question", q)
		}
		var ks []string
		for _, s := range a.Services {
			ks = append(ks, s.Kind)
		}
		return ks
	}
	for _, k := range kinds("hvordan bager man en lagkage med jordbær") {
		if k != "kui" && k != "evejledning" {
			t.Errorf("unanswered ordinary question lists a %q service", k)
		}
	}
	if !strings.Contains(strings.Join(kinds("jeg er så trist, min lagkage brændte på og ovnen er gået i stykker"), " "), "headspace") {
		t.Error("unanswered distress does not list headspace")
	}
	a, _ := e.Answer(context.Background(), bot.Question{Text: "hvordan bager man en lagkage med jordbær"})
	if !strings.Contains(a.Reply, "Jeg kender til uddannelse, job") {
		t.Errorf("no-answer reply does not say what Vejviser covers: %q", a.Reply)
	}
}

func TestRenderWeekly(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	r := bot.EditorReport{Store: insight.Report{
		Groups:   []insight.Group{{Questions: []insight.Question{{Text: "hemmelig tekst"}}}},
		Days:     []insight.DayCount{{Day: "2026-11-29", Lang: "da", N: 3}, {Day: "2026-11-28", Lang: "en", N: 1}, {Day: "2026-10-01", Lang: "da", N: 9}},
		Feedback: []insight.EntryFeedback{{Entry: "su", NotIt: 2}},
	}}
	tests := []struct{ lang, want string }{
		{"da", "Uden sikkert svar de sidste 7 dage: 4 (dansk 3, engelsk 1)\n- Sendt til redaktionen med samtykke, sidste 30 dage: 1 i 1 grupper\n- Flest \"hjalp ikke\": su (2)"},
		{"en", "Without a sure answer in 7 days: 4 (Danish 3, English 1)\n- Sent to the editors with consent, last 30 days: 1 in 1 groups\n- Most \"did not help\": su (2)"},
	}
	for _, tt := range tests {
		got := bot.RenderWeekly(r, tt.lang, now)
		if !strings.Contains(got, tt.want) || strings.Contains(got, "hemmelig") {
			t.Errorf("RenderWeekly(%s) =\n%s\nwant it to contain\n%s\nand no question text", tt.lang, got, tt.want)
		}
	}
}

// TestUnansweredCountedByOutsideTopic checks that a question read as a subject outside the base
// is counted with that subject's id – never its text – and that the editors' report lists it.
func TestUnansweredCountedByOutsideTopic(t *testing.T) {
	store, err := insight.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e := engineWithStore(t, store)
	q := "hvornår skal restskatten senest være betalt"
	a, err := e.Answer(context.Background(), bot.Question{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	if a.Outside == "" || a.Answered {
		t.Fatalf("Answer(%q) outside=%q answered=%v; want it read as an outside topic, not answered", q, a.Outside, a.Answered)
	}
	r, err := store.Report()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, d := range r.Days {
		got[d.Outside] += d.N
	}
	if got["skat"] != 1 || len(got) != 1 {
		t.Errorf("counts by outside topic = %v; want skat 1", got)
	}
	text := bot.RenderReport(bot.EditorReport{Store: r}, bot.ReportOptions{Lang: "da", Now: time.Now()})
	if !strings.Contains(text, "uden for basen") || !strings.Contains(text, "skat 1") || strings.Contains(text, "restskat") {
		t.Errorf("report does not list the outside topic by id (or shows the question):\n%s", text)
	}
}

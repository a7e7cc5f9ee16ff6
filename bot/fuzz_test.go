package bot_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// FuzzAnswer sends arbitrary questions through the whole question path (crisis gate,
// detection, index, services) and checks the answer's promises.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"hvad er fgu", "jeg vil ikke leve mere", "+fgu -su ~2 title:x", "\xff\xfe",
		"jeg bor i Tarm", "🙂", "", "What is HF?", "@everyone <script>", "handicap tillæg su"} {
		f.Add(s, "")
	}
	f.Add("fgu", "Randers")
	f.Add("fgu", "ikke en kommune")
	// The fuzzing coordinator and each of its workers build the engine. Its crisis classifier
	// learns from every twentieth example: the same code reads every question, and training on
	// all of them under the fuzzer's coverage instrumentation took over three minutes on two
	// cores (2026-12-02).
	base := new(*loadBase(f)) // a copy: the loaded base is shared with other tests
	var few []knowledge.CrisisExample
	for i, ex := range base.Crisis.Examples {
		if i%20 == 0 {
			few = append(few, ex)
		}
	}
	base.Crisis.Examples = few
	s, err := indexBuilder(context.Background(), base)
	if err != nil {
		f.Fatal(err)
	}
	e := bot.New(base, s, bot.Options{Build: indexBuilder})
	f.Cleanup(func() { e.Close() })
	f.Fuzz(func(t *testing.T, text, kommune string) {
		a, err := e.Answer(context.Background(), bot.Question{Text: text, Kommune: kommune})
		if err != nil {
			t.Fatalf("Answer(%q) error: %v", text, err)
		}
		if a.Language != "da" && a.Language != "en" {
			t.Fatalf("language %q", a.Language)
		}
		if len(a.Entries) > bot.MaxEntries {
			t.Fatalf("%d entries", len(a.Entries))
		}
		if a.Crisis && (len(a.Entries) == 0 || a.Entries[0].ID != knowledge.CrisisEntryID || a.CrisisCard == nil) {
			t.Fatalf("crisis answer without the crisis card first: %v", a.Entries)
		}
		if a.Answered != (a.Confidence == bot.ConfidenceSure) {
			t.Fatalf("answered = %v with confidence %q", a.Answered, a.Confidence)
		}
		if !a.Answered && ((len(a.Entries) > 0) != (a.Confidence == bot.ConfidenceMaybe) || len(a.Services) == 0) {
			t.Fatalf("unanswered question (%s) with entries %v or no human services", a.Confidence, a.Entries)
		}
		if _, err := json.Marshal(a); err != nil {
			t.Fatalf("answer does not marshal: %v", err)
		}
	})
}

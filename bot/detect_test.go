package bot

import (
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// detectEveryName is the matcher before names were looked up by their first word: every name
// compared at every word. The test below holds the lookup to it.
func (m *kommuneMatcher) detectEveryName(text string) string {
	every := make([]int32, len(m.names))
	for i := range every {
		every[i] = int32(i)
	}
	return m.pick(knowledge.FoldedWords(text), every)
}

// TestKommuneLookupMatchesEveryName checks that looking names up by their first word finds the
// same municipality as comparing every name, on every asked and evaluation question of the
// embedded base and on every name of every municipality in the forms a question puts it: bare,
// after a place word, in the genitive, and two names in one question.
func TestKommuneLookupMatchesEveryName(t *testing.T) {
	base, err := knowledge.Load(knowledge.Embedded(), time.Now())
	if err != nil {
		t.Fatalf("load embedded knowledge: %v", err)
	}
	m := newKommuneMatcher(base)
	var texts []string
	for _, q := range append(append([]knowledge.Question(nil), base.Questions...), base.Asked...) {
		texts = append(texts, q.Text)
	}
	var names []string
	for _, k := range base.Kommuner {
		names = append(names, k.Name)
		names = append(names, k.Spellings...)
		names = append(names, k.Towns...)
	}
	for i, n := range names {
		other := names[(i*7+3)%len(names)]
		texts = append(texts, n, n+"?", "bor i "+n, "jeg er fra "+n+"s kommune",
			n+"s jobcenter", "headspace "+n+" eller i "+other, "flytter fra "+other+" til "+n)
	}
	found := 0
	for _, text := range texts {
		got, want := m.detect(text), m.detectEveryName(text)
		if got != want {
			t.Errorf("detect(%q) = %q; every name gives %q", text, got, want)
		}
		if got != "" {
			found++
		}
	}
	// The generated texts alone name a municipality about 7 times per name; a lookup that
	// found nothing would agree with a comparison that found nothing.
	if found < len(names)*5 {
		t.Errorf("only %d of %d texts named a municipality; want at least %d", found, len(texts), len(names)*5)
	}
}

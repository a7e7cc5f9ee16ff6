package index

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

// TestOffWords checks the off-topic log-odds on a small base: a question worded like the
// off-topic ones reads higher odds than one worded like the answered ones, a word pair the
// answered questions taught outweighs its single words' off-topic use, learning is the same
// every time, and a base that taught nothing reads OffWordsWithout.
func TestOffWords(t *testing.T) {
	base := &knowledge.Base{Entries: []*knowledge.Entry{{ID: "su", Title: "SU"}}}
	base.Asked = []knowledge.Question{{Text: "hvad er SU", Want: []string{"su"}}}
	if got := newLearned(base).offOdds(learnTokens("hvad er SU", nil)); got != OffWordsWithout {
		t.Fatalf("without off-topic questions offOdds = %v, want %v", got, OffWordsWithout)
	}
	base.Asked = []knowledge.Question{
		{Text: "hvor meget er SU når man bor hjemme", Want: []string{"su"}},
		{Text: "kan jeg få SU på hf", Want: []string{"su"}},
		{Text: "hvornår udbetales SU", Want: []string{"su"}},
		{Text: "hvordan søger jeg SU til en ungdomsuddannelse", Want: []string{"su"}},
		{Text: "hvem vandt fodboldkampen i går", Offtopic: true},
		{Text: "hvornår spiller FCM fodbold", Offtopic: true},
		{Text: "hvor kan jeg se fodbold i aften", Offtopic: true},
		{Text: "jeg vil ikke mere", Crisis: true}, // never learned from
		{Text: "fodbold fodbold fodbold"},         // unlabelled: never learned from
	}
	m := newLearned(base)
	off, on := m.offOdds(learnTokens("fodbold i aften?", nil)), m.offOdds(learnTokens("får man SU når man bor hjemme", nil))
	if off <= on {
		t.Errorf("offOdds of a football question %v, of an SU question %v: want the football one higher", off, on)
	}
	if got := newLearned(base).offOdds(learnTokens("fodbold i aften?", nil)); got != off {
		t.Errorf("a second model read %v, the first %v: want the same", got, off)
	}
	if got := m.offOdds(learnTokens("xyzzy qwertz", nil)); got < -OffWordsCap || got > OffWordsCap {
		t.Errorf("offOdds of unknown words = %v, want within ±%v", got, OffWordsCap)
	}
	base.Entries = append(base.Entries, &knowledge.Entry{ID: "fodbold", Title: "Fodbold", Questions: []string{"fodbold for unge med angst", "kan jeg spille fodbold i en klub for unge med angst"}})
	if got := newLearned(base).offOdds(learnTokens("fodbold for unge med angst", nil)); got >= off {
		t.Errorf("offOdds of an entry's example question %v: want below the football question's %v once an entry answers it", got, off)
	}
}

// TestOffWordsFeatures checks the features a question is read by: each token once, word pairs
// in the order written, and none from a one-letter word.
func TestOffWordsFeatures(t *testing.T) {
	feats := func(text string) []uint32 { return offWordsFeatures(learnTokens(text, nil), nil) }
	if got, want := len(feats("su su su")), 2; got != want { // "su" and the pair "su su"
		t.Errorf("features of %q: %d, want %d", "su su su", got, want)
	}
	ab, ba := feats("high school"), feats("school high")
	if slices.Equal(ab, ba) {
		t.Errorf("features of %q and %q are equal: want the word pair to tell them apart", "high school", "school high")
	}
	if got, want := len(ab), 4; got != want { // "high", "school", "p:schoo" and the pair
		t.Errorf("features of %q: %d, want %d", "high school", got, want)
	}
	if got, want := feats("a b"), feats(""); !slices.Equal(got, want) {
		t.Errorf("features of one-letter words = %v, want none like %v", got, want)
	}
	if !slices.IsSorted(ab) {
		t.Errorf("features %v not sorted", ab)
	}
}

// BenchmarkNewOffWords measures learning the off-topic odds from the starter base's labelled
// and example questions, which every start and reload does (inside newLearned).
func BenchmarkNewOffWords(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		newOffWords(base, nil)
	}
}

// BenchmarkOffOdds64K reads the off-topic odds of the longest question a front end accepts
// (`ask -` lines of 64 KB), every word a new one.
func BenchmarkOffOdds64K(b *testing.B) {
	m := newOffWords(loadBase(b), nil)
	var sb strings.Builder
	for i := 0; sb.Len() < 64*1024; i++ {
		fmt.Fprintf(&sb, "ord%dxq ", i)
	}
	toks := learnTokens(sb.String(), nil)
	for b.Loop() {
		m.odds(toks)
	}
}

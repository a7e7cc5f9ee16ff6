package crisis

import (
	"reflect"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// findEveryPattern is lexicon.find as it was before the patterns were looked up by their first
// two atoms: every pattern that begins with an atom of a word (byFirst) is tried there.
func findEveryPattern(l *lexicon, byFirst map[int32][]int32, toks []token) []hit {
	return l.findFrom(toks, func(cand []int32, _ [][]int32, _ int, a int32) []int32 {
		return append(cand[:0], byFirst[a]...)
	})
}

// TestFindTriesEveryPattern: looking patterns up by their first two atoms finds the same hits,
// in the same order, as trying every pattern that begins with a word's atom, on every
// thirtieth crisis example and on messages where a pattern's second word stands a gap away.
func TestFindTriesEveryPattern(t *testing.T) {
	b, err := knowledge.Load(knowledge.Embedded(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l := compile(b.Crisis).lex
	msgs := []string{"jeg vil virkelig gerne dø", "jeg vil ikke leve mere", "har taget alt for mange piller",
		"dø af grin", "jeg er ved at dø af grin, seriøst", "I want to kill myself tonight", "kill my self"}
	for i, ex := range b.Crisis.Examples {
		if i%30 == 0 {
			msgs = append(msgs, ex.Text)
		}
	}
	byFirst := map[int32][]int32{} // first atom → the patterns it begins, ascending
	for id, p := range l.patterns {
		for _, a := range p.atoms[0] {
			byFirst[a] = append(byFirst[a], int32(id))
		}
	}
	found := 0
	for _, m := range msgs {
		toks := tokenize(m)
		got, want := l.find(toks), findEveryPattern(l, byFirst, toks)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("find(%q) = %v; trying every pattern gives %v", m, got, want)
		}
		found += len(got)
	}
	if found == 0 {
		t.Fatal("no pattern found in any message")
	}
}

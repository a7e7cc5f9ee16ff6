package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

// TestEntryWords checks the entry model on a small base: a question worded like one entry's
// asked questions reads that entry most likely, though both entries' questions share most of
// their words; the probabilities sum to one; learning is the same every time; a question with
// no features, a base without entries and one over EntryWordsMaxEntries read nothing.
func TestEntryWords(t *testing.T) {
	base := &knowledge.Base{Entries: []*knowledge.Entry{
		{ID: "su", Title: "SU", Questions: []string{"hvor meget SU kan jeg få", "hvornår kommer min SU"}},
		{ID: "fgu", Title: "FGU", Questions: []string{"hvad er FGU", "hvor ligger FGU skolen"}},
	}}
	base.Asked = []knowledge.Question{
		{Text: "kan jeg få hjælp til penge mens jeg går i skole", Want: []string{"su"}},
		{Text: "hvor mange penge får man om måneden", Want: []string{"su"}},
		{Text: "får jeg flere penge hvis jeg flytter hjemmefra", Want: []string{"su"}},
		{Text: "hvornår kommer pengene", Want: []string{"su"}},
		{Text: "jeg mangler penge til husleje mens jeg går i skole", Want: []string{"su", "fgu"}},
		{Text: "kan jeg få hjælp til at komme i skole igen", Want: []string{"fgu"}},
		{Text: "jeg droppede ud og vil gerne i skole igen", Want: []string{"fgu"}},
		{Text: "hvem vandt fodboldkampen", Offtopic: true}, // no entry: not learned from
		{Text: "jeg vil ikke mere", Crisis: true},          // never learned from
	}
	m := newEntryWords(base, nil)
	tests := []struct {
		text, want string
	}{
		{"får man penge når man går i skole", "su"},
		{"vil gerne tilbage i skole igen", "fgu"},
	}
	for _, tt := range tests {
		p := m.read(learnTokens(tt.text, nil))
		if len(p) != 2 {
			t.Fatalf("read(%q) = %v, want one probability per entry", tt.text, p)
		}
		got := base.Entries[slices.Index(p, slices.Max(p))].ID
		if got != tt.want {
			t.Errorf("read(%q) = %v: most likely %s, want %s", tt.text, p, got, tt.want)
		}
		var sum float64
		for _, v := range p {
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("read(%q) sums to %v, want 1", tt.text, sum)
		}
	}
	again := newEntryWords(base, nil).read(learnTokens(tests[0].text, nil))
	if first := m.read(learnTokens(tests[0].text, nil)); !slices.Equal(again, first) {
		t.Errorf("a second model read %v, the first %v: want the same", again, first)
	}
	if got := m.read(learnTokens("a ?", nil)); got != nil {
		t.Errorf("read of a question without features = %v, want nil", got)
	}
	if got := newEntryWords(&knowledge.Base{}, nil); got != nil {
		t.Errorf("newEntryWords of a base without entries = %v, want nil", got)
	}
	big := &knowledge.Base{}
	for i := range EntryWordsMaxEntries + 1 {
		big.Entries = append(big.Entries, &knowledge.Entry{ID: fmt.Sprint("e", i), Title: fmt.Sprint("emne ", i)})
	}
	if got := newEntryWords(big, nil); got != nil {
		t.Errorf("newEntryWords of %d entries = %v, want nil (over EntryWordsMaxEntries)", len(big.Entries), got)
	}
}

// TestLearnedCacheKeepsTheLastModel checks that an index built again for the same entries and
// questions shares the learned model, and that a changed asked question, a question left out
// (knowledge.Base.Without) or a changed entry gets a new one.
func TestLearnedCacheKeepsTheLastModel(t *testing.T) {
	var c learnedCache
	base := &knowledge.Base{Entries: []*knowledge.Entry{{ID: "su", Title: "SU"}}}
	base.Asked = []knowledge.Question{{Text: "hvad er SU", Want: []string{"su"}}, {Text: "hvad er fodbold", Offtopic: true}}
	first := c.get(base)
	if got := c.get(base); got != first {
		t.Errorf("get of the same base learned again: want the kept model")
	}
	same := *base
	same.Asked = slices.Clone(base.Asked)
	if got := c.get(&same); got != first {
		t.Errorf("get of an equal copy of the base learned again: want the kept model")
	}
	changed := same
	changed.Asked = slices.Clone(base.Asked)
	changed.Asked[0].Want = nil
	if got := c.get(&changed); got == first {
		t.Errorf("get of a base with a changed asked question returned the kept model")
	}
	if got := c.get(base.Without(base.Asked[1:])); got == first {
		t.Errorf("get of a base without an asked question returned the kept model")
	}
	entry := *base.Entries[0]
	entry.Questions = []string{"hvornår kommer min SU"}
	edited := *base
	edited.Entries = []*knowledge.Entry{&entry}
	if got := c.get(&edited); got == first || got == nil {
		t.Errorf("get of a base with an edited entry returned %p (kept %p): want a new model", got, first)
	}
}

// BenchmarkNewEntryWords measures learning the entry model from the starter base, which every
// start and reload of a changed base does (inside newLearned, on a core of its own).
func BenchmarkNewEntryWords(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		newEntryWords(base, nil)
	}
}

// BenchmarkLearnedKey measures hashing the starter base for the kept learned model
// (learnedCache), which every index build does.
func BenchmarkLearnedKey(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		learnedKey(base)
	}
}

// TestSearchReadsEntryModel checks that a search gives each hit its probability by the entry
// model (knowledge.Hit.EntryProb): 1 for the entry the question names, and between 0 and 1,
// summing to at most one, for the entries of a question that names none.
func TestSearchReadsEntryModel(t *testing.T) {
	ix := build(t, loadBase(t))
	hits, err := ix.Search(context.Background(), "hvad laver man på FGU", "da", 3)
	if err != nil || len(hits) == 0 || hits[0].ID != "fgu" {
		t.Fatalf("Search(hvad laver man på FGU) = %v, %v; want fgu first", hits, err)
	}
	if got := hits[0].EntryProb; got != 1 {
		t.Errorf("EntryProb of the named entry = %v, want 1", got)
	}
	hits, err = ix.Search(context.Background(), "jeg mangler penge mens jeg går i skole", "da", 3)
	if err != nil || len(hits) == 0 {
		t.Fatalf("Search = %v, %v", hits, err)
	}
	var sum float64
	for _, h := range hits {
		if h.Alias || h.EntryProb <= 0 || h.EntryProb >= 1 {
			t.Errorf("hit %s: Alias %v, EntryProb %v; want an unnamed entry read between 0 and 1", h.ID, h.Alias, h.EntryProb)
		}
		sum += h.EntryProb
	}
	if sum > 1+1e-9 {
		t.Errorf("EntryProb of the hits sums to %v, want at most 1", sum)
	}
}

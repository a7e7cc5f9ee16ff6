package intent

import (
	"slices"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

func loadBase(tb testing.TB) *knowledge.Base {
	tb.Helper()
	base, err := knowledge.Load(knowledge.Embedded(), time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return base
}

// top returns the most probable entry id.
func top(p map[string]float64) string {
	best, id := -1.0, ""
	for k, v := range p {
		if v > best || v == best && k < id {
			best, id = v, k
		}
	}
	return id
}

// TestProbs checks that questions worded unlike any example question of the entries reach the
// entry they ask for, in both languages, and that crisis never is a class.
func TestProbs(t *testing.T) {
	m := Train(loadBase(t))
	tests := []struct{ in, want string }{
		{"hvornår skal jeg søge om en kollegieplads i aarhus", "ungdomsbolig"},
		{"im 23 and unemployed, where do i get help finding work", "jobcenter-unge"},
		{"dyslexic and starting university next year, any support?", "sps-studiestart"},
		{"produktionsskolen, hvad laver man der", "fgu"},
	}
	for _, tt := range tests {
		p := m.Probs(tt.in)
		if got := top(p); got != tt.want {
			t.Errorf("top(Probs(%q)) = %q (%.2f); want %q (%.2f)", tt.in, got, p[got], tt.want, p[tt.want])
		}
		if _, ok := p[knowledge.CrisisEntryID]; ok {
			t.Errorf("Probs(%q) has the crisis entry", tt.in)
		}
	}
	if p := m.Probs("?!"); p != nil {
		t.Errorf("Probs(%q) = %v; want nil for a text without words", "?!", p)
	}
	var nilModel *Model
	if p := nilModel.Probs("fgu"); p != nil {
		t.Errorf("nil model: Probs = %v; want nil", p)
	}
}

// TestTrainDeterministic checks that the same base gives the same model.
func TestTrainDeterministic(t *testing.T) {
	base := loadBase(t)
	a, b := Train(base), Train(base)
	if !slices.Equal(a.w, b.w) || !slices.Equal(a.ids, b.ids) {
		t.Error("two trainings on the same base differ")
	}
}

// BenchmarkTrain measures training on the starter base, done once per knowledge generation.
func BenchmarkTrain(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		Train(base)
	}
}

// BenchmarkProbs measures one question.
func BenchmarkProbs(b *testing.B) {
	m := Train(loadBase(b))
	for b.Loop() {
		m.Probs("hej jeg er 19 og droppede ud af gym sidste år hvad kan jeg nu")
	}
}

package index

import (
	"slices"
	"testing"
)

// TestLearnOrder: the order is a permutation, the same for the same keys, different for another
// epoch, and adding a sample leaves the others in the order they had.
func TestLearnOrder(t *testing.T) {
	texts := []string{"hvad er fgu", "kan jeg få su", "my son plays games all day", "hvad er fgu", "headspace aarhus", "jeg skylder penge", "gap year", "kollegium"}
	keys := make([]uint32, len(texts))
	for i, s := range texts {
		keys[i] = fnvString(fnvOffset, s)
	}
	got := learnOrder(keys, 0)
	if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("learnOrder = %v; not a permutation of 0–7", got)
	}
	if again := learnOrder(keys, 0); !slices.Equal(again, got) {
		t.Errorf("learnOrder twice: %v and %v", got, again)
	}
	if i, j := slices.Index(got, 0), slices.Index(got, 3); j != i+1 {
		t.Errorf("two samples of the same text at places %d and %d; want them side by side, the first first", i, j)
	}
	if next := learnOrder(keys, 1); slices.Equal(next, got) {
		t.Errorf("epochs 0 and 1 read in the same order %v", got)
	}
	more := append(slices.Clone(keys), fnvString(fnvOffset, "en ny sætning"))
	withNew := slices.DeleteFunc(learnOrder(more, 0), func(i int) bool { return i == len(keys) })
	if !slices.Equal(withNew, got) {
		t.Errorf("adding a sample reordered the others: %v, before %v", withNew, got)
	}
}

func BenchmarkLearnOrder(b *testing.B) {
	keys := make([]uint32, 20000)
	for i := range keys {
		keys[i] = uint32(mix64(uint64(i)))
	}
	for b.Loop() {
		learnOrder(keys, 0)
	}
}

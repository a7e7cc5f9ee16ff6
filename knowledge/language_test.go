package knowledge

import (
	"slices"
	"testing"
)

// TestSpellingsMeanNothingElse checks that no chat spelling is a word the languages' tables
// already read as something (a marker, filler or greeting of either language), that no two
// languages share one, and that each stands for at least one word.
func TestSpellingsMeanNothingElse(t *testing.T) {
	seen := map[string]string{} // spelling → the language that has it
	for _, l := range Languages {
		for from := range l.Spellings {
			if other, ok := seen[from]; ok {
				t.Errorf("spelling %q is in the tables of both %s and %s", from, other, l.Code)
			}
			seen[from] = l.Code
		}
		for from, to := range l.Spellings {
			if len(Words(to)) == 0 {
				t.Errorf("%s: spelling %q stands for no word", l.Code, from)
			}
			if got := Words(from); len(got) != 1 || got[0] != from {
				t.Errorf("%s: spelling %q is not one lower-case word (Words gives %q)", l.Code, from, got)
			}
			for _, other := range Languages {
				for _, list := range [][]string{other.Markers, other.Fillers, other.SmallTalk} {
					if slices.Contains(list, from) {
						t.Errorf("%s: spelling %q is already a word of the %s tables", l.Code, from, other.Code)
					}
				}
			}
		}
	}
}

package knowledge

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"headspace", "headspce", 1},
		{"enkeltfag", "enkelfag", 1},
		{"erhvervsmentor", "erhversmentor", 1},
		{"ab", "ba", 1},
		{"grenå", "grena", 1},
		{"kamp", "fgu", 4}, // capped at max+1,
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, 3); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestWordsAndFold(t *testing.T) {
	if got, want := Words("Hvad er HF-enkeltfag?? 🙂 SU'en"), []string{"hvad", "er", "hf", "enkeltfag", "su", "en"}; !slices.Equal(got, want) {
		t.Errorf("Words = %q; want %q", got, want)
	}
	if got, want := Fold("Grenå Ærø Søby"), "grenaa aeroe soeby"; got != want {
		t.Errorf("Fold = %q; want %q", got, want)
	}
}

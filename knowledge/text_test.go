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

// TestWordsJoinsDottedAbbreviations checks that an abbreviation written with dots is one word,
// and that other dots still separate words.
func TestWordsJoinsDottedAbbreviations(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"hvor finder jeg F.G.U. i Viborg", []string{"hvor", "finder", "jeg", "fgu", "i", "viborg"}},
		{"s.u og h.f", []string{"su", "og", "hf"}},
		{"bl.a. FGU. Det er fint", []string{"bl", "a", "fgu", "det", "er", "fint"}},
		{"kl. 8.30", []string{"kl", "8", "30"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q; want %q", tt.in, got, tt.want)
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

package crisis

import (
	"slices"
	"testing"
)

// TestTokenize checks the spellings tokenize evens out: folded letters, repeated letters,
// apostrophes, spoken forms of function words and emoji that stand for a word.
func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Jeg kan IKKE mere", []string{"jeg", "kan", "ikke", "mere"}},
		{"ka ikk mer", []string{"kan", "ikke", "mere"}},
		{"nooo I can't", []string{"no", "i", "cant"}},
		{"skærer", []string{"skaerer"}},
		{"🪦 me soon", []string{"gravsten", "me", "soon"}},
		{"💊💊💊", []string{"pille", "pille", "pille"}},
		{"haha 😂", []string{"haha", "haha"}},
		{"ok 😭💀", []string{"ok"}},
		{"41kg og 20stk, covid19", []string{"41", "kg", "og", "20", "stk", "covid19"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range tokenize(tt.in) {
			got = append(got, tok.text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

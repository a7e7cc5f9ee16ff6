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
		if got := tokenFields(tt.in, func(tok token) string { return tok.text }); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestSentenceGaps checks where tokenize puts a sentence end: after ".", "!", "?", a new line
// or ";", but not inside a run of dots, which chat uses as a pause ("min sidste dag.. på
// arbejdet"); and that a chat spelling standing for several words gives a token for each.
func TestSentenceGaps(t *testing.T) {
	tests := []struct {
		in   string
		want []int // the tokens' positions
	}{
		{"dag. på", []int{0, 1 + SentenceGap}},
		{"dag! på", []int{0, 1 + SentenceGap}},
		{"dag.. på", []int{0, 1}},
		{"dag... på", []int{0, 1}},
		{"idk nu", []int{0, 1, 2, 3}}, // "i dont know nu"
	}
	for _, tt := range tests {
		if got := tokenFields(tt.in, func(tok token) int { return tok.pos }); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) positions = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// tokenFields returns one field of each token tokenize makes of in.
func tokenFields[T any](in string, field func(token) T) []T {
	var out []T
	for _, tok := range tokenize(in) {
		out = append(out, field(tok))
	}
	return out
}

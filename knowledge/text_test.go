package knowledge

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
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

// joinDottedAsRunes is joinDotted as it was written first, over the text's runes; the test
// below holds joinDotted to it.
func joinDottedAsRunes(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	rs := []rune(s)
	single := func(i int) bool {
		return i >= 0 && i < len(rs) && unicode.IsLetter(rs[i]) &&
			(i == 0 || !unicode.IsLetter(rs[i-1])) && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1]))
	}
	var b strings.Builder
	changed := false
	for i, r := range rs {
		if r == '.' && single(i-1) && single(i+1) {
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	if !changed {
		return s
	}
	return b.String()
}

// TestJoinDottedAsRunes checks that joinDotted gives the words the rune version gave, on every
// asked and evaluation question of the embedded base and on dots at the edges, between
// letters of other scripts, beside digits and beside invalid UTF-8.
func TestJoinDottedAsRunes(t *testing.T) {
	base, err := Load(Embedded(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{".", "a.", ".a", "a.b", "ab.c", "a.bc", "a.b.c.", "f.g.u", "F.G.U.", "æ.ø.å", "é.ü", "1.2", "a.1",
		"x.\xff", "\xff.a.b", "a.\xffb", "d.v.s. s.u. og bl.a.", "日.本", "a..b", "a. b", "i.e. e.g.", "ø.", "s.u-lån"}
	for _, q := range append(slices.Clone(base.Questions), base.Asked...) {
		texts = append(texts, q.Text)
	}
	joined := 0
	for _, text := range texts {
		lower := strings.ToLower(text)
		got, want := joinDotted(lower), joinDottedAsRunes(lower)
		gotWords := strings.FieldsFunc(got, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		wantWords := strings.FieldsFunc(want, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if !slices.Equal(gotWords, wantWords) {
			t.Errorf("joinDotted(%q) = %q; the rune version %q", text, got, want)
		}
		if got != lower {
			joined++
		}
	}
	if joined < 10 {
		t.Errorf("only %d texts had a dot to drop; the test needs more", joined)
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

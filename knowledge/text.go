package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words splits text into lowercase words: runs of letters and digits. Everything else
// (punctuation, emoji, hyphens, markup) separates words, except a dot between single letters:
// an abbreviation written with dots is one word ("F.G.U." and "s.u" are "fgu" and "su"). It is
// the one tokenizer that question handling uses, so the engine and the index agree on what a
// word is.
func Words(text string) []string {
	return strings.FieldsFunc(joinDotted(strings.ToLower(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// joinDotted drops each dot that stands between two single letters ("f.g.u" → "fgu"); text
// without such a dot is returned as it is. Letters are read around each dot in place: the
// whole text turned into runes for any dot was a third of knowledge.Words in a cold start's
// profile, nearly every sentence having a full stop (2026-12-05).
func joinDotted(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is written to b
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || !singleBefore(s[:i]) || !singleAfter(s[i+1:]) {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		last = i + 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// singleBefore reports whether s ends with a letter that has no letter right before it.
func singleBefore(s string) bool {
	r, n := utf8.DecodeLastRuneInString(s)
	if n == 0 || !unicode.IsLetter(r) {
		return false
	}
	p, m := utf8.DecodeLastRuneInString(s[:len(s)-n])
	return m == 0 || !unicode.IsLetter(p)
}

// singleAfter reports whether s starts with a letter that has no letter right after it.
func singleAfter(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLetter(r) {
		return false
	}
	p, m := utf8.DecodeRuneInString(s[n:])
	return m == 0 || !unicode.IsLetter(p)
}

// Fold lowercases s and spells the Danish letters the way keyboards without them do
// (æ→ae, ø→oe, å→aa, also é→e and ü→u), so "Grenå" and "Grenaa" compare equal.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'æ', 'ä':
			b.WriteString("ae")
		case 'ø', 'ö':
			b.WriteString("oe")
		case 'å':
			b.WriteString("aa")
		case 'é', 'è', 'ê':
			b.WriteByte('e')
		case 'ü':
			b.WriteByte('u')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FoldedWords returns Words(Fold(text)).
func FoldedWords(text string) []string { return Words(Fold(text)) }

// Distance is the optimal-string-alignment edit distance between a and b, or max+1 once it
// is certain to exceed max.
// It counts runes, so "å" is one letter.
func Distance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

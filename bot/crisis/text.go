package crisis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vejviser/vejviser/knowledge"
)

// SentenceGap is how many word positions a sentence end adds between two words, so that a rule
// window of 8 words rarely joins two unrelated sentences ("min telefon er ved at dø. jeg vil
// gerne have hjælp") but still joins short ones ("min stedfar. han slår mig").
const SentenceGap = 4

// token is one word of a message: folded (æ→ae, ø→oe, å→aa), lowercased, apostrophes removed
// ("can't" → "cant"), letters repeated three times or more shortened to one ("nooo" → "no").
type token struct {
	text string
	pos  int // position counting SentenceGap at each sentence end
}

// tokenize splits text into tokens. It reads all of text, whatever its length.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/5+1)
	var b strings.Builder
	pos := 0
	gap := false
	var last rune
	run := 0
	flush := func() {
		if b.Len() == 0 {
			return
		}
		if gap && len(toks) > 0 {
			pos += SentenceGap
		}
		gap = false
		word := b.String()
		if std, ok := spoken[word]; ok {
			for _, w := range std {
				toks = append(toks, token{text: w, pos: pos})
				pos++
			}
		} else {
			toks = append(toks, token{text: word, pos: pos})
			pos++
		}
		b.Reset()
		last, run = 0, 0
	}
	for i, w := 0, 0; i < len(text); i += w {
		r, size := utf8.DecodeRuneInString(text[i:])
		w = size
		if r == utf8.RuneError && size == 1 {
			flush()
			continue
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if unicode.IsLetter(r) && unicode.IsDigit(last) {
				// a number written onto its unit is two words: "41kg", "20stk", "3dage"
				flush()
			}
			if r == last {
				run++
				if run >= 2 && !unicode.IsDigit(r) { // a third repeat: "nooo" → "no"
					if run == 2 {
						// drop the second copy already written
						s := b.String()
						s = s[:len(s)-len(fold(r))]
						b.Reset()
						b.WriteString(s)
					}
					continue
				}
			} else {
				last, run = r, 0
			}
			b.WriteString(fold(r))
		case r == '\'' || r == '’' || r == '`' || r == '´':
			// inside a word: "can't" → "cant"; elsewhere a separator
			if b.Len() == 0 {
				continue
			}
		default:
			flush()
			if word, ok := emojiWords[r]; ok {
				b.WriteString(word)
				flush()
				continue
			}
			dots := r == '.' && (i+1 < len(text) && text[i+1] == '.' || i > 0 && text[i-1] == '.')
			if (r == '.' && !dots) || r == '!' || r == '?' || r == '\n' || r == ';' {
				// a run of dots ("min sidste dag.. på arbejdet") is a pause in chat, not an end
				gap = true
			}
		}
	}
	flush()
	return toks
}

// spoken maps the chat spellings of common words (knowledge.Spellings: "ik", "ka", "mæ", "idk")
// to the folded words they stand for, so that every phrase written with "ikke" or "kan" also
// matches "kan ik få luft", "ka ikk mere". Measured on the crisis examples: on 2026-11-30 the
// detector's own list of fourteen spellings let the rules find 21 more of the 2,537 acute
// examples and no more harmless ones; on 2026-12-01 (twelfth session) the shared table let them
// find 10 more of about 27,000 and raise no new alarm, once phrases in crisis.toml read "gonna"
// as "going to" as messages do.
var spoken = func() map[string][]string {
	m := map[string][]string{}
	for from, to := range knowledge.Spellings() {
		m[foldWord(from)] = strings.Fields(foldWord(to))
	}
	return m
}()

// foldWord folds and lowercases every letter of s and turns what is not a letter, digit or
// space into a space, as tokenize reads a message ("don't" → "dont").
func foldWord(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(fold(r))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// emojiWords reads a few emoji as the words they stand for, so that "🪦 me soon" or "💊💊💊"
// reach the rules and the classifier instead of vanishing with the other symbols (folded forms).
// Laughing faces read as "haha", so the exception for laughter sees "min mor slår mig ihjel 😅"
// (third session: one rule alarm fewer on the examples, no acute example lost). The crying face
// and the skull stay out: both are laughter in chat and grief or death as well.
var emojiWords = map[rune]string{
	'🪦': "gravsten", '⚰': "kiste", '🔪': "kniv", '💊': "pille", '🩸': "blod", '🔫': "pistol", '🪢': "reb",
	'😂': "haha", '🤣': "haha", '😆': "haha", '😅': "haha",
}

// fold spells a lowercase rune the way keyboards without Danish letters do.
func fold(r rune) string {
	switch r {
	case 'æ', 'ä':
		return "ae"
	case 'ø', 'ö':
		return "oe"
	case 'å':
		return "aa"
	case 'é', 'è', 'ê', 'ë':
		return "e"
	case 'ü', 'ú', 'ù':
		return "u"
	case 'á', 'à', 'â':
		return "a"
	case 'í', 'ì', 'ï':
		return "i"
	case 'ó', 'ò', 'ô':
		return "o"
	}
	return string(r)
}

// foldWord folds an editor's word the way tokenize folds a message's words.
func foldWords(s string) []string {
	toks := tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.text
	}
	return out
}

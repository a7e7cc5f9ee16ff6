package bot

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vejviser/vejviser/knowledge"
)

// Language codes of answers.
const (
	Danish  = "da"
	English = "en"
)

// englishWords and danishWords are common words that tell the two languages apart. Words
// spelled the same in both ("i", "for", "under") are in neither list.
var englishWords, danishWords = wordSet(`
	what whats how why when where who which is are am was were be been the a an and or but of to
	rn so bad hurts hurt cant breathe chest attack panic really ngl tbh idk pls anymore keep
	with without about can could would should will do does did don doesn didn not no yes my me
	you your we our they their it its this that there these those have has had get got want wanna
	need know help please free young people person someone school education job work working money
	student grant study studying apply application subject single course courses counselling
	counseling advice talk talking anxiety depressed depression lonely friends friend myself
	thinking think feel feeling suicide kill die dying hurt alone live living life best
	if from just any anyone some something find looking look hi hello thanks thank much many
	municipality near am im i'm getting support disability special needs parents family
	unemployed benefits allowance dyslexia drugs alcohol mentor internship centre center
	`), wordSet(`
	hvad hvordan hvorfor hvornår hvem hvilken hvilke hvor jeg du han hun vi dem mig dig os min mit
	mine din dit dine sin sit sine er var være været har havde og eller men af til med uden om kan
	kunne vil ville skal skulle må få får fik ikke ingen ja nej det den de der her en et noget nogen
	gerne bare også meget mere hjælp hjælpe ung unge uddannelse uddannelser skole job arbejde penge
	søge søger ansøgning fag kursus vejledning vejleder samtale angst ensom venner ven selv tænker
	føler dø leve liv bedste hej tak mange kommune bor støtte handicap særlige behov forældre
	familie ledig ydelse ordblind stoffer alkohol praktik klip gratis hvis fra lige
	`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// DetectLanguage returns "en" when text reads as English and "da" otherwise. hint decides
// when the text gives no clue either way (a bare "FGU?").
func DetectLanguage(text, hint string) string {
	da, en := 0, 0
	for _, w := range knowledge.Words(text) {
		if englishWords[w] {
			en++
		}
		if danishWords[w] {
			da++
		}
		if strings.ContainsAny(w, "æøå") {
			da++
		}
	}
	switch {
	case en > da:
		return English
	case da > en:
		return Danish
	case hint == English:
		return English
	default:
		return Danish
	}
}

// placeWords are the words that make an ambiguous town name count: "i Tarm", "fra Ry".
var placeWords = wordSet(`i fra ved naer omkring paa af til mod in near from around kommune`)

// DetectKommune returns the municipality named in text by its name, one of its spellings or
// one of its towns, or "". Towns that are also ordinary words ("Tarm", "Ry") count only after
// a place word such as "i" or "fra". When several are named, the first after a place word
// wins, else the first.
func DetectKommune(base *knowledge.Base, text string) string {
	return newKommuneMatcher(base).detect(text)
}

// kommuneMatcher holds every name of every municipality as folded word sequences.
type kommuneMatcher struct{ names []placeName }

type placeName struct {
	kommune   string
	words     []string
	ambiguous bool
}

func newKommuneMatcher(base *knowledge.Base) *kommuneMatcher {
	m := &kommuneMatcher{}
	for _, k := range base.Kommuner {
		ambiguous := map[string]bool{}
		for _, a := range k.Ambiguous {
			ambiguous[knowledge.Fold(a)] = true
		}
		for _, name := range append(append([]string{k.Name}, k.Spellings...), k.Towns...) {
			if seq := knowledge.FoldedWords(name); len(seq) > 0 {
				m.names = append(m.names, placeName{k.Name, seq, ambiguous[knowledge.Fold(name)]})
			}
		}
	}
	return m
}

func (m *kommuneMatcher) detect(text string) string {
	words := knowledge.FoldedWords(text)
	best, bestPlaced, bestAt := "", false, len(words)
	for _, n := range m.names {
		seq := n.words
		for i := 0; i+len(seq) <= len(words); i++ {
			if !matchSeq(words[i:i+len(seq)], seq, !n.ambiguous) {
				continue
			}
			placed := i > 0 && placeWords[words[i-1]]
			if n.ambiguous && !placed {
				continue
			}
			if (placed && !bestPlaced) || (placed == bestPlaced && i < bestAt) {
				best, bestPlaced, bestAt = n.kommune, placed, i
			}
			break
		}
	}
	return best
}

// matchSeq reports whether words equal seq; with genitive set, the last word may carry a
// genitive s ("Grenaas").
func matchSeq(words, seq []string, genitive bool) bool {
	for i := range seq {
		w := words[i]
		if w == seq[i] {
			continue
		}
		if genitive && i == len(seq)-1 && w == seq[i]+"s" {
			continue
		}
		return false
	}
	return true
}

// swapped reports whether w is p with two neighbouring letters swapped.
func swapped(w, p string) bool {
	a, b := []rune(w), []rune(p)
	if len(a) != len(b) {
		return false
	}
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && string(a[i+2:]) == string(b[i+2:])
		}
	}
	return false
}

// crisisMatcher finds crisis phrases in a question. It is built from crisis.toml alone and
// never touches the search index.
type crisisMatcher struct {
	phrases [][]string
	except  [][]string
	combos  [][2][]string
}

// slang maps informal spellings to the words crisis phrases are written with, and folds the
// pronouns of other people into the first person, so "end his life" and "tage sit liv" (a
// friend at risk) match the phrases written as "end my life" and "tage mit liv".
var slang = map[string]string{"ik": "ikke", "ikk": "ikke", "ka": "kan", "dont": "don", "im": "i", "wanna": "want",
	"his": "my", "her": "my", "their": "my", "your": "my", "himself": "myself", "herself": "myself",
	"themselves": "myself", "yourself": "myself", "sit": "mit", "dit": "mit", "hans": "mit", "hendes": "mit",
	"sig": "mig", "dig": "mig", "ham": "mig", "hende": "mig", "sine": "mine", "dine": "mine"}

func newCrisisMatcher(c knowledge.Crisis) *crisisMatcher {
	m := &crisisMatcher{}
	for _, p := range append(append([]string{}, c.Phrases.DA...), c.Phrases.EN...) {
		if ws := normalizeCrisis(knowledge.FoldedWords(p)); len(ws) > 0 {
			m.phrases = append(m.phrases, ws)
		}
	}
	for _, c := range c.Combos {
		m.combos = append(m.combos, [2][]string{foldAll(c.A), foldAll(c.B)})
	}
	for _, p := range c.Phrases.Except {
		if ws := normalizeCrisis(knowledge.FoldedWords(p)); len(ws) > 0 {
			m.except = append(m.except, ws)
		}
	}
	return m
}

func foldAll(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, knowledge.Fold(w))
	}
	return out
}

// anyWord reports whether a word of words matches one of set (inflections included).
func anyWord(words, set []string) bool {
	for _, w := range words {
		for _, s := range set {
			if wordMatches(w, s, false) {
				return true
			}
		}
	}
	return false
}

// withoutExceptions removes the words of every exception idiom found in words.
func (m *crisisMatcher) withoutExceptions(words []string) []string {
	for _, ex := range m.except {
		for i := 0; i+len(ex) <= len(words); i++ {
			if slices.Equal(words[i:i+len(ex)], ex) {
				words = append(words[:i:i], words[i+len(ex):]...)
				i--
			}
		}
	}
	return words
}

// crisisGlue are small words dropped from both phrases and questions before matching, so
// "dont wanna be alive" meets "don't want to be alive".
var crisisGlue = wordSet(`t to at a the s`)

func normalizeCrisis(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if s, ok := slang[w]; ok {
			w = s
		}
		if !crisisGlue[w] {
			out = append(out, w)
		}
	}
	return out
}

// Match reports whether text contains a crisis phrase. A one-word phrase of five letters or
// more also matches words that start with it ("selvmord" in "selvmordstanker") and, from
// seven letters, a word one typo away. In longer phrases one extra word may stand between two
// phrase words ("vil bare ikke leve"), and words of four letters or more may be inflected
// ("vågner" for "vågne"). A combo matches when the question holds a word of each of its two
// lists.
func (m *crisisMatcher) Match(text string) bool {
	words := m.withoutExceptions(normalizeCrisis(knowledge.FoldedWords(text)))
	for _, c := range m.combos {
		if anyWord(words, c[0]) && anyWord(words, c[1]) {
			return true
		}
	}
	for _, p := range m.phrases {
		if len(p) == 1 {
			long := utf8.RuneCountInString(p[0]) >= 5
			for _, w := range words {
				if wordMatches(w, p[0], long) {
					return true
				}
			}
			continue
		}
		for i := range words {
			if matchFrom(words, i, p) {
				return true
			}
		}
	}
	return false
}

func matchFrom(words []string, i int, p []string) bool {
	if !wordMatches(words[i], p[0], false) {
		return false
	}
	j := i + 1
	for k := 1; k < len(p); k++ {
		last := k == len(p)-1
		switch {
		case j < len(words) && wordMatches(words[j], p[k], last):
			j++
		case j+1 < len(words) && wordMatches(words[j+1], p[k], last):
			j += 2
		default:
			return false
		}
	}
	return true
}

func wordMatches(w, p string, prefix bool) bool {
	if w == p || (prefix && strings.HasPrefix(w, p)) {
		return true
	}
	// An inflected form of a word of four letters or more: "tager" for "tage", "kills"
	// for "kill". (Words are folded, so "dø" is "doe" and must not match "does".)
	if n := utf8.RuneCountInString(p); n >= 4 && strings.HasPrefix(w, p) && utf8.RuneCountInString(w)-n <= 3 {
		return true
	}
	n := utf8.RuneCountInString(p)
	if n >= 4 && swapped(w, p) { // "lvee" for "leve": two letters typed in the wrong order
		return true
	}
	if n < 7 { // shorter words are one typo from too many others ("tævet" → "hævet")
		return false
	}
	if knowledge.Distance(w, p, 1) <= 1 {
		return true
	}
	if prefix {
		rs := []rune(w)
		for _, l := range []int{n - 1, n, n + 1} {
			if l <= len(rs) && knowledge.Distance(string(rs[:l]), p, 1) <= 1 {
				return true
			}
		}
	}
	return false
}

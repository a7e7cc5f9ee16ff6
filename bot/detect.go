package bot

import (
	"strings"

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

package bot

import (
	"slices"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// Language codes of answers.
const (
	Danish  = "da"
	English = "en"
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// markers holds each language's marker words as a set, in the order of knowledge.Languages.
var markers = func() []map[string]bool {
	out := make([]map[string]bool, len(knowledge.Languages))
	for i, l := range knowledge.Languages {
		out[i] = wordSet(strings.Join(l.Markers, " "))
	}
	return out
}()

// DetectLanguage returns the code of the language text reads as ("da" or "en"): the one with
// the most marker words (knowledge.Languages). hint decides when the text gives no clue
// either way (a bare "FGU?"); without a hint it is the first language, Danish.
func DetectLanguage(text, hint string) string {
	counts := make([]int, len(knowledge.Languages))
	for _, w := range knowledge.Words(text) {
		for i, l := range knowledge.Languages {
			if markers[i][w] {
				counts[i]++
			}
			if l.Letters != "" && strings.ContainsAny(w, l.Letters) {
				counts[i]++
			}
		}
	}
	best, tie := 0, false
	for i := 1; i < len(counts); i++ {
		switch {
		case counts[i] > counts[best]:
			best, tie = i, false
		case counts[i] == counts[best]:
			tie = true
		}
	}
	if tie || counts[best] == 0 {
		return knowledge.LanguageFor(hint).Code
	}
	return knowledge.Languages[best].Code
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

// kommuneMatcher holds every name of every municipality as folded word sequences, and the
// names by their first word, so that a question is compared only with the names one of its
// words can begin. Comparing every name at every word was 8 % of an answer's CPU in the
// profile of issue 7.
type kommuneMatcher struct {
	names   []placeName
	byFirst map[string][]int32
}

type placeName struct {
	kommune   string
	words     []string
	ambiguous bool
}

func newKommuneMatcher(base *knowledge.Base) *kommuneMatcher {
	m := &kommuneMatcher{byFirst: map[string][]int32{}}
	for _, k := range base.Kommuner {
		ambiguous := map[string]bool{}
		for _, a := range k.Ambiguous {
			ambiguous[knowledge.Fold(a)] = true
		}
		for _, name := range append(append([]string{k.Name}, k.Spellings...), k.Towns...) {
			if seq := knowledge.FoldedWords(name); len(seq) > 0 {
				m.byFirst[seq[0]] = append(m.byFirst[seq[0]], int32(len(m.names)))
				m.names = append(m.names, placeName{k.Name, seq, ambiguous[knowledge.Fold(name)]})
			}
		}
	}
	return m
}

// candidates returns, in the order of m.names, the names whose first word is one of words or,
// for a one-word name, one of words without a genitive s: the only names that can match.
func (m *kommuneMatcher) candidates(words []string) []int32 {
	var out []int32
	for _, w := range words {
		out = append(out, m.byFirst[w]...)
		if g, ok := strings.CutSuffix(w, "s"); ok {
			for _, n := range m.byFirst[g] {
				if len(m.names[n].words) == 1 {
					out = append(out, n)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (m *kommuneMatcher) detect(text string) string {
	words := knowledge.FoldedWords(text)
	return m.pick(words, m.candidates(words))
}

// pick returns the municipality of the best of the given names (indices of m.names, in order)
// found in words: the first after a place word, else the first.
func (m *kommuneMatcher) pick(words []string, names []int32) string {
	best, bestPlaced, bestAt := "", false, len(words)
	for _, c := range names {
		n := m.names[c]
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
		if genitive && i == len(seq)-1 && len(w) == len(seq[i])+1 && w[len(seq[i])] == 's' && w[:len(seq[i])] == seq[i] {
			continue
		}
		return false
	}
	return true
}

package index

import (
	"slices"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// aliasMatcher finds the offers a question names: the entries' aliases ("FGU", "headspace",
// "specialpædagogisk støtte") as folded word sequences, so "Headspace", "headspace's" and
// "specialpaedagogisk stoette" all count.
type aliasMatcher struct {
	byFirst map[string][]aliasSeq
	// single holds the one-word aliases of AliasTypoMinLen letters or more by first letter and
	// length, for matching them with a typo ("headspce").
	single map[aliasKey][]aliasSeq
	// parts holds, by offer, the entries that tell one side of it (their part_of).
	parts map[string][]string
}

type aliasKey struct {
	first rune
	n     int
}

// AliasTypoMinLen is the shortest one-word alias that also matches with one typo: shorter
// names are too close to other words ("stu" and "stue", "sps" and "sms").
const AliasTypoMinLen = 6

type aliasSeq struct {
	words []string
	ids   []string // entries that have this alias
}

func newAliasMatcher(base *knowledge.Base) *aliasMatcher {
	m := &aliasMatcher{byFirst: map[string][]aliasSeq{}, single: map[aliasKey][]aliasSeq{}, parts: map[string][]string{}}
	idx := map[string]int{} // joined words → position in byFirst[first]
	for _, e := range base.Entries {
		for _, a := range e.Aliases {
			ws := knowledge.FoldedWords(a)
			if len(ws) == 0 {
				continue
			}
			key := strings.Join(ws, " ")
			if i, ok := idx[key]; ok {
				seq := &m.byFirst[ws[0]][i]
				if !slices.Contains(seq.ids, e.ID) {
					seq.ids = append(seq.ids, e.ID)
				}
				continue
			}
			idx[key] = len(m.byFirst[ws[0]])
			m.byFirst[ws[0]] = append(m.byFirst[ws[0]], aliasSeq{words: ws, ids: []string{e.ID}})
		}
	}
	for _, e := range base.Entries { // an entry that tells one side of an offer (part_of)
		if e.PartOf != "" {
			m.parts[e.PartOf] = append(m.parts[e.PartOf], e.ID)
		}
	}
	for first, seqs := range m.byFirst { // longest first, so "hf enkeltfag" wins over "hf"
		slices.SortStableFunc(seqs, func(a, b aliasSeq) int { return len(b.words) - len(a.words) })
		m.byFirst[first] = seqs
		for _, seq := range seqs {
			if rs := []rune(seq.words[0]); len(seq.words) == 1 && len(rs) >= AliasTypoMinLen {
				k := aliasKey{rs[0], len(rs)}
				m.single[k] = append(m.single[k], seq)
			}
		}
	}
	return m
}

// typo returns the one-word alias one edit from w, if exactly one such alias exists.
func (m *aliasMatcher) typo(w string) (aliasSeq, bool) {
	rs := []rune(w)
	if len(rs) < AliasTypoMinLen {
		return aliasSeq{}, false
	}
	var found []aliasSeq
	for n := len(rs) - 1; n <= len(rs)+1; n++ {
		for _, seq := range m.single[aliasKey{rs[0], n}] {
			if knowledge.Distance(w, seq.words[0], 1) <= 1 {
				found = append(found, seq)
			}
		}
	}
	if seq, ok := m.lettered(rs); ok && !slices.ContainsFunc(found, func(f aliasSeq) bool { return f.words[0] == seq.words[0] }) {
		found = append(found, seq)
	}
	if len(found) != 1 {
		return aliasSeq{}, false
	}
	return found[0], true
}

// find returns the entries whose aliases the question names, in the order they are named. An
// alias inside a longer one ("hf" in "hf enkeltfag") does not count; a genitive s
// ("headspaces"), a Danish ending on an abbreviation ("FGUen"), a letter before a long name
// ("eheadspace") and one typo in a long name ("headspce") do, and so does a one-word alias
// that begins a compound whose rest is a word the knowledge base knows ("højskole|kursus";
// known reports that).
func (m *aliasMatcher) find(text string, known func(string) bool) []string {
	words := knowledge.FoldedWords(text)
	var out []string
	add := func(seq aliasSeq) {
		for _, id := range seq.ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for i := 0; i < len(words); {
		matched := 0
		for _, seq := range m.byFirst[words[i]] {
			if n := seq.matchAt(words, i); n > 0 {
				add(seq)
				matched = n
				break
			}
		}
		if matched == 0 {
			if seq, ok := m.typo(words[i]); ok && len(m.byFirst[words[i]]) == 0 {
				add(seq)
			} else if seq, ok := m.compound(words[i], known); ok {
				add(seq)
			} else if seq, ok := m.inflected(words[i]); ok {
				add(seq)
			}
			matched = 1
		}
		i += matched
	}
	return out
}

// inflections are the endings a one-word alias takes in a question, longest first: the
// genitive s ("headspaces") and the Danish definite and plural endings written straight onto an
// abbreviation ("FGUen", "SUen", "STUerne"); "FGU'en" splits into two words and needs none.
var inflections = []string{"ernes", "erne", "ens", "ets", "en", "et", "er", "s"}

// afterE are the same endings on a name that ends in e ("højskolen", "højskolerne").
var afterE = []string{"rnes", "rne", "ns", "n", "r"}

// inflected returns the one-word alias that w is with one of the inflections, when w has four
// letters or more ("sus" is a word) and what is left two or more.
func (m *aliasMatcher) inflected(w string) (aliasSeq, bool) {
	if len(w) <= 3 {
		return aliasSeq{}, false
	}
	name := func(head string) (aliasSeq, bool) {
		if len(head) < 2 {
			return aliasSeq{}, false
		}
		for _, seq := range m.byFirst[head] {
			if len(seq.words) == 1 {
				return seq, true
			}
		}
		return aliasSeq{}, false
	}
	for _, suf := range inflections {
		if head, ok := strings.CutSuffix(w, suf); ok {
			if seq, ok := name(head); ok {
				return seq, true
			}
		}
	}
	for _, suf := range afterE {
		if head, ok := strings.CutSuffix(w, suf); ok && strings.HasSuffix(head, "e") {
			if seq, ok := name(head); ok {
				return seq, true
			}
		}
	}
	return aliasSeq{}, false
}

// bare returns the one-word alias that w inflects ("fguen") or carries a letter before
// ("eheadspace"), or "" – for searching the question with the offer's own name.
func (m *aliasMatcher) bare(w string) string {
	if len(m.byFirst[w]) > 0 {
		return ""
	}
	if seq, ok := m.inflected(w); ok {
		return seq.words[0]
	}
	if seq, ok := m.lettered([]rune(w)); ok {
		return seq.words[0]
	}
	return ""
}

// lettered returns the one-word alias of AliasTypoMinLen letters or more that the word rs is
// with one letter before it ("eheadspace", an online version's e).
func (m *aliasMatcher) lettered(rs []rune) (aliasSeq, bool) {
	if len(rs) <= AliasTypoMinLen {
		return aliasSeq{}, false
	}
	for _, seq := range m.single[aliasKey{rs[1], len(rs) - 1}] {
		if string(rs[1:]) == seq.words[0] {
			return seq, true
		}
	}
	return aliasSeq{}, false
}

// partsOf returns the entries that tell one side of a named offer (part_of) and are not named
// themselves: the offer's name names them too, so the question's other words decide between
// the offer and its sides.
func (m *aliasMatcher) partsOf(named []string) []string {
	var out []string
	for _, id := range named {
		for _, p := range m.parts[id] {
			if !slices.Contains(named, p) && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// compound returns the one-word alias (of four letters or more) that begins w, when the rest
// of w (after a linking s) is a known word of three letters or more.
func (m *aliasMatcher) compound(w string, known func(string) bool) (aliasSeq, bool) {
	if known == nil {
		return aliasSeq{}, false
	}
	rs := []rune(w)
	for i := len(rs) - 3; i >= 4; i-- {
		head, rest := string(rs[:i]), string(rs[i:])
		for _, seq := range m.byFirst[head] {
			if len(seq.words) != 1 {
				continue
			}
			if known(rest) || (strings.HasPrefix(rest, "s") && len(rest) > 3 && known(rest[1:])) {
				return seq, true
			}
		}
	}
	return aliasSeq{}, false
}

func (s aliasSeq) matchAt(words []string, i int) int {
	if i+len(s.words) > len(words) {
		return 0
	}
	for j, w := range s.words {
		if words[i+j] != w {
			return 0
		}
	}
	return len(s.words)
}

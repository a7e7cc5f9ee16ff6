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
	if len(found) != 1 {
		return aliasSeq{}, false
	}
	return found[0], true
}

// find returns the entries whose aliases the question names, in the order they are named. An
// alias inside a longer one ("hf" in "hf enkeltfag") does not count; a genitive s
// ("headspaces") does, and so does a one-word alias that begins a compound whose rest is a
// word the knowledge base knows ("højskole|kursus"; known reports that).
func (m *aliasMatcher) find(text string, known func(string) bool) []string {
	words := knowledge.FoldedWords(text)
	var out []string
	for i := 0; i < len(words); {
		matched := 0
		for _, seq := range m.byFirst[words[i]] {
			if n := seq.matchAt(words, i); n > 0 {
				for _, id := range seq.ids {
					if !slices.Contains(out, id) {
						out = append(out, id)
					}
				}
				matched = n
				break
			}
		}
		if matched == 0 {
			if seq, ok := m.typo(words[i]); ok && len(m.byFirst[words[i]]) == 0 {
				for _, id := range seq.ids {
					if !slices.Contains(out, id) {
						out = append(out, id)
					}
				}
			} else if seq, ok := m.compound(words[i], known); ok {
				for _, id := range seq.ids {
					if !slices.Contains(out, id) {
						out = append(out, id)
					}
				}
			} else if seqs := m.byFirst[strings.TrimSuffix(words[i], "s")]; len(words[i]) > 3 && len(seqs) > 0 {
				for _, seq := range seqs { // "headspaces": a one-word alias with a genitive s
					if len(seq.words) == 1 {
						for _, id := range seq.ids {
							if !slices.Contains(out, id) {
								out = append(out, id)
							}
						}
						break
					}
				}
			}
			matched = 1
		}
		i += matched
	}
	return out
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

package crisis

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// Typo tolerance. A word of FuzzyMinLen letters or more (a plain word, or a stem before its *)
// also matches a word one edit away (a letter added, dropped, changed or two swapped) that
// starts with the same letter and is not itself a known word (see Options.Known). Measured on
// the crisis examples: below six letters one edit joins too many ordinary words ("tævet" and
// "hævet", "leve" and "lave"), and without the known-word check "sitting" became "hitting".
const FuzzyMinLen = 6

// fuzzyStems makes stems ("selvmord*") match a word whose beginning is one edit away. It is
// off: measured on the crisis examples it found no crisis that exact stems and typo-tolerant
// whole words missed, and it read ordinary compounds as crisis words ("hovedstaden" as
// "hovedskade*").
var fuzzyStems = false

// MaxGap is how many other words may stand between two words of a concept's pattern of three
// words or more (a pattern "a b c" also matches "a x b c"); two-word patterns match only as
// written. An exception's cues allow none: a cue is
// a fixed expression ("dø af grin"), and a loose cue would cancel risks it was never about.
const MaxGap = 1

// atom is one word of a pattern: an exact folded word, a stem (prefix, "kniv*"), a head (the
// end of a compound, "*bro": Danish compounds end in their head word, so "Randersbro" is a
// bridge), or a number bound.
type atom struct {
	word   string
	stem   bool
	head   bool
	number int // > 0: any number at least this big ("#6+")
}

// pattern is a concept word: one or more positions in order, each matched by any of its atoms
// (one atom, or every single word of a concept named "@concept").
type pattern struct {
	atoms   [][]int32
	concept int32
	gap     int // other words allowed between two positions
}

// lexicon finds every pattern of every concept in a message.
type lexicon struct {
	atoms    []atom
	ids      map[atom]int32     // atom → its place in atoms
	exact    map[string][]int32 // folded word → exact atoms
	stems    map[string][]int32 // stem → stem atoms
	stemLens []int              // distinct stem lengths, ascending
	heads    map[string][]int32 // compound head → head atoms
	headLens []int              // distinct head lengths, ascending
	fuzzy    map[string][]int32 // a long atom and each of its one-letter deletions → atoms
	numbers  []int32            // number atoms
	patterns []pattern
	single   map[int32][]int32    // atom → the patterns of one position it matches
	pairs    map[[2]int32][]int32 // first and second atom → the patterns they begin, ascending
	maxGap   int                  // the largest gap of any pattern
	known    map[string]bool      // correctly spelled words, never read as typos
	fuzzed   map[int32]bool       // atoms indexed for typo matching (concept words, not cues)
	cueFrom  int32                // concepts from this id on are exception cues; -1 before
}

func newLexicon() *lexicon {
	return &lexicon{ids: map[atom]int32{}, exact: map[string][]int32{}, stems: map[string][]int32{}, fuzzy: map[string][]int32{},
		single: map[int32][]int32{}, pairs: map[[2]int32][]int32{}, heads: map[string][]int32{}, known: map[string]bool{}, fuzzed: map[int32]bool{}, cueFrom: -1}
}

// parseAtom reads one part of an editor's word: "skær*", "piller", "#6+".
func parseAtom(part string) (atom, bool) {
	if n, ok := strings.CutPrefix(part, "#"); ok {
		n, _ = strings.CutSuffix(n, "+")
		v, err := strconv.Atoi(n)
		return atom{number: v}, err == nil && v > 0
	}
	if head, ok := strings.CutPrefix(part, "*"); ok {
		ws := foldWords(head)
		if len(ws) != 1 || strings.HasSuffix(head, "*") {
			return atom{}, false
		}
		return atom{word: ws[0], head: true}, true
	}
	stem, star := strings.CutSuffix(part, "*")
	ws := foldWords(stem)
	if len(ws) != 1 {
		return atom{}, false
	}
	return atom{word: ws[0], stem: star}, true
}

// add compiles word (an editor's word or phrase) as a pattern of concept. A part "@name" stands
// for any single word of the concept name, as compiled so far (refer to concepts defined
// earlier). It reports false when the word cannot be matched; knowledge.Load has already
// rejected such words.
//
// Cues (gap 0) match only as written: a typo of a cue must not cancel a risk.
func (l *lexicon) add(word string, concept int32, gap int, conceptIDs map[string]int32) bool {
	p := pattern{concept: concept, gap: gap}
	fuzzy := gap > 0 || !l.isCue(concept)
	for _, part := range strings.Fields(knowledge.DropApostrophes(word)) {
		if name, ok := strings.CutPrefix(part, "@"); ok {
			alts := l.singleAtoms(conceptIDs[name])
			if _, known := conceptIDs[name]; !known || len(alts) == 0 {
				return false
			}
			p.atoms = append(p.atoms, alts)
			continue
		}
		if !strings.ContainsAny(part, "*#") {
			// a chat spelling that stands for several words ("gonna" → "going to") reads
			// as those words, as it does in a message
			if ws := foldWords(part); len(ws) > 1 {
				for _, w := range ws {
					p.atoms = append(p.atoms, []int32{l.atomID(atom{word: w}, fuzzy)})
				}
				continue
			}
		}
		a, ok := parseAtom(part)
		if !ok {
			return false
		}
		if a.number == 0 && len(foldWords(part)) == 0 {
			return false
		}
		p.atoms = append(p.atoms, []int32{l.atomID(a, fuzzy)})
	}
	if len(p.atoms) == 0 {
		return false
	}
	if len(p.atoms) == 2 {
		p.gap = 0 // a two-word phrase with a gap matches too much ("the end? debating it" for "end it")
	}
	id := int32(len(l.patterns))
	l.patterns = append(l.patterns, p)
	l.maxGap = max(l.maxGap, p.gap)
	for _, a := range p.atoms[0] {
		if len(p.atoms) == 1 {
			l.single[a] = append(l.single[a], id)
			continue
		}
		for _, b := range p.atoms[1] {
			l.pairs[[2]int32{a, b}] = append(l.pairs[[2]int32{a, b}], id)
		}
	}
	return true
}

// isCue reports whether concept is an exception's cues (compiled after every concept).
func (l *lexicon) isCue(concept int32) bool { return l.cueFrom >= 0 && concept >= l.cueFrom }

// singleAtoms returns the atoms of the one-word patterns of concept.
func (l *lexicon) singleAtoms(concept int32) []int32 {
	var out []int32
	for _, p := range l.patterns {
		if p.concept == concept && len(p.atoms) == 1 {
			out = append(out, p.atoms[0]...)
		}
	}
	return out
}

// atomID returns a's place in l.atoms, adding it when new. It looks atoms up in a map: a scan of
// l.atoms was a third of building a detector (2.5 of 7 s in TestShippedCrisisModel, 2026-12-05).
func (l *lexicon) atomID(a atom, fuzzy bool) int32 {
	if id, ok := l.ids[a]; ok {
		if fuzzy {
			l.indexFuzzy(id)
		}
		return id
	}
	id := int32(len(l.atoms))
	l.atoms = append(l.atoms, a)
	l.ids[a] = id
	switch {
	case a.number > 0:
		l.numbers = append(l.numbers, id)
	case a.stem:
		l.stems[a.word] = append(l.stems[a.word], id)
		l.stemLens = insertLen(l.stemLens, len(a.word))
	case a.head:
		l.heads[a.word] = append(l.heads[a.word], id)
		l.headLens = insertLen(l.headLens, len(a.word))
	default:
		l.exact[a.word] = append(l.exact[a.word], id)
	}
	if fuzzy {
		l.indexFuzzy(id)
	}
	return id
}

func insertLen(lens []int, n int) []int {
	i := sort.SearchInts(lens, n)
	if i == len(lens) || lens[i] != n {
		lens = append(lens[:i], append([]int{n}, lens[i:]...)...)
	}
	return lens
}

// indexFuzzy makes a long atom findable one edit away.
func (l *lexicon) indexFuzzy(id int32) {
	a := l.atoms[id]
	if l.fuzzed[id] || a.number != 0 || a.head || len(a.word) < FuzzyMinLen {
		return
	}
	l.fuzzed[id] = true
	for _, v := range deletions(a.word) {
		l.fuzzy[v] = appendUnique(l.fuzzy[v], id)
	}
	l.fuzzy[a.word] = appendUnique(l.fuzzy[a.word], id)
}

func appendUnique(s []int32, v int32) []int32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// deletions returns w with each one of its bytes left out.
func deletions(w string) []string {
	out := make([]string, 0, len(w))
	for i := range len(w) {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

// match appends to dst the atoms that the token w matches.
func (l *lexicon) match(dst []int32, w string) []int32 {
	start := len(dst)
	dst = append(dst, l.exact[w]...)
	for _, n := range l.stemLens {
		if n > len(w) {
			break
		}
		dst = append(dst, l.stems[w[:n]]...)
	}
	for _, n := range l.headLens {
		if n > len(w) {
			break
		}
		dst = append(dst, l.heads[w[len(w)-n:]]...)
	}
	if len(l.numbers) > 0 && isNumber(w) {
		v, err := strconv.Atoi(w)
		for _, id := range l.numbers {
			if err == nil && v >= l.atoms[id].number || err != nil && len(w) > 6 {
				dst = append(dst, id)
			}
		}
	}
	if len(dst) > start || len(w) < FuzzyMinLen-1 || isNumber(w) || l.known[w] {
		return dst
	}
	return l.fuzzyMatch(dst, w)
}

// fuzzyMatch finds the long atoms one edit from w: plain words compared whole, stems compared
// with a prefix of w of about their length.
func (l *lexicon) fuzzyMatch(dst []int32, w string) []int32 {
	var buf [64]byte
	try := func(s string, whole bool) {
		if len(s) > len(buf) {
			return
		}
		check := func(key string) {
			for _, id := range l.fuzzy[key] {
				a := l.atoms[id]
				if a.stem == whole {
					continue
				}
				if s[0] == a.word[0] && knowledge.Distance(s, a.word, 1) <= 1 {
					dst = appendUnique(dst, id)
				}
			}
		}
		check(s)
		for i := range len(s) {
			b := append(buf[:0], s[:i]...)
			b = append(b, s[i+1:]...)
			check(string(b))
		}
	}
	try(w, true)
	if !fuzzyStems {
		return dst
	}
	for _, n := range l.stemLens {
		if n < FuzzyMinLen {
			continue
		}
		for _, m := range []int{n - 1, n, n + 1} {
			if m <= len(w) {
				try(w[:m], false)
			}
		}
	}
	return dst
}

func isNumber(w string) bool {
	for i := range len(w) {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// hit is one pattern found in a message: the concept and the tokens it spans.
type hit struct {
	concept    int32
	start, end int // token indexes, inclusive
	pos        int // position of the first token (sentence ends counted)
	endPos     int
	sentence   int // words in the sentence of the first token (set only when a rule needs it)
}

// find returns every pattern of the lexicon in toks.
func (l *lexicon) find(toks []token) []hit { return l.findFrom(toks, l.candidates) }

// candidates puts in cand the patterns that can begin at word i through its atom a, ascending
// and once each: those of one position, and those whose second position is among the next
// words. Trying every pattern that begins with a (up to 287 for a common word) tried 9.5
// million patterns on a twentieth of the crisis examples to find 134,051; looked up by their
// first two atoms, 112,000. BenchmarkDetect went from 186–233 to 66–96 µs a message
// (2026-12-05). The hits are the same, in the same order (TestFindTriesEveryPattern).
func (l *lexicon) candidates(cand []int32, atoms [][]int32, i int, a int32) []int32 {
	cand = append(cand[:0], l.single[a]...)
	for k := i + 1; k <= i+1+l.maxGap && k < len(atoms); k++ {
		for _, b := range atoms[k] {
			cand = append(cand, l.pairs[[2]int32{a, b}]...)
		}
	}
	if len(cand) > 1 {
		slices.Sort(cand)
		cand = slices.Compact(cand)
	}
	return cand
}

// findFrom returns the patterns in toks that candidates offers at each word's atoms.
func (l *lexicon) findFrom(toks []token, candidates func(cand []int32, atoms [][]int32, i int, a int32) []int32) []hit {
	atoms := make([][]int32, len(toks))
	var all []int32
	for i, t := range toks {
		n := len(all)
		all = l.match(all, t.text)
		atoms[i] = all[n:len(all):len(all)]
	}
	var hits []hit
	var cand []int32
	for i := range toks {
		for ai, a := range atoms[i] {
			cand = candidates(cand, atoms, i, a)
			for _, pid := range cand {
				if containsAtom(atoms[i][:ai], l.patterns[pid].atoms[0]...) {
					continue // already tried through another atom of the same first position
				}
				p := &l.patterns[pid]
				end, ok := matchFrom(atoms, i, p.atoms, p.gap)
				if ok && l.isCue(p.concept) && toks[end].pos-toks[i].pos != end-i {
					// an exception's cue is read within one sentence: "er det forkert at
					// ville dø? for det vil jeg" holds no "dø for"
					ok = false
				}
				if ok {
					hits = append(hits, hit{concept: p.concept, start: i, end: end, pos: toks[i].pos, endPos: toks[end].pos})
				}
			}
		}
	}
	return hits
}

// matchFrom matches the atoms of a pattern from token i on, each within gap other words of the
// one before. It returns the last token matched.
func matchFrom(atoms [][]int32, i int, pat [][]int32, gap int) (int, bool) {
	j := i
	for _, a := range pat[1:] {
		found := false
		for k := j + 1; k <= j+1+gap && k < len(atoms); k++ {
			if containsAtom(atoms[k], a...) {
				j, found = k, true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	return j, true
}

// containsAtom reports whether s holds any of as.
func containsAtom(s []int32, as ...int32) bool {
	for _, x := range s {
		for _, a := range as {
			if x == a {
				return true
			}
		}
	}
	return false
}

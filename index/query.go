package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vejviser/vejviser/knowledge"
)

// UnknownWeight is how much a question word that the knowledge base does not know counts
// against coverage, relative to the rarest known word. Below 1, because chatty questions
// carry words no entry needs ("rough week"); above 0, so a question about something else
// entirely ("FC Midtjylland") is not answered by its one familiar word.
const UnknownWeight = 0.6

// MaxQueryWords caps how many words of a question are searched; the rest are ignored, so a
// pasted essay costs no more than a long question.
const MaxQueryWords = 40

// analyzers gives the Danish and English stems of a word, using the same analyzers as the
// index, so a word's stem here is the term bleve stored.
type analyzers struct{ da, en analysis.Analyzer }

func newAnalyzers(m *mapping.IndexMappingImpl) (*analyzers, error) {
	da, en := m.AnalyzerNamed("da"), m.AnalyzerNamed("en")
	if da == nil || en == nil {
		return nil, fmt.Errorf("index: the da and en analyzers are not registered")
	}
	return &analyzers{da: da, en: en}, nil
}

func terms(a analysis.Analyzer, text string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// fillers are words of chat and questions that carry no topic, beyond the analyzers' stop
// lists ("hej", "please", "hjælp").
var fillers = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`hej hejsa hey hi hello halløj yo tak thanks thank please pls plz
		gerne bare lige godt okay ok hmm øh altså egentlig nogen noget nogle kan kunne må skal vil
		får få fik gøre gør gjorde hvordan hvorfor hvornår hvem hvilken hvilke hvad hvor mig min mit mine
		jeg du dig din dit dine man os vi i er var være været har havde have det den de der her
		også meget mere mest ved vide ved ikke nej ja sige siger spørgsmål spørge spørger
		what how why when where who which can could would should will do does did get got
		i me my you your we our it is are was be been have has had the a an to of in on for
		about any some need want know tell anyone someone something help hjælp hjælpe hjælpen info information
		question ask asking much many lot lots really very so just also still even maybe
		bor bo boede brug bruge nu lige sidste næste år gammel igen altid rigtig rigtigt helt vildt mega sgu
		lidt mange fx osv dvs eks tror synes ved hvis når hvordan sådan sådanne nogle noget ting
		im ive dont cant wont isnt thing things stuff best better good nice great bedst bedste god godt bedre fin fint
		now anymore today tomorrow yesterday week day days time nu idag i dag uge dag dage tid
		tæt nær near close nearby area område omkring ift lol fr pls ppl
		skriv write lav lave make giv give fortæl tell sig say vis show
		cost costs price danmark danmarks denmark old older years aged year last
		region regionen midtjylland midtjyllands jylland month months options option go goes going gå går gik`) {
		fillers[w] = true
	}
}

// vocab is every word of the knowledge base with the number of entries it occurs in, plus
// the Danish and English stems the index holds. It decides which question words are known,
// corrects typos to known words and weighs words by rarity.
type vocab struct {
	df       map[string]int       // surface word → entries containing it
	stems    map[string]bool      // stems present in the index (da and en)
	byLength map[int][]string     // surface words by rune length, for typo correction
	n        int                  // entries
	stemOf   map[string][2]string // surface word → da and en stem, for every word above
	frozen   bool                 // set after build: stemOf is only read from then on
}

func buildVocab(base *knowledge.Base, an *analyzers) *vocab {
	v := &vocab{df: map[string]int{}, stems: map[string]bool{}, byLength: map[int][]string{},
		n: len(base.Entries), stemOf: map[string][2]string{}}
	for _, e := range base.Entries {
		seen := map[string]bool{}
		text := strings.Join([]string{e.Title, strings.Join(e.Keywords, " "), e.Summary, e.Body,
			e.EN.Title, strings.Join(e.EN.Keywords, " "), e.EN.Summary, e.EN.Body}, " ")
		for _, w := range knowledge.Words(text) {
			if !seen[w] {
				seen[w] = true
				v.df[w]++
			}
		}
	}
	for _, s := range base.Synonyms {
		for _, t := range s.Terms {
			for _, w := range knowledge.Words(t) {
				if _, ok := v.df[w]; !ok {
					v.df[w] = 0
				}
			}
		}
	}
	for w := range v.df {
		st := v.stem(an, w)
		if st[0] != "" {
			v.stems[st[0]] = true
		}
		if st[1] != "" {
			v.stems[st[1]] = true
		}
		n := utf8.RuneCountInString(w)
		v.byLength[n] = append(v.byLength[n], w)
	}
	for _, ws := range v.byLength {
		sort.Strings(ws)
	}
	v.frozen = true
	return v
}

// stem returns the Danish and English stems of a single word ("" where it is a stop word).
// Words of the knowledge base are cached while the vocabulary is built; after that the cache
// is only read, so concurrent searches may call stem.
func (v *vocab) stem(an *analyzers, w string) [2]string {
	if st, ok := v.stemOf[w]; ok {
		return st
	}
	var st [2]string
	if t := terms(an.da, w); len(t) > 0 {
		st[0] = t[0]
	}
	if t := terms(an.en, w); len(t) > 0 {
		st[1] = t[0]
	}
	if !v.frozen {
		v.stemOf[w] = st
	}
	return st
}

func (v *vocab) known(an *analyzers, w string) bool {
	if _, ok := v.df[w]; ok {
		return true
	}
	st := v.stem(an, w)
	return (st[0] != "" && v.stems[st[0]]) || (st[1] != "" && v.stems[st[1]])
}

func (v *vocab) idf(w string) float64 {
	df := v.df[w]
	return math.Log(1 + float64(v.n+1)/float64(df+1))
}

func (v *vocab) maxIDF() float64 { return math.Log(1 + float64(v.n+1)) }

// correct returns the known word closest to an unknown word w, or "". Words of 5–9 letters
// may be one edit away, longer words two (a swap of two letters is one edit); the first
// letter must match, and ties go to the more common word. Two edits on a shorter word turn
// too many real words into other real words ("lejlighed" → "ledighed").
func (v *vocab) correct(w string) string {
	n := utf8.RuneCountInString(w)
	maxd := 0
	switch {
	case n >= 10:
		maxd = 2
	case n >= 5:
		maxd = 1
	default:
		return ""
	}
	first, _ := utf8.DecodeRuneInString(w)
	best, bestD, bestDF := "", maxd+1, -1
	for l := n - maxd; l <= n+maxd; l++ {
		for _, c := range v.byLength[l] {
			if r, _ := utf8.DecodeRuneInString(c); r != first {
				continue
			}
			d := knowledge.Distance(w, c, maxd)
			if d < bestD || (d == bestD && v.df[c] > bestDF) {
				best, bestD, bestDF = c, d, v.df[c]
			}
		}
	}
	if bestD > maxd {
		return ""
	}
	return best
}

// split returns two known words that w is made of ("handicaptillæg" → "handicap",
// "tillæg"), allowing the Danish linking s ("uddannelses|vejledning"), or nil.
func (v *vocab) split(w string) []string {
	rs := []rune(w)
	for i := len(rs) - 3; i >= 3; i-- {
		a, b := string(rs[:i]), string(rs[i:])
		if v.knownWord(a) && v.knownWord(b) {
			return []string{a, b}
		}
		if strings.HasSuffix(a, "s") && v.knownWord(strings.TrimSuffix(a, "s")) && v.knownWord(b) {
			return []string{strings.TrimSuffix(a, "s"), b}
		}
	}
	return nil
}

func (v *vocab) knownWord(w string) bool { return v.df[w] > 0 }

// synGroup is a synonym group with each term as a word sequence.
type synGroup struct{ terms [][]string }

func buildSynonyms(base *knowledge.Base) []synGroup {
	var out []synGroup
	for _, s := range base.Synonyms {
		var g synGroup
		for _, t := range s.Terms {
			if ws := knowledge.Words(t); len(ws) > 0 {
				g.terms = append(g.terms, ws)
			}
		}
		out = append(out, g)
	}
	return out
}

// alt is one way of reading a question word: the word itself, a correction, the parts of a
// compound, a joined compound or a synonym. weight is how much it counts.
type alt struct {
	text   string
	weight float64
	da, en []string // stems
}

// group is one content word of the question with its alternatives; idf is how much the
// word weighs in coverage.
type group struct {
	idf  float64
	alts []alt
}

// analyze turns question text into weighted word groups.
func (ix *Index) analyze(text string) []group {
	words := knowledge.Words(text)
	if len(words) > MaxQueryWords {
		words = words[:MaxQueryWords]
	}
	content := make([]bool, len(words))
	for i, w := range words {
		st := ix.vocab.stem(ix.an, w)
		stop := st[0] == "" || st[1] == "" // a stop word in either language
		content[i] = utf8.RuneCountInString(w) >= 2 && !stop && !fillers[w] && !ix.towns[w] && !isNumber(w)
	}
	var groups []group
	index := map[int]int{} // word position → group
	for i, w := range words {
		if !content[i] {
			continue
		}
		var g group
		switch {
		case ix.vocab.known(ix.an, w):
			g.idf = ix.vocab.idf(w)
			g.alts = append(g.alts, ix.alt(w, 1))
		default:
			// An unknown word weighs what the word it resolves to weighs; a word that
			// resolves to nothing weighs UnknownWeight.
			g.idf = UnknownWeight * ix.vocab.maxIDF()
			if parts := ix.vocab.split(w); parts != nil {
				g.alts = append(g.alts, ix.alt(strings.Join(parts, " "), 0.9))
				g.idf = max(ix.vocab.idf(parts[0]), ix.vocab.idf(parts[1]))
			} else if c := ix.vocab.correct(w); c != "" {
				g.alts = append(g.alts, ix.alt(c, 0.85))
				g.idf = ix.vocab.idf(c)
			}
		}
		index[i] = len(groups)
		groups = append(groups, g)
	}
	// Joined compounds: "enkelt fag" → "enkeltfag".
	for i := 0; i+1 < len(words); i++ {
		joined := words[i] + words[i+1]
		if ix.vocab.knownWord(joined) {
			a := ix.alt(joined, 1)
			for _, j := range []int{i, i + 1} {
				if gi, ok := index[j]; ok {
					groups[gi].alts = append(groups[gi].alts, a)
					if groups[gi].idf < ix.vocab.idf(joined) {
						groups[gi].idf = ix.vocab.idf(joined)
					}
				}
			}
		}
	}
	// Synonyms: a term found in the question adds the group's other terms to the words it
	// covers. Terms are compared by Danish or English stem, so "samtaler" finds "samtale"
	// and "drinks" finds "drinking".
	stems := make([][2]string, len(words))
	for i, w := range words {
		stems[i] = ix.vocab.stem(ix.an, w)
	}
	for _, sg := range ix.syn {
		for ti, term := range sg.terms {
			for _, at := range ix.findTerm(words, stems, term) {
				for tj, other := range sg.terms {
					if tj == ti {
						continue
					}
					a := ix.alt(strings.Join(other, " "), 0.8)
					for j := at; j < at+len(term); j++ {
						if gi, ok := index[j]; ok && !slices.ContainsFunc(groups[gi].alts, func(x alt) bool { return x.text == a.text }) {
							groups[gi].alts = append(groups[gi].alts, a)
						}
					}
				}
			}
		}
	}
	return groups
}

// findTerm returns the positions where the word sequence term occurs in words.
func (ix *Index) findTerm(words []string, stems [][2]string, term []string) []int {
	var at []int
	tstems := make([][2]string, len(term))
	for i, w := range term {
		tstems[i] = ix.vocab.stem(ix.an, w)
	}
	same := func(a, b [2]string) bool {
		return (a[0] != "" && a[0] == b[0]) || (a[1] != "" && a[1] == b[1])
	}
	for i := 0; i+len(term) <= len(words); i++ {
		ok := true
		for j := range term {
			if words[i+j] != term[j] && !same(stems[i+j], tstems[j]) {
				ok = false
				break
			}
		}
		if ok {
			at = append(at, i)
		}
	}
	return at
}

func (ix *Index) alt(text string, weight float64) alt {
	return alt{text: text, weight: weight, da: terms(ix.an.da, text), en: terms(ix.an.en, text)}
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Search returns up to limit entries for the question text, best first, each with the share
// of the question it covers. lang ("da" or "en") weighs the fields of that language higher.
// A question with no searchable words returns no hits and no error.
func (ix *Index) Search(ctx context.Context, text, lang string, limit int) ([]knowledge.Hit, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return nil, ErrClosed
	}
	if limit <= 0 {
		limit = 3
	}
	groups := ix.analyze(text)
	if len(groups) == 0 {
		return nil, nil
	}
	// One match query per field and weight class keeps the query small however many
	// alternatives the question has.
	// Two weight classes: the question's own words (and their joins), and everything the
	// engine inferred (corrections, compound parts, synonyms).
	byWeight := map[float64][]string{}
	for _, g := range groups {
		for _, a := range g.alts {
			w := 1.0
			if a.weight < 1 {
				w = 0.8
			}
			byWeight[w] = append(byWeight[w], a.text)
		}
	}
	if len(byWeight) == 0 {
		return nil, nil
	}
	var qs []query.Query
	for w, texts := range byWeight {
		joined := strings.Join(texts, " ")
		for _, f := range fields {
			if f.name == "da_body" && lang == "en" || f.name == "en_body" && lang != "en" {
				continue // the other language's long text adds cost and little else
			}
			if w < 1 && f.cover < 0.5 {
				continue // inferred words (synonyms, corrections) name topics: titles, keywords, summaries
			}
			mq := bleve.NewMatchQuery(joined)
			mq.SetField(f.name)
			boost := f.boost * w
			if (lang == "en") != (f.analyzer == "en") {
				boost *= 0.5
			}
			mq.SetBoost(boost)
			qs = append(qs, mq)
		}
	}
	res, err := ix.run(ctx, bleve.NewDisjunctionQuery(qs...), max(limit*3, 10))
	if err != nil {
		return nil, err
	}
	total := 0.0
	for _, g := range groups {
		total += g.idf
	}
	hits := make([]knowledge.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		sum, strong := coverage(groups, h.Locations)
		cov := sum / total
		// Coverage weighs in squared: an entry that answers the whole question beats one
		// that repeats a single word of it often.
		hits = append(hits, knowledge.Hit{ID: h.ID, Score: h.Score * cov * cov, Coverage: cov, Words: len(groups),
			Strong: strong, Evidence: sum / ix.vocab.maxIDF()})
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// TwoPassAbove is the size of knowledge base from which a search runs in two passes.
const TwoPassAbove = 1000

// run searches for the best n entries with the term locations that coverage needs. A small
// base is searched in one pass. From TwoPassAbove entries it ranks every entry without
// locations first (cheap), then fetches the locations of the best n only: locations cost
// time for every entry a query touches.
func (ix *Index) run(ctx context.Context, q query.Query, n int) (*bleve.SearchResult, error) {
	if ix.Len() > TwoPassAbove {
		first, err := ix.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, n, 0, false))
		if err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
		if len(first.Hits) == 0 {
			return first, nil
		}
		ids := make([]string, len(first.Hits))
		for i, h := range first.Hits {
			ids[i] = h.ID
		}
		q = bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), q)
		n = len(ids)
	}
	req := bleve.NewSearchRequestOptions(q, n, 0, false)
	req.IncludeLocations = true
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	return res, nil
}

// coverage sums, over the question's word groups, the group's rarity times how well the
// entry matched it: by the best alternative, in the best field. strong reports whether some
// word matched the entry's title or keywords, where editors put what an entry is about.
func coverage(groups []group, locs search.FieldTermLocationMap) (sum float64, strong bool) {
	for _, g := range groups {
		best := 0.0
		for _, a := range g.alts {
			for _, f := range fields {
				stems := a.da
				if f.analyzer == "en" {
					stems = a.en
				}
				if len(stems) == 0 {
					continue
				}
				tl := locs[f.name]
				all := true
				for _, s := range stems {
					if _, ok := tl[s]; !ok {
						all = false
						break
					}
				}
				if all {
					best = max(best, a.weight*f.cover)
					strong = strong || f.cover == 1
				}
			}
		}
		sum += g.idf * best
	}
	return sum, strong
}

// Package crisis is Vejviser's crisis detector. It decides, before any search and without the
// search index, whether a message shows acute danger (the crisis card first), distress without
// acute signs (a calm line on where to talk today) or neither.
//
// It has two signals, and a message is acute when either fires (a rule marked overrule gives way
// only where the classifier is all but certain the message is harmless; see RuleFloor):
//   - rules: word families (concepts) from knowledge/crisis.toml that meet within a few words
//     in the ways the rules list, after exceptions bound to the harmless readings they cancel;
//   - a classifier (softmax regression over words, word pairs, character n-grams and the
//     concepts found) trained when the detector is built, from the labelled examples in
//     knowledge/crisis-examples and the entries' example questions as ordinary questions.
//
// A Detector is immutable after New and safe for concurrent use. It imports neither bleve nor
// discordgo.
package crisis

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// Result is what Detect found in a message.
type Result struct {
	// Tier is knowledge.TierAcute, knowledge.TierSupport or knowledge.TierNone.
	Tier string
	// Kinds are the acute kinds found, most urgent first (the order of knowledge.CrisisKinds);
	// empty unless Tier is acute.
	Kinds []string
	// Rule reports whether a rule fired (else the classifier alone decided).
	Rule bool
	// Firm reports whether a rule fired that the classifier may not overrule (one without
	// overrule in knowledge/crisis.toml; today every acute rule is marked, so only a new,
	// unmeasured rule is firm).
	Firm bool
	// Overruled reports that only rules marked overrule fired and the classifier scored the
	// message below RuleFloor (CuedRuleFloor when Cued, at least LongRuleFloor when Long and
	// WeakRuleFloor when Weak): the message gets the calm support line instead of the card.
	Overruled bool
	// WholeOverruled reports that a message longer than one Window (and at most WholeWords
	// words long) would have got the card from a rule marked overrule or from its most
	// alarming window, but read whole the classifier scored it under WholeFloor: it gets the
	// calm support line instead.
	WholeOverruled bool
	// WholeFired reports that the card shows because the classifier scored the whole of a
	// message of at most WholeWords words at WholeThreshold or more, while no window and no
	// rule alone would have shown it.
	WholeFired bool
	// Long reports that the message is longer than one Window: LongThreshold and LongRuleFloor
	// apply to it.
	Long bool
	// Weak reports that every rule that fired is weak – most of its matches on the examples are
	// not acute – so WeakRuleFloor applies.
	Weak bool
	// Cued reports that the message holds a cue of a harmless reading (an exception's cue:
	// a film, a course, "haha") – whether or not the exception could cancel anything.
	Cued bool
	// Score is the classifier's probability that the most alarming part of the message is an
	// acute crisis (0 without a classifier); Likely is the acute kind it finds most likely there.
	Score  float64
	Likely string
	// RuleScore is the score a rule marked overrule is held to (its floor, see floorFor):
	// Score, or in a long message the higher score of a window centred where a rule matched.
	RuleScore float64
	// Whole is the classifier's probability of acute for a long message of at most WholeWords
	// words read as one window (0 for other messages or without a classifier); under WholeFloor
	// only a rule the classifier may not overrule shows the card.
	Whole float64
}

// Acute reports whether the message needs the crisis card.
func (r Result) Acute() bool { return r.Tier == knowledge.TierAcute }

// Detector finds crisis messages. Build it with New.
type Detector struct {
	lex      *lexicon
	concepts []string // concept names by id; exception cues follow as pseudo-concepts
	nConcept int
	// sentences tells hits to record each hit's sentence length: a rule has alone.
	sentences bool
	rules     []rule
	excepts   []except
	peers     []int32 // the "peer" and "other" concepts: someone else who may be in danger
	model     *model  // nil without examples
}

type rule struct {
	kind     string
	groups   [][]int32
	window   int
	overrule bool // the classifier may overrule it below RuleFloor
	weak     bool // most of its matches on the examples are not acute: WeakRuleFloor applies
	alone    int  // knowledge.CrisisRule.Alone: the longest sentence it fires in, 0 for any
}

type except struct {
	cue     int32 // pseudo-concept of the cues
	cancels []int32
	unless  []int32
	// unlessNext blocks the exception when one of these concepts stands within
	// knowledge.NextWords of the word it would cancel.
	unlessNext []int32
	near       int
	sentence   bool // the cue cancels only in its own sentence
}

// OptionsFor returns what the detector learns from a knowledge base's entries: their example
// questions as ordinary, harmless questions and their texts as correctly spelled words.
func OptionsFor(base *knowledge.Base) Options {
	var o Options
	for _, e := range base.Entries {
		o.Ordinary = append(o.Ordinary, e.Questions...)
		o.Ordinary = append(o.Ordinary, e.EN.Questions...)
		o.Known = append(o.Known, e.Title, e.Summary, e.Body, e.EN.Title, e.EN.Summary, e.EN.Body)
	}
	return o
}

// Options configure New.
type Options struct {
	// Ordinary are everyday questions (the entries' example questions) that the classifier
	// learns as harmless, beside the examples' own harmless messages.
	Ordinary []string
	// Known are texts written in correct Danish or English (the entries); their words, those of
	// Ordinary and those of the harmless examples are never read as typos of a crisis word
	// ("finde" is not "findes", "sitting" not "hitting").
	Known []string
	// NoModel skips the classifier: the detector runs on its rules alone.
	NoModel bool

	training *training // tests and experiments only
}

// New builds a detector from the crisis data of a knowledge base, training its classifier on
// c's labelled examples (c.LabelledExamples) and opts.Ordinary. knowledge.Load has validated c;
// words or rules that still do not compile are skipped.
func New(c knowledge.Crisis, opts Options) *Detector {
	d := build(c, opts)
	if exs := c.LabelledExamples(); !opts.NoModel && len(exs) > 0 {
		t := defaultTraining
		if opts.training != nil {
			t = *opts.training
		}
		d.model = trainModel(d, trainingSet(exs, opts.Ordinary, t.acute), t)
	}
	return d
}

// build builds a detector's word families, rules and exceptions, without a classifier, and
// learns its known words from opts and the harmless examples.
func build(c knowledge.Crisis, opts Options) *Detector {
	d := compile(c)
	d.learnKnown(c, opts)
	return d
}

// learnKnown fills the lexicon's known words: the words of opts.Known, opts.Ordinary and the
// harmless examples. Only those that would otherwise be read as a typo of a crisis word are
// kept – the known-word check decides nothing for any other word – so the set is small enough
// to store with the classifier (EncodeModel): tokenizing every harmless example took about half
// of a start-up that reads a stored classifier (0.53 of 1.24 s CPU, 153,760 examples,
// 2026-12-03).
func (d *Detector) learnKnown(c knowledge.Crisis, opts Options) {
	seen := map[string]bool{}
	var fz []int32
	add := func(t string) {
		for _, tok := range tokenize(t) {
			w := tok.text
			if len(w) < FuzzyMinLen-1 || seen[w] {
				continue
			}
			seen[w] = true
			if fz = d.lex.fuzzyMatch(fz[:0], w); len(fz) > 0 {
				d.lex.known[w] = true
			}
		}
	}
	for _, list := range [][]string{opts.Known, opts.Ordinary} {
		for _, t := range list {
			add(t)
		}
	}
	for _, e := range c.LabelledExamples() {
		if e.Tier != knowledge.TierAcute {
			add(e.Text)
		}
	}
}

// compile builds a detector's word families, rules and exceptions from the crisis data alone.
func compile(c knowledge.Crisis) *Detector {
	d := &Detector{lex: newLexicon()}
	ids := map[string]int32{}
	for _, con := range c.Concepts {
		id := int32(len(d.concepts))
		ids[con.Name] = id
		d.concepts = append(d.concepts, con.Name)
		if con.Name == "peer" || con.Name == "other" {
			d.peers = append(d.peers, id)
		}
		gap := MaxGap
		if con.Adjacent {
			gap = 0
		}
		for _, w := range con.Words {
			d.lex.add(w, id, gap, ids)
		}
	}
	d.nConcept = len(d.concepts)
	d.lex.cueFrom = int32(d.nConcept)
	// A concept name stands for its own id and the ids of the concepts within it.
	parts := map[string][]int32{}
	for _, con := range c.Concepts {
		if con.Within != "" {
			parts[con.Within] = append(parts[con.Within], ids[con.Name])
		}
	}
	// addMembers appends the ids name stands for that dst does not hold yet.
	addMembers := func(dst []int32, name string) []int32 {
		id, ok := ids[name]
		if !ok {
			return dst
		}
		for _, id := range append([]int32{id}, parts[name]...) {
			if !slices.Contains(dst, id) {
				dst = append(dst, id)
			}
		}
		return dst
	}
	for _, r := range c.Rules {
		ru := rule{kind: r.Kind, window: r.Window, overrule: r.Overrule, alone: r.Alone}
		d.sentences = d.sentences || r.Alone > 0
		if ru.window == 0 {
			ru.window = knowledge.DefaultRuleWindow
		}
		ok := true
		for _, g := range r.All {
			var group []int32
			for _, name := range strings.Split(g, "|") {
				_, found := ids[name]
				ok = ok && found
				group = addMembers(group, name)
			}
			ru.groups = append(ru.groups, group)
		}
		if ok && len(ru.groups) > 0 {
			d.rules = append(d.rules, ru)
		}
	}
	for _, x := range c.Excepts {
		cue := int32(len(d.concepts))
		d.concepts = append(d.concepts, "except:"+x.Reading)
		for _, w := range x.Cues {
			d.lex.add(w, cue, 0, ids)
		}
		ex := except{cue: cue, near: x.Near, sentence: x.Sentence}
		if ex.near == 0 {
			ex.near = knowledge.DefaultExceptNear
		}
		for _, name := range x.Cancels {
			ex.cancels = addMembers(ex.cancels, name)
		}
		for _, name := range x.Unless {
			ex.unless = addMembers(ex.unless, name)
		}
		for _, name := range x.UnlessNext {
			ex.unlessNext = addMembers(ex.unlessNext, name)
		}
		d.excepts = append(d.excepts, ex)
	}
	return d
}

// Detect reads all of text (any length) and tells whether it is a crisis. It never fails.
func (d *Detector) Detect(text string) Result {
	toks := tokenize(text)
	if len(toks) == 0 {
		return Result{Tier: knowledge.TierNone}
	}
	hits := d.hits(toks)
	kinds, firm, support, weak, anchors := d.applyRules(hits)
	long := len(toks) > Window
	res := Result{Tier: knowledge.TierNone, Rule: len(kinds) > 0, Firm: firm, Weak: weak && !firm, Cued: d.cued(hits), Long: long}
	if d.model != nil {
		p, kind, sup := d.classify(toks, hits)
		res.Score, res.Likely = p, kind
		res.RuleScore = p
		wholeRead := long && len(toks) <= WholeWords
		var wholeKind string
		if wholeRead {
			res.Whole, wholeKind = d.scoreWindow(toks, hits, 0, len(toks))
		}
		if long && len(kinds) > 0 && !firm {
			// In a long message the classifier may overrule a rule only on the rule's own
			// context: a window centred on where the rule matched, wherever the fixed windows
			// fall (TestWholeMessageIsRead: the same sentence scored 0.24 at byte 930 and 0.19 at
			// byte 1151 of 64 KB, under LongRuleFloor 0.20, in the thirteenth session).
			for _, a := range anchors {
				start := max(0, min(a.start-Window/2, len(toks)-Window))
				q, _ := d.scoreWindow(toks, hits, start, min(start+Window, len(toks)))
				res.RuleScore = max(res.RuleScore, q)
			}
		}
		switch {
		case len(kinds) > 0 && !firm && res.RuleScore < floorFor(CuedRuleFloor, res.Cued, long, res.Weak):
			kinds, res.Overruled, sup = nil, true, true
		case p >= ThresholdFor(len(toks), kind) && len(kinds) == 0:
			kinds = []string{cmp.Or(kind, "direct")}
		}
		switch {
		case wholeRead && len(kinds) > 0 && !firm && res.Whole < WholeFloor:
			// Read whole, the long message is far from a crisis (WholeFloor): the calm line.
			kinds, res.WholeOverruled, sup = nil, true, true
		case wholeRead && len(kinds) == 0 && res.Whole >= WholeThreshold:
			// Read whole, the message reads like the acute examples, though no one window
			// does (WholeThreshold).
			kinds, res.Overruled, res.WholeFired = []string{cmp.Or(wholeKind, kind, "direct")}, false, true
		}
		support = support || sup
	}
	switch {
	case len(kinds) > 0:
		res.Tier = knowledge.TierAcute
		res.Kinds = orderKinds(kinds)
	case support:
		res.Tier = knowledge.TierSupport
	}
	return res
}

// cued reports whether hits hold an exception's cue.
func (d *Detector) cued(hits []hit) bool {
	for _, h := range hits {
		if h.concept >= int32(d.nConcept) {
			return true
		}
	}
	return false
}

// hits finds the concepts in toks and removes those that an exception cancels.
func (d *Detector) hits(toks []token) []hit {
	all := d.lex.find(toks)
	if d.sentences {
		markSentences(all, toks)
	}
	if len(d.excepts) == 0 {
		return all
	}
	idx := indexHits(all, len(d.concepts))
	kept := all[:0:0]
	var gone []hit // cancelled phrases: the words inside them go with them
	for _, h := range all {
		if h.concept < int32(d.nConcept) && d.cancelled(h, idx) {
			if h.end > h.start {
				gone = append(gone, h)
			}
			continue
		}
		kept = append(kept, h)
	}
	if len(gone) == 0 {
		return kept
	}
	// An idiom cancelled as a whole ("slår mig ihjel" said of a workload) takes
	// the single words inside it with it ("slår" as hitting, "mig"), but not longer phrases.
	out := kept[:0]
	for _, h := range kept {
		inside := false
		// gone is in message order; only phrases starting shortly before h can hold it.
		i := sort.Search(len(gone), func(i int) bool { return gone[i].start > h.start })
		for j := i - 1; j >= 0 && gone[j].start >= h.start-maxSpan && !inside; j-- {
			g := gone[j]
			inside = h.concept < int32(d.nConcept) && h.end-h.start < g.end-g.start && h.end <= g.end
		}
		if !inside {
			out = append(out, h)
		}
	}
	return out
}

// markSentences sets each hit's sentence: the number of words in the sentence of its first
// token. Two neighbouring tokens share a sentence when their positions differ by one
// (tokenize adds SentenceGap at a sentence end).
func markSentences(hits []hit, toks []token) {
	start := 0 // first token of the sentence being measured
	h := 0
	for i := 1; i <= len(toks); i++ {
		if i < len(toks) && toks[i].pos == toks[i-1].pos+1 {
			continue
		}
		// toks[start:i] is one sentence; hits are in message order by their first token.
		for ; h < len(hits) && hits[h].start < i; h++ {
			hits[h].sentence = i - start
		}
		start = i
	}
}

// hitIndex holds the hits of each concept in message order, for nearness queries that stay
// fast on hostile messages with tens of thousands of hits: the hits sorted by concept, and
// where each concept's run of them begins (concept c's hits are hits[begin[c+1]:begin[c+2]]).
// Two flat arrays instead of a slice per concept: a slice header per concept cost every
// message about 13 KB to allocate and clear, twice (BenchmarkAnswer, 2026-12-02).
type hitIndex struct {
	hits  []hit
	begin []int32
}

func indexHits(hits []hit, nConcepts int) hitIndex {
	begin := make([]int32, nConcepts+2)
	for _, h := range hits {
		begin[h.concept+1]++
	}
	for c := 1; c <= nConcepts; c++ {
		begin[c] += begin[c-1]
	}
	begin[nConcepts+1] = int32(len(hits))
	// begin[c+1] is now where concept c's run ends; filling each run from its end, last hit
	// first, keeps message order and leaves begin[c+1] where the run begins.
	sorted := make([]hit, len(hits))
	for i := len(hits) - 1; i >= 0; i-- {
		c := hits[i].concept
		begin[c+1]--
		sorted[begin[c+1]] = hits[i]
	}
	return hitIndex{hits: sorted, begin: begin}
}

// of returns the hits of concept c in message order.
func (idx hitIndex) of(c int32) []hit {
	if c < 0 || int(c)+2 >= len(idx.begin) {
		return nil
	}
	return idx.hits[idx.begin[c+1]:idx.begin[c+2]]
}

// maxSpan bounds how many positions one hit spans (a pattern of a few words with gaps, or a
// sentence end inside it), so a search for hits near a position can start a little before it.
const maxSpan = 40

// near returns a hit of concept c within distance n of h (not overlapping it when apart is
// set), or false.
func (idx hitIndex) near(c int32, h hit, n int, apart bool) (hit, bool) {
	for _, o := range idx.around(c, h, n) {
		if distance(o, h) <= n && !(apart && overlaps(o, h)) {
			return o, true
		}
	}
	return hit{}, false
}

// around returns the hits of concept c that may lie within distance n of h: those from a
// little before h (see maxSpan) to n positions after it, found by binary search so that
// hostile messages with tens of thousands of hits stay fast.
func (idx hitIndex) around(c int32, h hit, n int) []hit {
	hs := idx.of(c)
	lo, hi := 0, len(hs)
	for lo < hi { // first hit that starts at or after h.pos-n-maxSpan
		m := (lo + hi) / 2
		if hs[m].pos < h.pos-n-maxSpan {
			lo = m + 1
		} else {
			hi = m
		}
	}
	end := lo + sort.Search(len(hs)-lo, func(i int) bool { return hs[lo+i].pos > h.endPos+n })
	return hs[lo:end]
}

func (d *Detector) cancelled(h hit, idx hitIndex) bool {
	for _, x := range d.excepts {
		if !slices.Contains(x.cancels, h.concept) {
			continue
		}
		if x.sentence {
			if !idx.nearInSentence(x.cue, h, x.near) {
				continue
			}
		} else if _, cued := idx.near(x.cue, h, x.near, false); !cued {
			continue
		}
		blocked := false
		for _, u := range x.unless {
			if _, ok := idx.near(u, h, x.near, true); ok {
				blocked = true
				break
			}
		}
		// unless_next binds single act words only: a phrase ("slår mig ihjel") is the idiom as a
		// whole, not an act bound to a person.
		for _, u := range x.unlessNext {
			if h.end > h.start || blocked {
				break
			}
			_, blocked = idx.near(u, h, knowledge.NextWords, true)
		}
		if !blocked {
			return true
		}
	}
	return false
}

// nearInSentence reports whether a hit of concept c lies within distance n of h in h's own
// sentence.
func (idx hitIndex) nearInSentence(c int32, h hit, n int) bool {
	for _, o := range idx.around(c, h, n) {
		if distance(o, h) <= n && sameSentence(o, h) {
			return true
		}
	}
	return false
}

// sameSentence reports whether no sentence end stands between two hits: the word positions
// between them grow by one per word, and by SentenceGap more at a sentence end.
func sameSentence(a, b hit) bool {
	switch {
	case a.start > b.end:
		return a.pos-b.endPos == a.start-b.end
	case b.start > a.end:
		return b.pos-a.endPos == b.start-a.end
	}
	return true
}

// distance is the number of word positions between two hits (0 when they overlap).
func distance(a, b hit) int {
	switch {
	case a.endPos < b.pos:
		return b.pos - a.endPos
	case b.endPos < a.pos:
		return a.pos - b.endPos
	}
	return 0
}

func overlaps(a, b hit) bool { return a.start <= b.end && b.start <= a.end }

// applyRules returns the acute kinds whose rules fire, whether one of those rules is firm (the
// classifier may not overrule it), whether a support rule fires, whether every acute rule that
// fired is weak, and where each acute rule that fired matched (its first group's hit).
func (d *Detector) applyRules(hits []hit) (kinds []string, firm, support, weak bool, anchors []hit) {
	idx := indexHits(hits, len(d.concepts))
	weak = true
	for _, r := range d.rules {
		if r.kind == knowledge.SupportKind && support || slices.Contains(kinds, r.kind) && (firm || r.overrule) && (r.weak || !weak) {
			continue
		}
		anchor, ok := ruleMatch(r, idx)
		if !ok {
			continue
		}
		if r.kind == knowledge.SupportKind {
			support = true
			continue
		}
		kinds = appendKind(kinds, r.kind)
		anchors = append(anchors, anchor)
		firm = firm || !r.overrule
		weak = weak && r.weak
		if r.kind != "violence" && r.kind != "sexual" {
			for _, p := range d.peers {
				if _, ok := idx.near(p, anchor, knowledge.DefaultRuleWindow, false); ok {
					kinds = appendKind(kinds, "friend")
					break
				}
			}
		}
	}
	return kinds, firm, support, weak && len(kinds) > 0, anchors
}

// ruleMatch reports whether every group of r has a hit within r.window of a hit of the first
// group, and returns that first hit. With r.alone, the first group's hit must stand in a
// sentence of at most r.alone words and the others in that sentence.
func ruleMatch(r rule, idx hitIndex) (hit, bool) {
	for _, c := range r.groups[0] {
		for _, a := range idx.of(c) {
			if r.alone > 0 && a.sentence > r.alone {
				continue
			}
			all := true
			for _, g := range r.groups[1:] {
				found := false
				for _, c2 := range g {
					if r.alone > 0 && idx.nearInSentence(c2, a, r.window) {
						found = true
						break
					}
					if _, ok := idx.near(c2, a, r.window, false); ok && r.alone == 0 {
						found = true
						break
					}
				}
				if !found {
					all = false
					break
				}
			}
			if all {
				return a, true
			}
		}
	}
	return hit{}, false
}

func appendKind(kinds []string, k string) []string {
	if slices.Contains(kinds, k) {
		return kinds
	}
	return append(kinds, k)
}

// orderKinds sorts kinds in the order of knowledge.CrisisKinds (most urgent first).
func orderKinds(kinds []string) []string {
	out := make([]string, 0, len(kinds))
	for _, k := range knowledge.CrisisKinds {
		if slices.Contains(kinds, k) {
			out = append(out, k)
		}
	}
	return out
}

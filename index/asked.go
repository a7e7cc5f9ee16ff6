package index

import (
	"slices"

	"github.com/vejviser/vejviser/knowledge"
)

// askedQuestion is one example question of an entry as the set of its content stems (Danish
// and English, as ids of askedStems) and their summed weight.
type askedQuestion struct {
	stems  []int32
	weight float64
	at     int32 // its place among all example questions, in the order built
}

// askedStems numbers every stem of the example questions, so comparing a question with them
// compares small integers instead of hashing strings.
type askedStems map[string]int32

// buildAsked turns every entry's example questions into stem sets, so a question can be
// compared with the ways people ask for each entry.
func (ix *Index) buildAsked(base *knowledge.Base) (map[string][]askedQuestion, askedStems) {
	out := map[string][]askedQuestion{}
	ids := askedStems{}
	n := int32(0)
	for _, e := range base.Entries {
		for _, q := range append(append([]string{}, e.Questions...), e.EN.Questions...) {
			var aq askedQuestion
			for _, g := range ix.analyze(q) {
				if len(g.alts) == 0 {
					continue
				}
				for _, st := range append(append([]string{}, g.alts[0].da...), g.alts[0].en...) {
					id, ok := ids[st]
					if !ok {
						id = int32(len(ids))
						ids[st] = id
					}
					if !slices.Contains(aq.stems, id) {
						aq.stems = append(aq.stems, id)
					}
				}
				aq.weight += g.idf
			}
			if aq.weight > 0 {
				aq.at = n
				n++
				out[e.ID] = append(out[e.ID], aq)
			}
		}
	}
	return out, ids
}

// askedPostings indexes the example questions by stem: for each stem id, the example questions
// that hold it (their at, ascending), and each question's stems by its at. With it a search finds
// the weight it shares with every example question at once (askedQuery.shared) instead of
// comparing each candidate entry's questions word by word: askedSimilarity was a fifth of an
// answer's CPU on the starter base (BenchmarkAnswer's profile, 2026-12-05), comparing up to 48
// candidates' 26 questions each.
type askedPostings struct {
	post  [][]int32 // stem id → the questions holding it
	stems [][]int32 // at → the question's stems
}

// askedPostingsFor builds the postings for a base of up to TwoPassAbove entries, where the
// per-search table of every example question stays small (the starter base: about 2,000
// questions); a larger base compares each candidate's questions as before, and gets nil.
func askedPostingsFor(asked map[string][]askedQuestion, ids askedStems, entries int) *askedPostings {
	if entries > TwoPassAbove {
		return nil
	}
	p := &askedPostings{post: make([][]int32, len(ids))}
	for _, qs := range asked {
		for _, aq := range qs {
			if int(aq.at) >= len(p.stems) {
				p.stems = append(p.stems, make([][]int32, int(aq.at)+1-len(p.stems))...)
			}
			p.stems[aq.at] = aq.stems
		}
	}
	for at, stems := range p.stems {
		for _, st := range stems {
			p.post[st] = append(p.post[st], int32(at))
		}
	}
	return p
}

// shared returns, for every example question (by its at), the weight it shares with the
// question: for each word group in turn, the weight of its first alternative whose stems, in
// one language, are all in the example question. It is askedSimilarity's sum, added in the same
// order, so the floats are the same (TestAskedPostingsMatch).
func (p *askedPostings) shared(q askedQuery) []float64 {
	shared := make([]float64, len(p.stems))
	credited := make([]int32, len(p.stems)) // the group (from 1) that last credited a question
	for i, alts := range q.groups {
		group := int32(i + 1)
		for _, a := range alts {
			for _, ids := range [2][]int32{okOrNil(a.da, a.daOK), okOrNil(a.en, a.enOK)} {
				if len(ids) == 0 {
					continue
				}
				for _, at := range p.post[ids[0]] {
					if credited[at] != group && allIn(p.stems[at], ids[1:]) {
						credited[at] = group
						shared[at] += q.idf[i] * a.weight
					}
				}
			}
		}
	}
	return shared
}

func okOrNil(ids []int32, ok bool) []int32 {
	if !ok {
		return nil
	}
	return ids
}

// askedAlt is one alternative of a question word as ids of askedStems, per language; ok is
// false where the alternative has no stems in that language or one no example question has.
type askedAlt struct {
	da, en     []int32
	daOK, enOK bool
	weight     float64
}

// askedQuery is a question's word groups as askedAlts, made once per search. With the stem
// postings (askedPostingsFor), shared holds the weight the question shares with every example
// question, by its at.
type askedQuery struct {
	groups [][]askedAlt
	idf    []float64
	shared []float64
}

func (s askedStems) ids(stems []string) ([]int32, bool) {
	if len(stems) == 0 {
		return nil, false
	}
	out := make([]int32, len(stems))
	for i, st := range stems {
		id, ok := s[st]
		if !ok {
			return nil, false
		}
		out[i] = id
	}
	return out, true
}

// askedQueryOf translates the question's word groups for askedSimilarity.
func (ix *Index) askedQueryOf(groups []group) askedQuery {
	q := askedQuery{groups: make([][]askedAlt, len(groups)), idf: make([]float64, len(groups))}
	for i, g := range groups {
		q.idf[i] = g.idf
		alts := make([]askedAlt, len(g.alts))
		for j, a := range g.alts {
			alts[j].weight = a.weight
			alts[j].da, alts[j].daOK = ix.askedIDs.ids(a.da)
			alts[j].en, alts[j].enOK = ix.askedIDs.ids(a.en)
		}
		q.groups[i] = alts
	}
	if ix.askedPost != nil {
		q.shared = ix.askedPost.shared(q)
	}
	return q
}

// askedSimilarity is how closely the question (its word groups) matches the nearest example
// question of entry id: twice the weight they share over the weight of both (a Dice
// coefficient over rarity-weighted stems), 0–1. A word counts by its first alternative whose
// stems, in one language, are all in the example question.
func (ix *Index) askedSimilarity(q askedQuery, total float64, id string) float64 {
	best := 0.0
	for _, aq := range ix.asked[id] {
		if q.shared != nil {
			if d := total + aq.weight; d > 0 {
				best = max(best, 2*q.shared[aq.at]/d)
			}
			continue
		}
		shared := 0.0
		for i, alts := range q.groups {
			for _, a := range alts {
				if a.daOK && allIn(aq.stems, a.da) || a.enOK && allIn(aq.stems, a.en) {
					shared += q.idf[i] * a.weight
					break
				}
			}
		}
		if d := total + aq.weight; d > 0 {
			best = max(best, 2*shared/d)
		}
	}
	return best
}

// allIn reports whether every id is in the set. An example question has a few stems, so a
// plain scan beats a binary search.
func allIn(set, ids []int32) bool {
	for _, id := range ids {
		if !slices.Contains(set, id) {
			return false
		}
	}
	return true
}

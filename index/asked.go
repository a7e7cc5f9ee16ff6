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
}

// askedStems numbers every stem of the example questions, so comparing a question with them
// compares small integers instead of hashing strings.
type askedStems map[string]int32

// buildAsked turns every entry's example questions into stem sets, so a question can be
// compared with the ways people ask for each entry.
func (ix *Index) buildAsked(base *knowledge.Base) (map[string][]askedQuestion, askedStems) {
	out := map[string][]askedQuestion{}
	ids := askedStems{}
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
				out[e.ID] = append(out[e.ID], aq)
			}
		}
	}
	return out, ids
}

// askedAlt is one alternative of a question word as ids of askedStems, per language; ok is
// false where the alternative has no stems in that language or one no example question has.
type askedAlt struct {
	da, en     []int32
	daOK, enOK bool
	weight     float64
}

// askedQuery is a question's word groups as askedAlts, made once per search.
type askedQuery struct {
	groups [][]askedAlt
	idf    []float64
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
	return q
}

// askedSimilarity is how closely the question (its word groups) matches the nearest example
// question of entry id: twice the weight they share over the weight of both (a Dice
// coefficient over rarity-weighted stems), 0–1. A word counts by its first alternative whose
// stems, in one language, are all in the example question.
func (ix *Index) askedSimilarity(q askedQuery, total float64, id string) float64 {
	best := 0.0
	for _, aq := range ix.asked[id] {
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

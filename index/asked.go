package index

import (
	"github.com/vejviser/vejviser/knowledge"
)

// askedQuestion is one example question of an entry as the set of its content stems (Danish
// and English) and their summed weight.
type askedQuestion struct {
	stems  map[string]bool
	weight float64
}

// buildAsked turns every entry's example questions into stem sets, so a question can be
// compared with the ways people ask for each entry.
func (ix *Index) buildAsked(base *knowledge.Base) map[string][]askedQuestion {
	out := map[string][]askedQuestion{}
	for _, e := range base.Entries {
		for _, q := range append(append([]string{}, e.Questions...), e.EN.Questions...) {
			aq := askedQuestion{stems: map[string]bool{}}
			for _, g := range ix.analyze(q) {
				if len(g.alts) == 0 {
					continue
				}
				for _, st := range append(append([]string{}, g.alts[0].da...), g.alts[0].en...) {
					aq.stems[st] = true
				}
				aq.weight += g.idf
			}
			if aq.weight > 0 {
				out[e.ID] = append(out[e.ID], aq)
			}
		}
	}
	return out
}

// askedSimilarity is how closely the question (its word groups) matches the nearest example
// question of entry id: twice the weight they share over the weight of both (a Dice
// coefficient over rarity-weighted stems), 0–1.
func (ix *Index) askedSimilarity(groups []group, total float64, id string) float64 {
	best := 0.0
	for _, aq := range ix.asked[id] {
		shared := 0.0
		for _, g := range groups {
			for _, a := range g.alts {
				if anyIn(aq.stems, a.da) || anyIn(aq.stems, a.en) {
					shared += g.idf * a.weight
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

func anyIn(set map[string]bool, stems []string) bool {
	if len(stems) == 0 {
		return false
	}
	for _, s := range stems {
		if !set[s] {
			return false
		}
	}
	return true
}

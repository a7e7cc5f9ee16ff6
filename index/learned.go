package index

import (
	"math"

	"github.com/vejviser/vejviser/knowledge"
)

// learned is a naive Bayes model of which words ask for which entry, learned from each entry's
// own names, summary, keywords and example questions (both languages) and from the questions
// people asked with the entries that answer them (knowledge.Base.Questions and .Asked). Where
// the ranking matches a question's words to the entries' texts, this model has seen how
// people word a question about each entry ("my son just plays games all day" → the entry
// about mental health), however little of that wording the entry itself uses.
//
// Measured 2026-12-04 (thirty-first session) with Search's first three, every labelled question
// set left out of the model in turn (the model learned from the entries and all other sets):
// Recall@1 / Recall@3 over the 27 sets of real questions 0.683 / 0.827 without the model and
// 0.708 / 0.851 with it (1,406 questions), over the 32 Discord-style sets 0.887 / 0.979 and
// 0.920 / 0.991 (4,195), over the other sets 0.914 / 0.985 and 0.936 / 0.995 (800); on blind
// real set 27, which no model learned from, 0.472 / 0.698 and 0.642 / 0.868 (53).
type learned struct {
	ids      []string
	postings map[string][]wordCount // token → the entries that used it, with their weight
	norm     []float64              // per entry: log(its token weight + LearnedAlpha × vocabulary)
}

// wordCount is one entry's weight for a token; small, since a large base has millions.
type wordCount struct {
	entry int32
	count float32
}

// LearnedAlpha is the model's additive smoothing: how much weight an entry gives a token it
// never saw. 0.1 was the first value tried, in the measurement on learned; not tuned.
const LearnedAlpha = 0.1

// LearnedTop is how many of the model's best entries take part in the fusion with the
// ranking (Search). Set with the measurement on learned; not tuned.
const LearnedTop = 10

// FusionK is the constant of the reciprocal-rank fusion: an entry scores 1/(FusionK+rank) in
// the ranking and in the model, ranks counted from 1. 5 and 20 were measured on prototypes of
// the model (2026-12-04, each set left out as for learned): they differed by less than 0.01 in
// Recall@1 and Recall@3 on every group of sets; 5 was kept.
const FusionK = 5.0

// FusionPool is how many of the ranking's best entries the fusion reorders. The model only
// reorders what the ranking found, so the confidence still reads the ranking's evidence.
const FusionPool = 10

// learnTokens returns the tokens the model reads: the text's words (knowledge.Words, two
// letters or more), chat spellings written out as the search reads them ("ik" → "ikke"),
// and, for a word longer than five letters, its first five ("uddannelse" and "uddannelsen"
// share "p:uddan"), a stem that needs no language.
func learnTokens(text string, out []string) []string {
	for _, w := range knowledge.Words(text) {
		if to, ok := spellings[w]; ok {
			for _, t := range to {
				out = appendToken(out, t)
			}
			continue
		}
		out = appendToken(out, w)
	}
	return out
}

func appendToken(out []string, w string) []string {
	n, cut := 0, len(w)
	for i := range w {
		if n == 5 {
			cut = i
		}
		n++
	}
	if n < 2 {
		return out
	}
	out = append(out, w)
	if n > 5 {
		out = append(out, "p:"+w[:cut])
	}
	return out
}

// newLearned counts every entry's own texts once and each asked question for its entries: the
// first right entry fully, the others half.
func newLearned(base *knowledge.Base) *learned {
	m := &learned{postings: map[string][]wordCount{}}
	at := map[string]int{}
	counts := []map[string]float64{}
	for _, e := range base.Entries {
		at[e.ID] = len(m.ids)
		m.ids = append(m.ids, e.ID)
		counts = append(counts, map[string]float64{})
	}
	var toks []string
	add := func(entry int, text string, weight float64) {
		toks = learnTokens(text, toks[:0])
		for _, t := range toks {
			counts[entry][t] += weight
		}
	}
	for i, e := range base.Entries {
		for _, t := range [][]string{{e.Title, e.Summary, e.EN.Title, e.EN.Summary}, e.Keywords, e.Aliases, e.Questions, e.EN.Keywords, e.EN.Questions} {
			for _, s := range t {
				add(i, s, 1)
			}
		}
	}
	for _, qs := range [][]knowledge.Question{base.Questions, base.Asked} {
		for _, q := range qs {
			if q.Offtopic || q.Crisis {
				continue
			}
			for j, id := range q.Want {
				if i, ok := at[id]; ok {
					add(i, q.Text, 1/float64(1+min(j, 1)))
				}
			}
		}
	}
	totals := make([]float64, len(m.ids))
	for i, c := range counts {
		for t, n := range c {
			m.postings[t] = append(m.postings[t], wordCount{int32(i), float32(n)})
			totals[i] += n
		}
	}
	vocab := float64(len(m.postings))
	m.norm = make([]float64, len(m.ids))
	for i, tot := range totals {
		m.norm[i] = math.Log(tot + LearnedAlpha*vocab)
	}
	return m
}

// rank returns the model's rank (from 0) of each of its LearnedTop best entries for text.
func (m *learned) rank(text string) map[string]int {
	if m == nil || len(m.ids) == 0 {
		return nil
	}
	// log P(text | entry) = Σ log(count + α) − |tokens| × norm, over the tokens the model
	// knows; a token no entry used would only favour the entries with the fewest words.
	score := make([]float64, len(m.ids))
	logAlpha := math.Log(LearnedAlpha)
	known := 0
	for _, t := range learnTokens(text, nil) {
		ps, ok := m.postings[t]
		if !ok {
			continue
		}
		known++
		for _, wc := range ps {
			score[wc.entry] += math.Log(float64(wc.count)+LearnedAlpha) - logAlpha
		}
	}
	if known == 0 {
		return nil
	}
	for i := range score {
		score[i] -= float64(known) * m.norm[i]
	}
	// The best LearnedTop by insertion, a tie going to the entry that comes first: a base of
	// 20,000 entries is not sorted for ten.
	top := make([]int, 0, LearnedTop)
	for i, sc := range score {
		if len(top) == LearnedTop && sc <= score[top[len(top)-1]] {
			continue
		}
		j := len(top)
		if j == LearnedTop {
			j--
		} else {
			top = append(top, 0)
		}
		for ; j > 0 && sc > score[top[j-1]]; j-- {
			top[j] = top[j-1]
		}
		top[j] = i
	}
	ranks := make(map[string]int, len(top))
	for r, i := range top {
		ranks[m.ids[i]] = r
	}
	return ranks
}

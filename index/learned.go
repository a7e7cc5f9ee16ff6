package index

import (
	"math"
	"slices"

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
//
// The model also has one class for questions no entry answers: the off-topic questions people
// asked (knowledge.Base.Questions and .Asked) and the outside topics' names and example
// questions (knowledge.Base.Outside). How much more a question reads like them than like its
// best entry is what the confidence reads of it (knowledge.Hit.OffTopic); the class never
// ranks.
type learned struct {
	ids      []string
	postings map[string][]wordCount // token → the classes that used it, with their weight
	norm     []float64              // per class: log(its token weight + LearnedAlpha × vocabulary)
	off      bool                   // the class after the entries' is the off-topic class
	near     *nearAsked             // the asked questions, to find a question's nearest
	offWords *offWords              // tells off-topic questions from the others by their words
	entries  *entryWords            // weighs the words against each other for each entry
}

// wordCount is one entry's weight for a token; small, since a large base has millions.
type wordCount struct {
	entry int32
	count float32
}

// LearnedAlpha is the model's additive smoothing: how much weight an entry gives a token it
// never saw. 0.1 was the first value tried, in the measurement on learned. Once every text
// counted at unit length (newLearned), an entry's total weight shrank and 0.1 smoothed too
// much; measured 2026-12-04 (thirty-third session) with each set left out of the model
// (TestDevLeaveOneSetOut), Recall@1 / Recall@3 over the 30 real-question sets (1,545
// questions): 0.2 gave 0.676 / 0.815, 0.1 0.700 / 0.839, 0.05 0.711 / 0.852, 0.02 0.712 / 0.854,
// 0.01 0.712 / 0.857, 0.005 0.707 / 0.856; the Discord-style sets 0.919–0.920 / 0.993–0.995 from
// 0.05 down. The model that counted every word in full gave 0.704 / 0.847 at 0.1 and
// 0.700 / 0.850 at 0.02.
const LearnedAlpha = 0.01

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
	return learnWordTokens(knowledge.Words(text), out)
}

// learnWordTokens is learnTokens over a text's words (knowledge.Words).
func learnWordTokens(words []string, out []string) []string {
	for _, w := range words {
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

// OffTopicCap bounds knowledge.Hit.OffTopic (a log-likelihood ratio per word) to ±3: a
// question of one or two words the model barely knows can otherwise give any value. Chosen
// with the measurement on knowledge.Hit.OffTopic's feature in bot; not tuned.
const OffTopicCap = 3.0

// OffTopicWithout is the off-topic reading (knowledge.Hit.OffTopic) of every question when the
// model has no off-topic class – a base without off-topic questions or outside topics: the
// mean over the confidence model's fitting questions, each set left out of the model (−1.21
// over 8,970 questions, 2026-12-04). The confidence then reads such a base's questions as the
// average question it was fitted on, neither off-topic nor not; with 0 instead, the test
// base of bot/web answered a plain wish to talk to someone not sure.
const OffTopicWithout = -1.2

// ownTexts returns the texts an entry says itself with, which the learned models learn from as
// its own: title and summary in both languages, keywords, aliases and example questions.
func ownTexts(e *knowledge.Entry) []string {
	return slices.Concat([]string{e.Title, e.Summary, e.EN.Title, e.EN.Summary}, e.Keywords, e.Aliases, e.Questions, e.EN.Keywords, e.EN.Questions)
}

// wantWeight is how much an asked question teaches the learned models about its j-th right
// entry (from 0): the first fully, the others half.
func wantWeight(j int) float64 { return 1 / float64(1+min(j, 1)) }

// newLearned counts every entry's own texts once and each asked question for its entries: the
// first right entry fully, the others half. Off-topic questions and the outside topics' texts
// count once for the off-topic class. Each text counts at about unit length: every token it
// holds weighs one over the square root of its number of tokens (the Euclidean norm of its
// counts when no token repeats), so a long advice letter teaches its entry no more than a short
// question does, and the letter's incidental words do not crowd out the words that name the
// topic. Measured 2026-12-04 (thirty-third session) with each set left out of the model
// (TestDevLeaveOneSetOut), at the best smoothing of each (LearnedAlpha), with the exact norm:
// Recall@1 / Recall@3 over the 30 real-question sets 0.704 / 0.847 → 0.712 / 0.857 (1,545
// questions; 24 questions newly found among the first three and 13 lost in the first try, at
// 0.1), over the Discord-style sets 0.919 / 0.992 → 0.920 / 0.995 (4,585). The square root of
// the length, measured again with the join (LearnedJoin) and every set of that day, gave the
// same as the norm within 0.004 (31 real-question sets 0.708 / 0.867 against 0.708 / 0.863;
// right answers among the sure ones with the confidence refitted and left out of the fit
// 0.761 against 0.757, off-topic not sure 0.694 both) and learns in the time of the full
// counts (BenchmarkNewLearned: 47 ms on the starter base, 62 ms with the norm, which must find
// a text's repeated tokens). Also measured at 0.1 for the ranking and not kept: an inverse
// class frequency on the counts (0.698 / 0.839 on the real sets, against 0.710 / 0.854 for
// the norm) and a complement naive Bayes (0.705 / 0.850).
func newLearned(base *knowledge.Base) *learned {
	m := &learned{postings: map[string][]wordCount{}}
	tc := newTokenCache(base)
	// The off-topic odds learn on the other core meanwhile (BenchmarkNewOffWords: about as
	// long as the rest of the model).
	offWords := make(chan *offWords, 1)
	go func() { offWords <- newOffWords(base, tc) }()
	entries := make(chan *entryWords, 1)
	go func() { entries <- newEntryWords(base, tc) }()
	at := map[string]int{}
	counts := []map[string]float64{}
	for _, e := range base.Entries {
		at[e.ID] = len(m.ids)
		m.ids = append(m.ids, e.ID)
		counts = append(counts, map[string]float64{})
	}
	offCounts := map[string]float64{}
	addTo := func(c map[string]float64, text string, weight float64) {
		toks := tc.tokens(text)
		weight /= math.Sqrt(float64(max(len(toks), 1)))
		for _, t := range toks {
			c[t] += weight
		}
	}
	add := func(entry int, text string, weight float64) { addTo(counts[entry], text, weight) }
	for i, e := range base.Entries {
		for _, s := range ownTexts(e) {
			add(i, s, 1)
		}
	}
	for _, qs := range [][]knowledge.Question{base.Questions, base.Asked} {
		for _, q := range qs {
			if q.Crisis {
				continue
			}
			if q.Offtopic {
				addTo(offCounts, q.Text, 1)
				continue
			}
			for j, id := range q.Want {
				if i, ok := at[id]; ok {
					add(i, q.Text, wantWeight(j))
				}
			}
		}
	}
	for _, t := range base.Outside {
		for _, s := range [][]string{{t.Title, t.EN.Title}, t.Keywords, t.Questions, t.EN.Keywords, t.EN.Questions} {
			for _, text := range s {
				addTo(offCounts, text, 1)
			}
		}
	}
	m.near = newNearAsked(base, tc)
	if len(offCounts) > 0 {
		m.off = true
		counts = append(counts, offCounts)
	}
	totals := make([]float64, len(counts))
	var ns []float64
	for i, c := range counts {
		ns = ns[:0]
		for t, n := range c {
			m.postings[t] = append(m.postings[t], wordCount{int32(i), float32(n)})
			ns = append(ns, n)
		}
		// Summed in sorted order, not in the map's, which changes from process to process
		// and with it a sum's last bit: the same files give the same model in every run.
		slices.Sort(ns)
		for _, n := range ns {
			totals[i] += n
		}
	}
	vocab := float64(len(m.postings))
	m.norm = make([]float64, len(counts))
	for i, tot := range totals {
		m.norm[i] = math.Log(tot + LearnedAlpha*vocab)
	}
	m.offWords = <-offWords
	m.entries = <-entries
	return m
}

// place is an entry's place among the learned model's best for a question: its rank (from 0)
// and how far its log-likelihood per known word lies below the first's (gap, 0 for the first).
type place struct {
	rank int
	gap  float64
}

// rank returns the model's place of each of its LearnedTop best entries for the question
// whose tokens (learnTokens) are toks, and how much more it reads like the off-topic class than
// like the best entry: the difference of their log-likelihoods per known word, within
// ±OffTopicCap. When the model knows none of its words, there are no places and the reading is
// 0; without the class it is always OffTopicWithout.
func (m *learned) rank(toks []string) (map[string]place, float64) {
	if m == nil || len(m.ids) == 0 {
		return nil, OffTopicWithout
	}
	// log P(text | entry) = Σ log(count + α) − |tokens| × norm, over the tokens the model
	// knows; a token no entry used would only favour the entries with the fewest words.
	score := make([]float64, len(m.norm))
	logAlpha := math.Log(LearnedAlpha)
	known := 0
	for _, t := range toks {
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
		if !m.off {
			return nil, OffTopicWithout
		}
		return nil, 0
	}
	for i := range score {
		score[i] -= float64(known) * m.norm[i]
	}
	off := 0.0
	if m.off {
		off = score[len(m.ids)]
		score = score[:len(m.ids)]
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
	ranks := make(map[string]place, len(top))
	for r, i := range top {
		ranks[m.ids[i]] = place{r, (score[top[0]] - score[i]) / float64(known)}
	}
	if !m.off {
		return ranks, OffTopicWithout
	}
	return ranks, max(-OffTopicCap, min(OffTopicCap, (off-score[top[0]])/float64(known)))
}

// nearest returns the share of off-topic questions among the asked questions nearest to the
// question whose tokens (learnTokens) are toks (knowledge.Hit.NearOffTopic) and each entry's share of them (nearAsked.read);
// NearOffTopicWithout and no shares when no asked question is off-topic.
func (m *learned) nearest(toks []string) (float64, map[string]float64) {
	if m == nil || m.near == nil {
		return NearOffTopicWithout, nil
	}
	return m.near.read(toks)
}

// offOdds returns the log-odds that the question whose tokens (learnTokens) are toks is one no
// entry answers, as offWords reads it (knowledge.Hit.OffTopicOdds); OffWordsWithout when
// nothing taught it.
func (m *learned) offOdds(toks []string) float64 {
	if m == nil || m.offWords == nil {
		return OffWordsWithout
	}
	return m.offWords.odds(toks)
}

// NearOffTopicWithout is the reading of NearOffTopic on a base none of whose asked questions is
// off-topic, where the share says nothing: the mean over the confidence model's fitting
// questions, each set left out of the model (0.168 over 14,537 questions, 2026-12-05), so the
// confidence reads such a base's questions as the average question it was fitted on.
const NearOffTopicWithout = 0.17

// entryOdds returns each entry's probability by the entry model (entryWords) for the question
// whose tokens (learnTokens) are toks, by id; nil when there is no model or it reads nothing.
func (m *learned) entryOdds(toks []string) map[string]float64 {
	if m == nil {
		return nil
	}
	p := m.entries.read(toks)
	if p == nil {
		return nil
	}
	out := make(map[string]float64, len(p))
	for i, v := range p {
		out[m.ids[i]] = v
	}
	return out
}

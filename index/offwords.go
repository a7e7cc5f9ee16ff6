package index

import (
	"math"
	"slices"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// offWords is a logistic regression that tells the questions no entry answers from the others
// by their words: the learned model's tokens (learnTokens: words, chat spellings written out,
// five-letter stems) and each pair of neighbouring words, hashed into OffWordsBuckets weights.
// It learns from the labelled questions people asked (knowledge.Base.Questions and .Asked: an
// off-topic question is 1, a question with a right entry 0), the entries' example questions (0)
// and the outside topics' example questions (1). Where the naive Bayes reading
// (knowledge.Hit.OffTopic) compares the question with its best entry word by word, this model
// weighs the words against each other, and the pairs see what single words cannot ("high
// school", "universal credit", "min søn").
//
// Probed 2026-12-05 (forty-sixth session) on the asked questions alone, over the confidence
// model's fitting questions (15,081), ten groups of whole sets, each group's log-odds read by a
// model that learned from the other nine: as the only reading, it tells the real-question sets'
// right answers from their off-topic questions as well as the naive Bayes reading (area under
// the curve 0.845 with the pairs, 0.839 without; the naive Bayes reading 0.837); as one more
// input of the confidence model, at the threshold where 0.795 of the real sets' off-topic
// questions go unanswered the refit answers 0.712 of their answerable questions sure and right,
// against 0.662 without it at that point. In the engine, each set left out of it and of the
// confidence fit, the example questions as well measured better than the asked questions alone
// (bot's confidenceModel has the figures).
type offWords struct {
	w []float32 // per bucket
	b float32
}

// OffWordsBuckets is the number of hashed weights: 2^18, 1 MiB of float32. The probe above
// learned a map of the features without hashing. The starter base's questions (15,324 asked, with
// the example questions) hold 108,895 distinct tokens and pairs, which fill 89,245 buckets
// (counted 2026-12-05): about one feature in six shares its bucket. Not tuned.
const OffWordsBuckets = 1 << 18

// The learning: AdaGrad at rate offWordsRate, an L2 pull offWordsL2 on each weight a question
// touches, offWordsEpochs passes in an order keyed by each text (learnOrder), each question's features
// at unit length (one over the square root of their number). The values of the probe above,
// the first tried; 1e-3 and 1e-5 for the pull measured within 0.001 of its area under the curve.
// In the engine, each set left out, twelve passes and three measured at most 0.002 below six
// (bot's confidenceModel).
const (
	offWordsRate   = 0.5
	offWordsL2     = 1e-4
	offWordsEpochs = 6
)

// OffWordsCap bounds the log-odds a question reads (knowledge.Hit.OffTopicOdds): beyond ±8
// the probability no longer moves. Not tuned.
const OffWordsCap = 8.0

// OffWordsWithout is the reading of every question when there is no model: nothing off-topic to
// learn from (no off-topic question asked, no outside topic), or nothing else. It is the mean
// log-odds over the confidence model's 15,294 fitting questions, each set's read by a model that
// had not learned from it (2026-12-05), so the confidence reads such a base's questions as the
// average question it was fitted on.
const OffWordsWithout = -3.36

// newOffWords learns the model from base's labelled questions, its entries' example questions
// (not off-topic) and its outside topics' example questions (off-topic); nil when none of them
// is off-topic or all are.
func newOffWords(base *knowledge.Base, tc tokenCache) *offWords {
	type sample struct {
		x   []uint32
		off bool
	}
	var samples []sample
	var keys []uint32 // per sample, its text's hash: its place in the learning (learnOrder)
	var nOff int
	for _, qs := range [][]knowledge.Question{base.Questions, base.Asked} {
		for _, q := range qs {
			if q.Crisis || (!q.Offtopic && len(q.Want) == 0) {
				continue
			}
			toks := tc.tokens(q.Text)
			samples = append(samples, sample{offWordsFeatures(toks, nil), q.Offtopic})
			keys = append(keys, fnvString(fnvOffset, q.Text))
			if q.Offtopic {
				nOff++
			}
		}
	}
	var outside []sample
	var outsideKeys []uint32
	for _, t := range base.Outside {
		for _, qs := range [][]string{t.Questions, t.EN.Questions} {
			for _, q := range qs {
				toks := tc.tokens(q)
				outside = append(outside, sample{offWordsFeatures(toks, nil), true})
				outsideKeys = append(outsideKeys, fnvString(fnvOffset, q))
				nOff++
			}
		}
	}
	if nOff == 0 {
		// Nothing to learn off-topic from: a base of many entries need not read all their
		// example questions to find that out.
		return nil
	}
	for _, e := range base.Entries {
		for _, qs := range [][]string{e.Questions, e.EN.Questions} {
			for _, q := range qs {
				toks := tc.tokens(q)
				samples = append(samples, sample{offWordsFeatures(toks, nil), false})
				keys = append(keys, fnvString(fnvOffset, q))
			}
		}
	}
	samples = append(samples, outside...)
	keys = append(keys, outsideKeys...)
	if nOff == len(samples) {
		return nil
	}
	// Each bucket's weight and its sum of squared gradients side by side: one cache line per
	// feature touched (BenchmarkNewOffWords).
	type cell struct{ w, g2 float32 }
	cells := make([]cell, OffWordsBuckets)
	for i := range cells {
		cells[i].g2 = 1e-8
	}
	var b, gb float64 = 0, 1e-8
	for epoch := range offWordsEpochs {
		for _, i := range learnOrder(keys, epoch) {
			s := samples[i]
			n := 1 / math.Sqrt(float64(max(len(s.x), 1)))
			z := b
			for _, k := range s.x {
				z += float64(cells[k].w) * n
			}
			p := 1 / (1 + math.Exp(-max(-30, min(30, z))))
			g := p
			if s.off {
				g--
			}
			gb += g * g
			b -= offWordsRate * g / math.Sqrt(gb)
			for _, k := range s.x {
				c := &cells[k]
				gk := g*n + offWordsL2*float64(c.w)
				c.g2 += float32(gk * gk)
				c.w -= float32(offWordsRate * gk / math.Sqrt(float64(c.g2)))
			}
		}
	}
	m := &offWords{w: make([]float32, OffWordsBuckets), b: float32(b)}
	for i, c := range cells {
		m.w[i] = c.w
	}
	return m
}

// odds returns the log-odds that the question whose learned tokens (learnTokens) are toks is
// one no entry answers, within ±OffWordsCap; OffWordsWithout without a model.
func (m *offWords) odds(toks []string) float64 {
	if m == nil {
		return OffWordsWithout
	}
	x := offWordsFeatures(toks, nil)
	z := float64(m.b)
	if len(x) > 0 {
		n := 1 / math.Sqrt(float64(len(x)))
		for _, k := range x {
			z += float64(m.w[k]) * n
		}
	}
	return max(-OffWordsCap, min(OffWordsCap, z))
}

// offWordsFeatures appends to out the buckets of text's features: each of toks (text's
// learnTokens) and each pair of neighbouring words among them (the five-letter stems left out);
// sorted, each once.
func offWordsFeatures(toks []string, out []uint32) []uint32 {
	out = slices.Grow(out, 2*len(toks))
	prev := ""
	for _, t := range toks {
		out = append(out, bucket(fnvString(fnvOffset, t)))
		if strings.HasPrefix(t, "p:") {
			continue
		}
		if prev != "" {
			h := fnvByte(fnvString(fnvOffset, prev), 0)
			out = append(out, bucket(fnvString(h, t)))
		}
		prev = t
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// FNV-1a, 32 bits.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnvString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = fnvByte(h, s[i])
	}
	return h
}

func fnvByte(h uint32, c byte) uint32 { return (h ^ uint32(c)) * fnvPrime }

func bucket(h uint32) uint32 { return h & (OffWordsBuckets - 1) }

package index

import (
	"math"
	"slices"

	"github.com/vejviser/vejviser/knowledge"
)

// entryWords is a multinomial logistic regression of which entry a question asks for, over the
// features the off-topic odds read (offWordsFeatures: words, five-letter stems and pairs of
// neighbouring words), hashed into EntryWordsBuckets rows of one weight per entry. It learns
// from the entries' own texts and example questions and from the questions people asked with
// the entries that answer them. Where the naive Bayes model (learned) counts each word for each
// entry on its own, this model weighs the words against each other: a word every entry's
// questions use ("hjælp", "my son") learns a weight near zero, and the words that tell two
// neighbouring entries apart learn the weight.
//
// Probed 2026-12-05 (forty-sixth session) on ten groups of whole sets, each group left out of
// it and of the learned model, Recall@1 / Recall@3 of its own first three over the 2,631
// answerable questions of the real-question sets: 0.710 / 0.839, against 0.605 / 0.811 for
// the naive Bayes model alone; the engine's order, read the same way, 0.718 / 0.882, and the
// engine fused with this model (reciprocal ranks at half weight) 0.736 / 0.884. It is one input
// of the order model (orderModel), which has the measurement through the engine.
type entryWords struct {
	classes int       // the base's entries, in its order
	w       []float32 // per bucket, one weight per class
	b       []float32 // per class
}

// EntryWordsBuckets is the number of hashed rows: 2^16, so the starter base's 53 entries take
// 14 MB of float32. The probe above measured 2^18 buckets at 0.736 / 0.884 fused and 2^16 (three
// passes) at 0.731 / 0.888, in 2.3 s against 0.74 s of learning on a loaded machine.
const EntryWordsBuckets = 1 << 16

// EntryWordsMaxEntries bounds the bases that get the model: its weights grow with the entries
// (EntryWordsBuckets × 4 bytes each, 64 MiB at 256) and its learning with the entries times the
// questions. A larger base ranks without it: the order model reads no place and no probability
// for any candidate, which moves none of them against another. Not tuned; the starter base has
// 53 entries.
const EntryWordsMaxEntries = 256

// The learning: AdaGrad at rate entryWordsRate, one sum of squared gradients per row (the
// feature; the mean over its weights, the pull left out), an L2 pull entryWordsL2 on each
// weight a question touches, entryWordsEpochs passes in an order keyed by each text
// (learnOrder; until 2026-12-06 a shuffle drawn from a fixed seed), each text's features at
// unit length. Rate and pull are the off-topic odds' (offWordsRate), not
// tuned. Measured through the engine, each set left out of the models (TestDevLeaveOneSetOut,
// 2026-12-05), Recall@1 / Recall@3 over the real-question sets: with 60 sets, three passes
// 0.735 / 0.885 and two 0.736 / 0.884 (Discord-style 0.974 / 0.997 and 0.973 / 0.997); with
// 61 sets and the refitted confidence, two passes 0.723 / 0.878 (Recall@3 over sure answers 0.747,
// off-topic not sure 0.738) and one 0.730 / 0.879 (0.750, 0.731; Discord-style 0.975 / 0.997
// both). One pass learns in about 0.23 s against 0.34–0.38 s for two and 0.46 s for three
// (BenchmarkNewEntryWords), and with two a cold `vejviser ask` took 1.15–1.18 s, over the
// start-up bar of 1 s, against 0.93–1.03 s for the session-start code. The order and
// confidence models were fitted on features of two passes. Leaving a question out of
// the next pass once the model read it right within 0.05 saved less than a fifth of three
// passes' time and lost Recall@1 0.003.
//
// The order keyed by text, measured 2026-12-06 (fifty-third session) with TestDevLeaveOneSetOut
// against the shuffle, for both models (this and offWords), over the real-question sets
// (2,983 answerable, 725 off-topic) – Recall@1, Recall@3, sure, Recall@3 over sure answers,
// off-topic not sure: 0.738 / 0.884 / 0.832 / 0.773 / 0.712 against 0.736 / 0.884 / 0.829 /
// 0.766 / 0.706; Discord-style 0.974 / 0.996 / 0.985 / 0.983 / 0.970 against 0.973 / 0.995 /
// 0.985 / 0.983 / 0.971. The same edit (nine keywords added to two entries) changed the first
// entry shown for 14 of the 2,983 with it and for 322 with the shuffle, and sure or not for 8
// and 97 of 3,708 questions: a change now shows its own effect rather than a new draw.
const (
	entryWordsRate   = 0.5
	entryWordsL2     = 1e-4
	entryWordsEpochs = 1
)

// newEntryWords learns the model from base's entries and its labelled questions; nil when the
// base has no entries or more than EntryWordsMaxEntries.
func newEntryWords(base *knowledge.Base, tc tokenCache) *entryWords {
	n := len(base.Entries)
	if n == 0 || n > EntryWordsMaxEntries {
		return nil
	}
	type target struct {
		class  int32
		weight float32
	}
	type sample struct {
		x    []uint32
		want []target
	}
	var samples []sample
	var keys []uint32 // per sample, its text's hash: its place in the learning (learnOrder)
	add := func(text string, want []target) {
		toks := tc.tokens(text)
		x := entryWordsFeatures(toks, nil)
		if len(x) > 0 {
			samples = append(samples, sample{x, want})
			keys = append(keys, fnvString(fnvOffset, text))
		}
	}
	at := map[string]int32{}
	for i, e := range base.Entries {
		at[e.ID] = int32(i)
		want := []target{{int32(i), 1}}
		for _, s := range ownTexts(e) {
			add(s, want)
		}
	}
	// An asked question's right entries count as in learned (wantWeight); the target is those
	// weights at sum one.
	for _, qs := range [][]knowledge.Question{base.Questions, base.Asked} {
		for _, q := range qs {
			if q.Crisis || q.Offtopic {
				continue
			}
			var want []target
			var sum float32
			for j, id := range q.Want {
				if i, ok := at[id]; ok {
					wt := float32(wantWeight(j))
					want = append(want, target{i, wt})
					sum += wt
				}
			}
			if len(want) == 0 {
				continue
			}
			for j := range want {
				want[j].weight /= sum
			}
			add(q.Text, want)
		}
	}
	m := &entryWords{classes: n, w: make([]float32, EntryWordsBuckets*n), b: make([]float32, n)}
	g2 := make([]float32, EntryWordsBuckets) // per row
	for i := range g2 {
		g2[i] = 1e-8
	}
	gb := make([]float64, n)
	for i := range gb {
		gb[i] = 1e-8
	}
	z := make([]float64, n)
	g := make([]float32, n)
	for epoch := range entryWordsEpochs {
		for _, i := range learnOrder(keys, epoch) {
			s := samples[i]
			norm := float32(1 / math.Sqrt(float64(len(s.x))))
			m.logits(s.x, norm, z)
			softmax(z)
			for c := range g {
				g[c] = float32(z[c])
			}
			for _, t := range s.want {
				g[t.class] -= t.weight
			}
			var gg float32 // the squared gradient of every weight of a row, L2 pull left out
			for c, gc := range g {
				gb[c] += float64(gc * gc)
				m.b[c] -= float32(entryWordsRate * float64(gc) / math.Sqrt(gb[c]))
				gg += gc * gc
			}
			gg *= norm * norm / float32(n)
			for _, k := range s.x {
				row := m.w[int(k)*n : int(k)*n+n]
				g2[k] += gg
				step := float32(entryWordsRate / math.Sqrt(float64(g2[k])))
				keep, move := 1-step*entryWordsL2, step*norm
				for c, gc := range g {
					row[c] = row[c]*keep - move*gc
				}
			}
		}
	}
	return m
}

// logits sets z to each class's score for the features x, each weighing norm.
func (m *entryWords) logits(x []uint32, norm float32, z []float64) {
	n := m.classes
	var buf [EntryWordsMaxEntries]float32
	acc := buf[:n]
	for _, k := range x {
		row := m.w[int(k)*n : int(k)*n+n]
		for c, w := range row {
			acc[c] += w
		}
	}
	for c := range z {
		z[c] = float64(m.b[c] + acc[c]*norm)
	}
}

// softmax turns scores into probabilities in place.
func softmax(z []float64) {
	top := slices.Max(z)
	var sum float64
	for i, v := range z {
		z[i] = math.Exp(v - top)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}

// read returns, for the question whose learned tokens (learnTokens) are toks, each entry's
// probability by the model, in the base's order; nil without a model or when the question has
// no features.
func (m *entryWords) read(toks []string) []float64 {
	if m == nil {
		return nil
	}
	x := entryWordsFeatures(toks, nil)
	if len(x) == 0 {
		return nil
	}
	z := make([]float64, m.classes)
	m.logits(x, float32(1/math.Sqrt(float64(len(x)))), z)
	softmax(z)
	return z
}

// entryWordsFeatures appends to out the rows of the question's features (offWordsFeatures):
// their buckets folded onto EntryWordsBuckets rows. Two features that share a bucket of the
// off-topic odds share a row; two that only share a row both count.
func entryWordsFeatures(toks []string, out []uint32) []uint32 {
	out = offWordsFeatures(toks, out)
	for i, k := range out {
		out[i] = k & (EntryWordsBuckets - 1)
	}
	return out
}

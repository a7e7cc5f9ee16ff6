// Package intent guesses which entry a question asks for with a small classifier that is
// trained, when the knowledge base is loaded, on the entries' own words: their example
// questions in both languages, titles, aliases and keywords. Where the search matches words,
// the classifier has learned which words tell one entry from another ("my son", "won't look
// for a job" → the jobcentre; "room", "waiting list" → youth housing), so it helps most on
// questions that share few words with any entry.
package intent

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vejviser/vejviser/knowledge"
)

// buckets is the size of the hashed feature space: 2^16 features × 51 entries × 4 bytes is
// 13 MiB, and the entries' roughly 30,000 distinct features collide rarely in it.
const buckets = 1 << 16

// Training settings, chosen on the real question sets of cmd/vejviser/testdata (see
// TestDevIntent in bot): more epochs or a larger rate did not rank better.
const (
	epochs = 20
	rate   = 0.5
	l2     = 1e-5
	seed   = 20261130
)

// Model is a softmax regression from hashed word, word-pair and character features of a
// question to the entries of a knowledge base.
type Model struct {
	ids []string
	w   []float32 // buckets × len(ids)
}

// Train fits a model on the entries of base. It is deterministic: the same base gives the
// same model.
func Train(base *knowledge.Base) *Model {
	m := &Model{}
	type sample struct {
		feats []uint32
		class int
	}
	var set []sample
	add := func(class int, text string) {
		if f := features(nil, text); len(f) > 0 {
			set = append(set, sample{f, class})
		}
	}
	for _, e := range base.Entries {
		if e.ID == knowledge.CrisisEntryID {
			continue // crisis goes through the crisis detector, never through ranking
		}
		c := len(m.ids)
		m.ids = append(m.ids, e.ID)
		add(c, e.Title)
		add(c, e.EN.Title)
		for _, s := range slices.Concat(e.Questions, e.EN.Questions, e.Aliases, e.Keywords, e.EN.Keywords) {
			add(c, s)
		}
	}
	k := len(m.ids)
	m.w = make([]float32, buckets*k)
	if k == 0 {
		return m
	}
	r := rand.New(rand.NewPCG(seed, seed))
	order := make([]int, len(set))
	for i := range order {
		order[i] = i
	}
	z := make([]float32, k)
	for ep := range epochs {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := float32(rate / (1 + float64(ep)/4))
		for _, i := range order {
			s := set[i]
			m.scores(z, s.feats)
			softmax(z)
			z[s.class] -= 1
			scale := lr / float32(len(s.feats))
			for _, f := range s.feats {
				row := m.w[int(f)*k : int(f)*k+k]
				for c := range row {
					row[c] -= scale*z[c] + l2*row[c]
				}
			}
		}
	}
	return m
}

// Probs returns the probability of each entry for text, by entry id; nil when the model knows
// no entries or the text has no words.
func (m *Model) Probs(text string) map[string]float64 {
	if m == nil || len(m.ids) == 0 {
		return nil
	}
	f := features(nil, text)
	if len(f) == 0 {
		return nil
	}
	z := make([]float32, len(m.ids))
	m.scores(z, f)
	softmax(z)
	out := make(map[string]float64, len(m.ids))
	for c, id := range m.ids {
		out[id] = float64(z[c])
	}
	return out
}

func (m *Model) scores(z []float32, feats []uint32) {
	k := len(m.ids)
	clear(z)
	for _, f := range feats {
		row := m.w[int(f)*k : int(f)*k+k]
		for c, v := range row {
			z[c] += v
		}
	}
}

func softmax(z []float32) {
	hi := z[0]
	for _, v := range z {
		hi = max(hi, v)
	}
	var sum float32
	for i, v := range z {
		z[i] = float32(math.Exp(float64(v - hi)))
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}

// features appends the hashed features of text: each folded word, each pair of neighbouring
// words, and the character 4-grams of each word with its edges marked, so that inflections,
// compounds and typos share most of their features ("dyslexic"/"dyslexia").
func features(dst []uint32, text string) []uint32 {
	ws := knowledge.FoldedWords(text)
	for i, w := range ws {
		dst = append(dst, hash('w', w, ""))
		if i+1 < len(ws) {
			dst = append(dst, hash('b', w, ws[i+1]))
		}
		p := "^" + w + "$"
		for j := 0; j+4 <= len(p); j++ {
			dst = append(dst, hash('g', p[j:j+4], ""))
		}
	}
	return dst
}

// hash is 32-bit FNV-1a over a kind byte and two strings, reduced to a bucket.
func hash(kind byte, a, b string) uint32 {
	h := uint32(2166136261)
	step := func(c byte) { h = (h ^ uint32(c)) * 16777619 }
	step(kind)
	for i := 0; i < len(a); i++ {
		step(a[i])
	}
	step(0)
	for i := 0; i < len(b); i++ {
		step(b[i])
	}
	return h % buckets
}

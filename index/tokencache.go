package index

import (
	"sync"

	"github.com/vejviser/vejviser/knowledge"
)

// tokenCache holds the learned tokens (learnTokens) of every text the learned models read
// from a base: its entries' own texts, its labelled questions and its outside topics' texts.
// The four models of newLearned read most of those texts each, and each split them itself
// before: a quarter of learning a starter base's models went to splitting the same texts four
// times (BenchmarkNewLearned's profile, 2026-12-06). A nil cache splits every text it is asked
// for.
type tokenCache map[string][]string

// newTokenCache splits base's texts on two goroutines, half each.
func newTokenCache(base *knowledge.Base) tokenCache {
	c := tokenCache{} // each text once, its tokens filled in below
	var texts []string
	add := func(ts ...string) {
		for _, t := range ts {
			if _, ok := c[t]; !ok {
				c[t] = nil
				texts = append(texts, t)
			}
		}
	}
	for _, e := range base.Entries {
		add(ownTexts(e)...)
	}
	for _, qs := range [][]knowledge.Question{base.Questions, base.Asked} {
		for _, q := range qs {
			if !q.Crisis {
				add(q.Text)
			}
		}
	}
	for _, t := range base.Outside {
		for _, s := range [][]string{{t.Title, t.EN.Title}, t.Keywords, t.Questions, t.EN.Keywords, t.EN.Questions} {
			add(s...)
		}
	}
	toks := make([][]string, len(texts))
	var wg sync.WaitGroup
	half := len(texts) / 2
	for _, part := range [][2]int{{0, half}, {half, len(texts)}} {
		wg.Go(func() {
			for i := part[0]; i < part[1]; i++ {
				toks[i] = learnTokens(texts[i], nil)
			}
		})
	}
	wg.Wait()
	for i, t := range texts {
		c[t] = toks[i]
	}
	return c
}

// tokens returns text's learned tokens. The slice may be the cache's own: the caller reads it
// and never changes it or appends to it.
func (c tokenCache) tokens(text string) []string {
	if t, ok := c[text]; ok {
		return t
	}
	return learnTokens(text, nil)
}

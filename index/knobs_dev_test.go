package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/vejviser/vejviser/knowledge"
)

// TestDevKnobs is a development tool, not a check: with KNOBS=N it draws N settings of the
// ranking's hand-set weights, measures Recall@3 of the search alone on every labelled
// question set, and reports leave-one-set-out: for each set, the setting best on the others,
// scored on the one left out, beside today's weights.
func TestDevKnobs(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("KNOBS"), &n)
	if n == 0 {
		t.Skip("set KNOBS=N")
	}
	type q struct {
		Text     string
		Want     []string
		Offtopic bool
		Crisis   bool
		Lang     string
	}
	var files []string
	for _, g := range []string{"../cmd/vejviser/testdata/*-questions.toml", "../../shared/eval/*.toml", "../knowledge/questions.toml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	type set struct {
		name string
		qs   []q
	}
	var sets []set
	for _, f := range files {
		var d struct{ Q []q }
		if _, err := toml.DecodeFile(f, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var keep []q
		for _, x := range d.Q {
			if !x.Offtopic && !x.Crisis && len(x.Want) > 0 {
				keep = append(keep, x)
			}
		}
		if len(keep) > 0 {
			sets = append(sets, set{filepath.Base(f), keep})
		}
	}
	ix := build(t, loadBase(t))
	base := slices.Clone(fields)
	type knobs struct{ cov, asked, alias, part, names, ques, summ, body float64 }
	apply := func(k knobs) {
		CoverageExp, AskedWeight, AliasBoost, PartCredit = k.cov, k.asked, k.alias, k.part
		for i := range fields {
			switch strings.TrimPrefix(strings.TrimPrefix(base[i].name, "da_"), "en_") {
			case "names":
				fields[i].boost = k.names
			case "questions":
				fields[i].boost = k.ques
			case "summary":
				fields[i].boost = k.summ
			case "body":
				fields[i].boost = k.body
			}
		}
	}
	score := func(k knobs) []int { // hits@3 per set
		apply(k)
		out := make([]int, len(sets))
		for si, s := range sets {
			for _, x := range s.qs {
				lang := "da"
				if x.Lang == "en" {
					lang = "en"
				}
				hits, err := ix.Search(context.Background(), x.Text, lang, 3)
				if err != nil {
					t.Fatal(err)
				}
			found:
				for _, h := range hits {
					for _, w := range x.Want {
						if slices.Contains(strings.Split(w, "|"), h.ID) {
							out[si]++
							break found
						}
					}
				}
			}
		}
		return out
	}
	today := knobs{CoverageExp, AskedWeight, AliasBoost, PartCredit, 4, 3, 2, 1}
	pick := func(r *rand.Rand, vs ...float64) float64 { return vs[r.IntN(len(vs))] }
	r := rand.New(rand.NewPCG(1, 2))
	cands := []knobs{today}
	for range n {
		cands = append(cands, knobs{pick(r, 1, 1.5, 2, 2.5, 3), pick(r, 2, 3, 4, 6, 8), pick(r, 1.5, 2, 2.5, 3.5, 5),
			pick(r, 0.5, 1), pick(r, 3, 4, 5, 6), pick(r, 2, 3, 4, 5), pick(r, 1, 2, 3), pick(r, 0.5, 1, 1.5)})
	}
	res := make([][]int, len(cands))
	for i, k := range cands {
		res[i] = score(k)
	}
	apply(today)
	sum := func(v []int, skip int) int {
		s := 0
		for i, x := range v {
			if i != skip {
				s += x
			}
		}
		return s
	}
	totT, totB, totN := 0, 0, 0
	for si, s := range sets {
		best := 0
		for i := range cands {
			if sum(res[i], si) > sum(res[best], si) {
				best = i
			}
		}
		totT += res[0][si]
		totB += res[best][si]
		totN += len(s.qs)
		t.Logf("%-32s n=%3d today %.3f  best-on-others %.3f  %+v", s.name, len(s.qs), float64(res[0][si])/float64(len(s.qs)), float64(res[best][si])/float64(len(s.qs)), cands[best])
	}
	t.Logf("all: today %.4f, left-out %.4f (%d questions)", float64(totT)/float64(totN), float64(totB)/float64(totN), totN)
	best := 0
	for i := range cands {
		if sum(res[i], -1) > sum(res[best], -1) {
			best = i
		}
	}
	t.Logf("best on all: %+v %d vs today %d", cands[best], sum(res[best], -1), sum(res[0], -1))
}

// TestDevUnknown is a development tool, not a check: with UNKNOWN=FILE,… it counts the
// question words no entry knows in any reading (not as a stem, a split, a correction), most
// frequent first – the vocabulary the knowledge base lacks for those questions.
func TestDevUnknown(t *testing.T) {
	env := os.Getenv("UNKNOWN")
	if env == "" {
		t.Skip("set UNKNOWN=FILE,…")
	}
	ix := build(t, loadBase(t))
	count := map[string]int{}
	for _, f := range strings.Split(env, ",") {
		var d struct{ Q []struct{ Text string } }
		if _, err := toml.DecodeFile(f, &d); err != nil {
			t.Fatal(err)
		}
		for _, q := range d.Q {
			seen := map[string]bool{}
			for _, w := range knowledge.Words(q.Text) {
				if seen[w] {
					continue
				}
				seen[w] = true
				for _, g := range ix.analyze(w) {
					if g.unknown && len(g.alts) == 0 {
						count[w]++
					}
				}
			}
		}
	}
	type wc struct {
		w string
		n int
	}
	var all []wc
	for w, n := range count {
		all = append(all, wc{w, n})
	}
	slices.SortFunc(all, func(a, b wc) int { return b.n - a.n })
	var b strings.Builder
	for i, x := range all {
		if i == 150 {
			break
		}
		fmt.Fprintf(&b, "%s %d, ", x.w, x.n)
	}
	t.Log(b.String())
}

package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestDevOrder is a development tool, not a check: with ORDER_FIT=1 it collects, for every
// answerable question of every labelled question set, the candidates Search orders and their
// order features (orderFeatures), read with a learned model that had not seen that set. It
// prints, per group of sets, Recall@1 and Recall@3 of the fused order against an order model
// fitted without that set, and then the order model fitted on all sets, as Go for orderModel.
func TestDevOrder(t *testing.T) {
	if os.Getenv("ORDER_FIT") == "" {
		t.Skip("set ORDER_FIT=1")
	}
	type cand struct {
		x     []float64
		right bool
	}
	base := loadBase(t)
	ix := build(t, base)
	sets := labelledSets(t)
	data := map[string][][]cand{} // per file, per question, the candidates in the fused order
	for _, set := range sets {
		f := set.file
		ix.learned = newLearned(base.Without(set.qs))
		for _, q := range set.qs {
			if q.Crisis || q.Offtopic || len(q.Want) == 0 {
				continue
			}
			var cs []cand
			ix.ordered = func(hits []knowledge.Hit, x [][]float64) {
				for i, h := range hits {
					cs = append(cs, cand{slices.Clone(x[i]), slices.Contains(q.Want, h.ID)})
				}
			}
			lang := q.Lang
			if lang == "" {
				lang = "da"
			}
			if _, err := ix.Search(context.Background(), q.Text, lang, 3); err != nil {
				t.Fatal(err)
			}
			data[f] = append(data[f], cs)
		}
	}
	ix.ordered = nil
	// bot.FitConfidence fits as many weights as the confidence model has features; the order
	// features are padded with zeros to that length, and their weights stay 0.
	fit := func(skip string) linear {
		var train []bot.ConfidenceSample
		for f, qs := range data {
			if f == skip {
				continue
			}
			for _, cs := range qs {
				for _, c := range cs {
					x := append(slices.Clone(c.x), make([]float64, len(bot.FeatureNames)-len(c.x))...)
					train = append(train, bot.ConfidenceSample{X: x, Right: c.right})
				}
			}
		}
		m := bot.FitConfidence(train, 1)
		return linear{W: m.W[:len(OrderFeatures)], B: m.B}
	}
	type tally struct{ n, f1, f3, m1, m3 float64 }
	groups := map[string]*tally{}
	for _, set := range sets {
		f, name := set.file, set.group
		m := fit(f)
		g := groups[name]
		if g == nil {
			g = &tally{}
			groups[name] = g
		}
		first := func(cs []cand) int {
			for i, c := range cs[:min(3, len(cs))] {
				if c.right {
					return i
				}
			}
			return 3
		}
		for _, cs := range data[f] {
			g.n++
			r := first(cs)
			g.f1 += b2f(r == 0)
			g.f3 += b2f(r < 3)
			cs = slices.Clone(cs)
			sort.SliceStable(cs, func(i, j int) bool { return m.score(cs[i].x) > m.score(cs[j].x) })
			r = first(cs)
			g.m1 += b2f(r == 0)
			g.m3 += b2f(r < 3)
		}
	}
	for _, name := range []string{"real questions", "Discord-style", "other"} {
		if g := groups[name]; g != nil {
			fmt.Printf("%-15s %5.0f  fused Recall@1 %.3f Recall@3 %.3f   order model Recall@1 %.3f Recall@3 %.3f\n",
				name, g.n, g.f1/g.n, g.f3/g.n, g.m1/g.n, g.m3/g.n)
		}
	}
	m := fit("")
	fmt.Printf("var orderModel = linear{\n\tW: []float64{")
	for i, w := range m.W {
		if i > 0 {
			fmt.Print(", ")
		}
		fmt.Printf("%.4f", w)
	}
	fmt.Printf("},\n\tB: %.4f,\n}\n", m.B)
	for i, w := range m.W {
		fmt.Printf("// %-12s %+.4f\n", OrderFeatures[i], w)
	}
}

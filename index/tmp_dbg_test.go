package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

func TestTmpDbg(t *testing.T) {
	base := loadBase(t)
	ix := build(t, base)
	q := "min onkel siger at jobcentre er spild af tid for sådan en som mig, passer det"
	fmt.Println(ix.aliases.find(q, func(w string) bool { return ix.vocab.knownPart(ix.an, w) }))
	ix.ordered = func(hits []knowledge.Hit, x [][]float64) {
		for i, h := range hits {
			fmt.Printf("%-22s alias=%v score=%.3f z=%.3f x=%.2f\n", h.ID, h.Alias, h.Score, orderModel.score(x[i]), x[i])
		}
	}
	hits, _ := ix.Search(context.Background(), q, "da", 3)
	for _, h := range hits {
		fmt.Println(h.ID, h.Alias)
	}
}

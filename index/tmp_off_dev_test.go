package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

func TestTmpPool(t *testing.T) {
	if os.Getenv("TMP_POOL") == "" {
		t.Skip()
	}
	base := loadBase(t)
	ix := build(t, base)
	for _, grp := range []string{"real questions", "Discord-style"} {
		at := make([]int, 13)
		n := 0
		for _, set := range labelledSets(t) {
			if set.group != grp {
				continue
			}
			ix.learned = newLearned(base.Without(set.qs))
			for _, q := range set.qs {
				if q.Crisis || len(q.Want) == 0 {
					continue
				}
				n++
				hits, _ := ix.Search(context.Background(), q.Text, q.Lang, 12)
				r := slices.IndexFunc(hits, func(h knowledge.Hit) bool { return slices.Contains(q.Want, h.ID) })
				if r < 0 {
					r = 12
				}
				at[r]++
			}
		}
		cum := 0
		fmt.Printf("%s n=%d:", grp, n)
		for k := 0; k < 12; k++ {
			cum += at[k]
			fmt.Printf(" @%d %.3f", k+1, float64(cum)/float64(n))
		}
		fmt.Println()
	}
}

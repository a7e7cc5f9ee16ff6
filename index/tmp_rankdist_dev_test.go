package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
)

func TestTmpRankDist(t *testing.T) {
	if os.Getenv("RANKDIST") == "" {
		t.Skip()
	}
	base := loadBase(t)
	ix := build(t, base)
	dist := map[int]int{}
	n := 0
	for _, set := range labelledSets(t) {
		if set.group != "real questions" {
			continue
		}
		ix.learned = newLearned(base.Without(set.qs))
		for _, q := range set.qs {
			if q.Crisis || len(q.Want) == 0 || q.Offtopic {
				continue
			}
			n++
			hits, err := ix.Search(context.Background(), q.Text, q.Lang, 10)
			if err != nil {
				t.Fatal(err)
			}
			r := 99
			for i, h := range hits {
				if slices.Contains(q.Want, h.ID) {
					r = i + 1
					break
				}
			}
			dist[r]++
			if r == 4 || r == 5 {
				var ids []string
				for _, h := range hits[:5] {
					ids = append(ids, h.ID)
				}
				fmt.Printf("R%d\t%v\t%v\t%.100q\n", r, q.Want, ids, q.Text)
			}
		}
	}
	cum := 0
	for _, r := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99} {
		cum += dist[r]
		fmt.Printf("rank %2d: %4d  cum %.3f\n", r, dist[r], float64(cum)/float64(n))
	}
}

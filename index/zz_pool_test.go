package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

func TestZZPool(t *testing.T) {
	if os.Getenv("ZZPOOL") == "" {
		t.Skip()
	}
	base := loadBase(t)
	ix := build(t, base)
	files, _ := filepath.Glob("../cmd/vejviser/testdata/*real*.toml")
	more, _ := filepath.Glob("../../shared/eval/real*.toml")
	files = append(files, more...)
	type key struct{ r, l, f string }
	tally := map[key]int{}
	bucket := func(r int) string {
		switch {
		case r < 0:
			return "none"
		case r < 3:
			return "top3"
		case r < 10:
			return "4-10"
		}
		return ">10"
	}
	for _, f := range files {
		qs, _, _ := knowledge.LoadQuestions(os.DirFS(filepath.Dir(f)), filepath.Base(f))
		out := map[string]bool{}
		for _, q := range qs {
			out[knowledge.QuestionKey(q.Text)] = true
		}
		b := *base
		b.Asked, b.Questions = nil, nil
		for _, q := range base.Asked {
			if !out[knowledge.QuestionKey(q.Text)] {
				b.Asked = append(b.Asked, q)
			}
		}
		for _, q := range base.Questions {
			if !out[knowledge.QuestionKey(q.Text)] {
				b.Questions = append(b.Questions, q)
			}
		}
		lm := newLearned(&b)
		for _, q := range qs {
			if q.Crisis || q.Offtopic || len(q.Want) == 0 {
				continue
			}
			ix.learned = nil
			plain, _ := ix.Search(context.Background(), q.Text, q.Lang, 30)
			ix.learned = lm
			fused, _ := ix.Search(context.Background(), q.Text, q.Lang, 3)
			pos := func(hs []knowledge.Hit) int {
				for i, h := range hs {
					if slices.Contains(q.Want, h.ID) {
						return i
					}
				}
				return -1
			}
			ranks, _ := lm.rank(q.Text)
			lr := -1
			for _, w := range q.Want {
				if r, ok := ranks[w]; ok && (lr < 0 || r < lr) {
					lr = r
				}
			}
			fr := pos(fused)
			fs := "miss"
			if fr >= 0 {
				fs = "hit"
			}
			tally[key{bucket(pos(plain)), bucket(lr), fs}]++
		}
	}
	var lines []string
	for k, n := range tally {
		lines = append(lines, fmt.Sprintf("ranking %-5s learned %-5s fused %-4s %4d", k.r, k.l, k.f, n))
	}
	slices.Sort(lines)
	fmt.Println(strings.Join(lines, "\n"))
}

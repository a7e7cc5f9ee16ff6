package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/intent"
	"github.com/vejviser/vejviser/knowledge"
)

// TestDevIntent measures the intent classifier alone and fused with the search on the question
// sets (VEJVISER_INTENT set; BETA is the fusion weight).
func TestDevIntent(t *testing.T) {
	if os.Getenv("VEJVISER_INTENT") == "" {
		t.Skip()
	}
	ctx := context.Background()
	base := loadBase(t)
	s, err := indexBuilder(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	m := intent.Train(base)
	beta := 1.0
	rrfK := 5.0
	fmt.Sscan(os.Getenv("RRFK"), &rrfK)
	fmt.Sscan(os.Getenv("BETA"), &beta)
	files := []string{"../../shared/eval/real-questions.toml"}
	for i := 1; i <= 7; i++ {
		files = append(files, fmt.Sprintf("../cmd/vejviser/testdata/blind%d-real-questions.toml", i))
	}
	files = append(files, "../cmd/vejviser/testdata/blind-paraphrases-2.toml", "../cmd/vejviser/testdata/heldout5-questions.toml", "../knowledge/questions.toml")
	var mr3s, mr3f, mr1s, mr1f float64
	var nsets int
	defer func() {
		fmt.Printf("mean over real sets: R@3 search %.3f fused %.3f   R@1 search %.3f fused %.3f\n", mr3s/float64(nsets), mr3f/float64(nsets), mr1s/float64(nsets), mr1f/float64(nsets))
	}()
	for _, file := range files {
		qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
		if err != nil {
			continue
		}
		var n, rs, rc, rf, rs1, rf1 int
		for _, q := range qs {
			if q.Crisis || len(q.Want) == 0 {
				continue
			}
			n++
			lang := bot.DetectLanguage(q.Text, q.Lang)
			lim := 20
			fmt.Sscan(os.Getenv("LIM"), &lim)
			hits, err := s.Search(ctx, q.Text, lang, lim)
			if err != nil {
				t.Fatal(err)
			}
			p := m.Probs(q.Text)
			var sids []string
			top := 0.0
			for _, h := range hits {
				sids = append(sids, h.ID)
				top = max(top, h.Score)
			}
			type c struct {
				id string
				v  float64
			}
			var cl []c
			for id, v := range p {
				cl = append(cl, c{id, v})
			}
			sort.Slice(cl, func(i, j int) bool { return cl[i].v > cl[j].v || cl[i].v == cl[j].v && cl[i].id < cl[j].id })
			var cids []string
			for _, x := range cl[:min(3, len(cl))] {
				cids = append(cids, x.id)
			}
			fused := map[string]float64{}
			if os.Getenv("FUSE") == "rrf" {
				for r, h := range hits {
					fused[h.ID] = 1 / (rrfK + float64(r))
				}
				for r, x := range cl[:min(10, len(cl))] {
					if _, ok := fused[x.id]; ok || os.Getenv("ONLYHITS") == "" {
						fused[x.id] += beta / (rrfK + float64(r))
					}
				}
			} else {
				for _, h := range hits {
					fused[h.ID] = h.Score / max(top, 1e-9)
				}
				for _, x := range cl[:min(5, len(cl))] {
					fused[x.id] += beta * x.v
				}
			}
			var fl []c
			for id, v := range fused {
				fl = append(fl, c{id, v})
			}
			sort.Slice(fl, func(i, j int) bool { return fl[i].v > fl[j].v || fl[i].v == fl[j].v && fl[i].id < fl[j].id })
			var fids []string
			for _, x := range fl[:min(3, len(fl))] {
				fids = append(fids, x.id)
			}
			in := func(ids []string, k int) bool {
				for _, id := range ids[:min(k, len(ids))] {
					if slices.Contains(q.Want, id) {
						return true
					}
				}
				return false
			}
			if in(sids, 3) {
				rs++
			}
			if in(sids, 1) {
				rs1++
			}
			if in(cids, 3) {
				rc++
			}
			if in(fids, 3) {
				rf++
			}
			if in(fids, 1) {
				rf1++
			}
		}
		if n == 0 {
			continue
		}
		if strings.Contains(file, "real") {
			nsets++
			mr3s += float64(rs) / float64(n)
			mr3f += float64(rf) / float64(n)
			mr1s += float64(rs1) / float64(n)
			mr1f += float64(rf1) / float64(n)
		}
		fmt.Printf("%-32s n=%3d  R@3 search %.3f  intent %.3f  fused %.3f   R@1 search %.3f fused %.3f\n", filepath.Base(file), n,
			float64(rs)/float64(n), float64(rc)/float64(n), float64(rf)/float64(n), float64(rs1)/float64(n), float64(rf1)/float64(n))
	}
}

package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/vejviser/vejviser/knowledge"
)

// TestRankAsBleve holds rank, the first pass of a search over a large base, to the entries
// bleve's own search of the same query ranks first, for every question of questions.toml and
// the benchmark's, in both languages: on the starter base, and on a synthetic one whose copies
// of each entry tie. Both are at most TwoPassAbove entries, so rank reads their frozen
// postings; it must give exactly what rankBleve, which a larger base uses, reads through
// bleve's readers, and both what bleve's search gives. A small base keeps the test short under
// the race detector.
func TestRankAsBleve(t *testing.T) {
	base := loadBase(t)
	texts := slices.Clone(benchQuestions)
	for _, q := range base.Questions {
		texts = append(texts, q.Text)
	}
	for _, b := range []*knowledge.Base{base, synthetic(base, 200)} {
		t.Run(fmt.Sprintf("%d entries", len(b.Entries)), func(t *testing.T) {
			rankAsBleve(t, build(t, b), texts)
		})
	}
}

func rankAsBleve(t *testing.T, ix *Index, texts []string) {
	if ix.frozen == nil {
		t.Fatalf("the index of %d entries has no frozen postings", ix.Len())
	}
	ctx := context.Background()
	const n = 13
	compared := 0
	for _, text := range texts {
		for _, lang := range []string{"da", "en"} {
			groups := ix.analyze(text)
			direct := ix.aliases.find(text, func(w string) bool { return ix.vocab.knownPart(ix.an, w) })
			named := slices.Concat(direct, ix.aliases.partsOf(direct))
			if len(groups) == 0 && len(named) == 0 {
				continue
			}
			clauses, _ := ix.query(groups, lang)
			q := bleveQuery(clauses, named)
			ranked, err := ix.rank(ctx, clauses, named, n)
			if err != nil {
				t.Fatalf("rank(%q): %v", text, err)
			}
			read, err := ix.rankBleve(ctx, clauses, named, n)
			if err != nil {
				t.Fatalf("rankBleve(%q): %v", text, err)
			}
			if !slices.EqualFunc(ranked, read, func(a, b *search.DocumentMatch) bool { return a.ID == b.ID && a.Score == b.Score }) {
				t.Errorf("rank(%q, %s) from the frozen postings = %v; from bleve's readers %v", text, lang, matches(ranked), matches(read))
			}
			res, err := ix.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, n+20, 0, false))
			if err != nil {
				t.Fatalf("bleve search(%q): %v", text, err)
			}
			compared++
			score := map[string]float64{}
			var got, want []string
			for i, h := range res.Hits {
				score[h.ID] = h.Score
				if i < n {
					want = append(want, h.ID)
				}
			}
			for _, h := range ranked {
				got = append(got, h.ID)
				if b := score[h.ID]; !near(h.Score, b) {
					t.Errorf("rank(%q, %s): %s scores %g, bleve %g", text, lang, h.ID, h.Score, b)
				}
			}
			if slices.Equal(got, want) {
				continue
			}
			// Entries whose scores differ only in the last bits of a float (copies of one
			// entry in the synthetic base tie) may trade places; nothing else may.
			if len(got) != len(want) {
				t.Errorf("rank(%q, %s) = %d entries %v, bleve %d %v", text, lang, len(got), got, len(want), want)
				continue
			}
			for i := range got {
				if got[i] != want[i] && !near(score[got[i]], score[want[i]]) {
					t.Errorf("rank(%q, %s)[%d] = %s (bleve score %g), bleve %s (%g)\ngot  %v\nwant %v", text, lang, i, got[i], score[got[i]], want[i], score[want[i]], got, want)
					break
				}
			}
		}
	}
	if compared < 100 {
		t.Fatalf("compared %d searches, want at least 100", compared)
	}
}

// matches lists hits as id:score.
func matches(hits search.DocumentMatchCollection) []string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s:%v", h.ID, h.Score))
	}
	return out
}

// near reports whether two scores differ by no more than float rounding in a sum of their
// clauses taken in another order.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }

// TestBestBreaksTiesByPlace checks that rank's choice among entries whose scores tie follows
// their place among the ids (entryTies), whatever numbers bleve gave them, and that an entry
// without a place loses a tie to one with.
func TestBestBreaksTiesByPlace(t *testing.T) {
	tests := []struct {
		name string
		sums []float64
		ties []uint32
		n    int
		want []uint64
	}{
		{"ties by place", []float64{1, 2, 1, 1}, []uint32{2, 3, 0, 1}, 4, []uint64{1, 2, 3, 0}},
		{"the cut keeps the first places", []float64{1, 1, 1, 1}, []uint32{3, 1, 2, 0}, 2, []uint64{3, 1}},
		{"scores before places", []float64{1, 3, 2}, []uint32{0, 2, 1}, 3, []uint64{1, 2, 0}},
		{"no place loses", []float64{1, 1, 1}, []uint32{1}, 3, []uint64{0, 1, 2}},
	}
	for _, tt := range tests {
		a := new(rankSums)
		a.reset(len(tt.sums))
		for doc, s := range tt.sums {
			a.add(uint64(doc), s)
		}
		if got := a.best(tt.n, 1, tt.ties); !slices.Equal(got, tt.want) {
			t.Errorf("%s: best = %v; want %v", tt.name, got, tt.want)
		}
	}
}

// TestEntryTiesFollowIDs checks that every entry's place (entryTies) is its id's place among
// the ids in byte order, on the starter base.
func TestEntryTiesFollowIDs(t *testing.T) {
	base := loadBase(t)
	ix := build(t, base)
	fr, err := freezeRanks(context.Background(), ix.bl)
	if err != nil {
		t.Fatal(err)
	}
	ids := slices.Clone(fr.ids)
	slices.Sort(ids)
	if got, want := len(ix.ties), len(fr.ids); got != want {
		t.Fatalf("%d places for %d entries", got, want)
	}
	for doc, id := range fr.ids {
		if got, want := ids[ix.ties[doc]], id; got != want {
			t.Errorf("entry %d (%s) has the place of %s", doc, want, got)
		}
	}
}

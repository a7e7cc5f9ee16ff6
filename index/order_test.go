package index

import (
	"math"
	"slices"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

// TestOrderFeatures checks the order model's inputs on a small search: places by score and
// in the fused order, the score relative to the best, and a named entry read as the learned
// model's first, with no gap below it, and as the entry model's first; the gap is capped at
// LearnedGapCap; an entry's share of the nearest asked questions; its place and probability by
// the entry model, ties sharing the better place.
func TestOrderFeatures(t *testing.T) {
	hits := []knowledge.Hit{ // the fused order
		{ID: "named", Score: 1, Alias: true, Coverage: 0.5, Evidence: 4},
		{ID: "best", Score: 4, Coverage: 0.8, QuestionCoverage: 0.3, Asked: 0.2, Strong: true, Evidence: 1},
		{ID: "far", Score: 2},
	}
	ranks := map[string]place{"best": {1, 0.4}, "far": {3, 2.5}}
	votes := map[string]float64{"best": 0.75, "elsewhere": 0.25}
	probs := map[string]float64{"far": 0.5, "elsewhere": 0.2, "best": 0.2, "named": 0.1}
	got := orderFeatures(hits, ranks, votes, probs)
	want := [][]float64{
		{1.0 / 3, 0.25, 0.5, 0.25, 0, 0, 1, 0, 3, 1, 1, 1, 0, 0, 1, 0.5},
		{1, 1, 0.8, 0.64, 0.3, 0.2, 0, 1, 1, 0.5, 0, 0.5, 0.4, 0.75, 0.5, 0.2},
		{0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.25, 0, 1.0 / 3, LearnedGapCap, 0, 1, 0.5},
	}
	for i := range want {
		if len(got[i]) != len(OrderFeatures) || !slices.EqualFunc(got[i], want[i], func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }) {
			t.Errorf("orderFeatures(%s) = %v, want %v", hits[i].ID, got[i], want[i])
		}
	}
}

// TestOrderModelReordersFusion checks that Search orders by the order model: with a model that
// reads only the ranking's scores, the best-scored candidate comes first whatever the fusion
// said.
func TestOrderModelReordersFusion(t *testing.T) {
	base := loadBase(t)
	ix := build(t, base)
	q := "min søn gamer hele natten og vil ikke op om morgenen"
	saved := orderModel
	t.Cleanup(func() { orderModel = saved })
	orderModel = linear{W: make([]float64, len(OrderFeatures))}
	orderModel.W[1] = 1 // relscore only
	hits, err := ix.Search(t.Context(), q, "da", 3)
	if err != nil || len(hits) < 2 {
		t.Fatalf("Search(%q) = %v, %v", q, ids(hits), err)
	}
	if !slices.IsSortedFunc(hits, func(a, b knowledge.Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	}) {
		t.Errorf("with a model of the scores alone, Search(%q) = %v, not in score order", q, ids(hits))
	}
	orderModel.W[1] = -1 // the lowest score first
	worst, _ := ix.Search(t.Context(), q, "da", 3)
	if len(worst) == 0 || worst[0].ID == hits[0].ID {
		t.Errorf("with the scores read backwards, Search(%q) = %v, want %s not first", q, ids(worst), hits[0].ID)
	}
}

// TestOrderModelWeighsEveryFeature checks that the shipped order model has one weight per
// input: a feature added without a refit would be read with no weight at all.
func TestOrderModelWeighsEveryFeature(t *testing.T) {
	if got, want := len(orderModel.W), len(OrderFeatures); got != want {
		t.Errorf("orderModel has %d weights, want one per feature (%d): refit with ORDER_FIT=1 go test ./index -run TestDevOrder -v", got, want)
	}
}

package bot_test

import (
	"math"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestConfidenceReadsOffTopic checks that the confidence reads how much a question reads like
// the questions no entry answers (knowledge.Hit.OffTopic), and that the shipped model trusts an
// answer less the more it does, the rest of the evidence unchanged.
func TestConfidenceReadsOffTopic(t *testing.T) {
	at := featureAt()
	hits := func(off float64) []knowledge.Hit {
		return []knowledge.Hit{
			{ID: "a", Score: 4, Coverage: 0.5, Words: 6, Strong: true, Evidence: 1.5, Asked: 0.3, OffTopic: off},
			{ID: "b", Score: 2, Coverage: 0.3, Words: 6, OffTopic: off},
		}
	}
	tests := []struct {
		off, wantX, wantBest float64
	}{
		{-1.2, -1.2, 0},
		{0, 0, 0},
		{0.7, 0.7, 1},
	}
	prev := 2.0
	for _, tt := range tests {
		x := bot.Features(hits(tt.off))
		if got := x[at["offtopic"]]; got != tt.wantX {
			t.Errorf("OffTopic %v: feature offtopic = %v, want %v", tt.off, got, tt.wantX)
		}
		if got := x[at["offtopic-best"]]; got != tt.wantBest {
			t.Errorf("OffTopic %v: feature offtopic-best = %v, want %v", tt.off, got, tt.wantBest)
		}
		p := bot.ShippedConfidence().Predict(x)
		if p >= prev {
			t.Errorf("OffTopic %v: confidence %.3f, not below %.3f for a question that reads less off-topic", tt.off, p, prev)
		}
		prev = p
	}
}

// TestConfidenceReadsOffTopicSignals checks that the confidence reads the share of off-topic
// questions among the asked questions nearest to the question (knowledge.Hit.NearOffTopic) and
// the log-odds that the question is one no entry answers (knowledge.Hit.OffTopicOdds), and that
// the shipped model trusts an answer less the more off-topic either reads, the rest unchanged.
func TestConfidenceReadsOffTopicSignals(t *testing.T) {
	at := featureAt()
	tests := []struct {
		feature string
		set     func(h *knowledge.Hit, v float64)
		values  []float64 // from least to most off-topic
	}{
		{"near-offtopic", func(h *knowledge.Hit, v float64) { h.NearOffTopic = v }, []float64{0, 0.25, 0.5, 1}},
		{"offtopic-odds", func(h *knowledge.Hit, v float64) { h.OffTopicOdds = v }, []float64{-8, -4, 0, 4}},
	}
	for _, tt := range tests {
		prev := 2.0
		for _, v := range tt.values {
			hits := []knowledge.Hit{
				{ID: "a", Score: 4, Coverage: 0.5, Words: 6, Strong: true, Evidence: 1.5, Asked: 0.3, OffTopic: -1, NearOffTopic: 0.1},
				{ID: "b", Score: 2, Coverage: 0.3, Words: 6, OffTopic: -1, NearOffTopic: 0.1},
			}
			for i := range hits {
				tt.set(&hits[i], v)
			}
			x := bot.Features(hits)
			if got := x[at[tt.feature]]; got != v {
				t.Errorf("%s %v: feature = %v, want %v", tt.feature, v, got, v)
			}
			p := bot.ShippedConfidence().Predict(x)
			if p >= prev {
				t.Errorf("%s %v: confidence %.3f, not below %.3f for a question read as less off-topic", tt.feature, v, p, prev)
			}
			prev = p
		}
	}
}

// TestConfidenceReadsEntryModel checks the entry model's inputs – the top entry's probability
// (knowledge.Hit.EntryProb) and how far it lies above the best of the next two – and that the
// shipped model trusts an answer more the likelier the entry model reads its entry, the rest
// unchanged.
func TestConfidenceReadsEntryModel(t *testing.T) {
	at := featureAt()
	prev := -1.0
	for _, v := range []float64{0, 0.2, 0.5, 0.9} {
		hits := []knowledge.Hit{
			{ID: "a", Score: 4, Coverage: 0.5, Words: 6, Strong: true, Evidence: 1.5, Asked: 0.3, OffTopic: -1, NearOffTopic: 0.1, EntryProb: v},
			{ID: "b", Score: 2, Coverage: 0.3, Words: 6, OffTopic: -1, NearOffTopic: 0.1, EntryProb: 0.05},
			{ID: "c", Score: 1, Coverage: 0.2, Words: 6, OffTopic: -1, NearOffTopic: 0.1, EntryProb: 0.1},
			{ID: "d", Score: 1, Coverage: 0.2, Words: 6, OffTopic: -1, NearOffTopic: 0.1, EntryProb: 0.9}, // not among the next two
		}
		x := bot.Features(hits)
		if got, want := x[at["entry-p"]], v; got != want {
			t.Errorf("entry-p of %v = %v, want %v", v, got, want)
		}
		if got, want := x[at["entry-margin"]], v-0.1; math.Abs(got-want) > 1e-12 {
			t.Errorf("entry-margin of %v = %v, want %v", v, got, want)
		}
		p := bot.ShippedConfidence().Predict(x)
		if p <= prev {
			t.Errorf("entry-p %v: confidence %.3f, not above %.3f for an entry the model reads less likely", v, p, prev)
		}
		prev = p
	}
}

// featureAt maps each confidence feature's name to its place in bot.FeatureNames.
func featureAt() map[string]int {
	at := map[string]int{}
	for i, n := range bot.FeatureNames {
		at[n] = i
	}
	return at
}

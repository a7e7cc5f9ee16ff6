package index

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

// TestNearOffTopic checks the share of off-topic questions among the nearest asked ones: a
// question worded like the off-topic ones reads as off-topic, one worded like the answered ones
// does not, one whose words no asked question holds reads the share of off-topic questions
// overall, and a base without off-topic asked questions reads NearOffTopicWithout.
func TestNearOffTopic(t *testing.T) {
	base := &knowledge.Base{Entries: []*knowledge.Entry{{ID: "su", Title: "SU"}}}
	if got := first2(newLearned(base).nearest(learnTokens("hvad er SU", nil))); got != NearOffTopicWithout {
		t.Fatalf("without asked questions nearest = %v, want %v", got, NearOffTopicWithout)
	}
	base.Asked = []knowledge.Question{{Text: "hvad er SU", Want: []string{"su"}}}
	if got := first2(newLearned(base).nearest(learnTokens("hvad er SU", nil))); got != NearOffTopicWithout {
		t.Fatalf("without off-topic asked questions nearest = %v, want %v", got, NearOffTopicWithout)
	}
	base.Asked = []knowledge.Question{
		{Text: "hvor meget er SU når man bor hjemme", Want: []string{"su"}},
		{Text: "kan jeg få SU på hf", Want: []string{"su"}},
		{Text: "hvem vandt fodboldkampen i går", Offtopic: true},
		{Text: "hvornår spiller FCM fodbold", Offtopic: true},
		{Text: "jeg vil ikke mere", Crisis: true}, // never a neighbour
		{Text: "fodbold fodbold fodbold"},         // unlabelled: never a neighbour
	}
	m := newLearned(base)
	tests := []struct {
		q    string
		want float64
	}{
		{"fodbold i aften?", 1},
		{"får man SU når man bor hjemme", 0},
		{"xyzzy qwertz", 0.5},
	}
	for _, tt := range tests {
		if got := first2(m.nearest(learnTokens(tt.q, nil))); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("nearest(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := first2(m.nearest(learnTokens("SU og fodbold", nil))); got <= 0 || got >= 1 {
		t.Errorf("nearest of a question near both = %v, want strictly between 0 and 1", got)
	}
	// The votes: the entries' shares of the nearest answered questions' weight.
	if _, votes := m.nearest(learnTokens("får man SU når man bor hjemme", nil)); len(votes) != 1 || math.Abs(votes["su"]-1) > 1e-9 {
		t.Errorf("votes of a question near only SU questions = %v, want su 1", votes)
	}
	if _, votes := m.nearest(learnTokens("fodbold i aften?", nil)); votes["su"] != 0 {
		t.Errorf("votes of a question near only off-topic questions = %v, want none for su", votes)
	}
	if _, votes := m.nearest(learnTokens("SU og fodbold", nil)); votes["su"] <= 0 || votes["su"] >= 1 {
		t.Errorf("votes of a question near both = %v, want su strictly between 0 and 1", votes)
	}
}

// TestNearMatchesBruteForce checks read's postings and top-k selection against a plain
// comparison of the question with every asked and example question, for the questions of the
// editors' file, and texts of ten of them at a time, read against the embedded base.
func TestNearMatchesBruteForce(t *testing.T) {
	base := loadBase(t)
	n := newNearAsked(base, nil)
	type doc struct {
		toks map[string]bool
		norm float64
		off  bool
	}
	var docs []doc
	addDoc := func(text string, off bool) {
		d := doc{toks: map[string]bool{}, off: off}
		for _, tok := range learnTokens(text, nil) {
			d.toks[tok] = true
		}
		for tok := range d.toks {
			d.norm += n.idf(tok) * n.idf(tok)
		}
		docs = append(docs, d)
	}
	for _, qs := range [][]knowledge.Question{base.Questions, base.Asked} {
		for _, q := range qs {
			if q.Crisis || (!q.Offtopic && len(q.Want) == 0) {
				continue
			}
			addDoc(q.Text, q.Offtopic)
		}
	}
	// The entries' and the outside topics' example questions are neighbours too (newNearAsked).
	for _, e := range base.Entries {
		for _, q := range slices.Concat(e.Questions, e.EN.Questions) {
			addDoc(q, false)
		}
	}
	for _, tp := range base.Outside {
		for _, q := range slices.Concat(tp.Questions, tp.EN.Questions) {
			addDoc(q, true)
		}
	}
	brute := func(text string) float64 {
		q := map[string]bool{}
		for _, tok := range learnTokens(text, nil) {
			q[tok] = true
		}
		type scored struct {
			sim float64
			off bool
		}
		var all []scored
		for _, d := range docs {
			dot := 0.0
			for tok := range q {
				if d.toks[tok] {
					dot += n.idf(tok) * n.idf(tok)
				}
			}
			if dot > 0 {
				all = append(all, scored{dot / math.Sqrt(d.norm), d.off})
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].sim > all[j].sim })
		num, den := 0.0, 0.0
		for _, s := range all[:min(NearK, len(all))] {
			den += s.sim
			if s.off {
				num += s.sim
			}
		}
		if den == 0 {
			return n.prior
		}
		return num / den
	}
	texts := make([]string, 0, len(base.Questions))
	long := 0
	for i, q := range base.Questions {
		texts = append(texts, q.Text)
		if i%10 == 9 { // ten questions in one text: over nearListUpTo tokens, read through a set
			var b strings.Builder
			for _, q := range base.Questions[i-9 : i+1] {
				b.WriteString(q.Text + " ")
			}
			texts = append(texts, b.String())
			if len(learnTokens(b.String(), nil)) > nearListUpTo {
				long++
			}
		}
	}
	if long < 10 {
		t.Fatalf("only %d texts over %d tokens", long, nearListUpTo)
	}
	checked, between := 0, 0
	for _, text := range texts {
		q := knowledge.Question{Text: text}
		got, want := first2(n.read(learnTokens(q.Text, nil))), brute(q.Text)
		// float32 weights: a near tie may pick another of two neighbours of equal similarity.
		if math.Abs(got-want) > 1e-3 {
			t.Errorf("read(%q) = %.5f, brute force %.5f", q.Text, got, want)
		}
		checked++
		if want > 0 && want < 1 {
			between++
		}
	}
	if checked < 100 || between < 10 {
		t.Fatalf("only %d questions, %d with a share strictly between 0 and 1: the test shows little", checked, between)
	}
}

func first2(off float64, _ map[string]float64) float64 { return off }

// TestJoinNear checks that the entry with the largest share of the nearest asked questions
// joins the candidates when it is not among them – with its hit from further down the ranking
// where the ranking found it, bare otherwise – and that an entry already among them or an
// outside topic does not.
func TestJoinNear(t *testing.T) {
	ix := &Index{outside: map[string]bool{"topic": true}}
	ranked := []knowledge.Hit{{ID: "a", Score: 3}, {ID: "c", Score: 2}, {ID: "b", Score: 1, Coverage: 0.4}}
	tests := []struct {
		name  string
		votes map[string]float64
		want  []string
		hit   knowledge.Hit // the joined hit
		fused float64       // its fusion score
	}{
		{"found further down", map[string]float64{"a": 0.2, "b": 0.6}, []string{"a", "b"}, ranked[2], 1/(FusionK+1) + 1/(FusionK+3)},
		{"not found by the ranking", map[string]float64{"d": 0.5, "a": 0.25}, []string{"a", "d"}, knowledge.Hit{ID: "d", Words: 4}, 1 / (FusionK + 1)},
		{"already a candidate", map[string]float64{"a": 0.9, "b": 0.1}, []string{"a"}, knowledge.Hit{}, 0},
		{"an outside topic", map[string]float64{"topic": 0.9}, []string{"a"}, knowledge.Hit{}, 0},
		{"no votes", nil, []string{"a"}, knowledge.Hit{}, 0},
	}
	for _, tt := range tests {
		fused := map[string]float64{"a": 1}
		got := ix.joinNear([]knowledge.Hit{ranked[0]}, ranked, tt.votes, fused, 4)
		if ids := hitIDs(got); !slices.Equal(ids, tt.want) {
			t.Errorf("%s: candidates %v, want %v", tt.name, ids, tt.want)
			continue
		}
		if len(got) == 2 && (got[1] != tt.hit || math.Abs(fused[got[1].ID]-tt.fused) > 1e-12) {
			t.Errorf("%s: joined %+v with fusion score %v, want %+v with %v", tt.name, got[1], fused[got[1].ID], tt.hit, tt.fused)
		}
	}
}

// BenchmarkNear64K finds the nearest asked questions for the longest question a front end
// accepts (`ask -` lines of 64 KB), every word a new one.
func BenchmarkNear64K(b *testing.B) {
	n := newNearAsked(loadBase(b), nil)
	var sb strings.Builder
	for i := 0; sb.Len() < 64*1024; i++ {
		fmt.Fprintf(&sb, "ord%dxq ", i)
	}
	toks := learnTokens(sb.String(), nil)
	for b.Loop() {
		n.read(toks)
	}
}

// BenchmarkNewNearAsked builds the nearest-question index of the embedded base's asked
// questions, part of every start and reload (newLearned).
func BenchmarkNewNearAsked(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		newNearAsked(base, nil)
	}
}

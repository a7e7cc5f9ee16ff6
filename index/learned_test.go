package index

import (
	"math"
	"slices"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

func TestLearnTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Uddannelsen", []string{"uddannelsen", "p:uddan"}},
		{"hf2 i Århus", []string{"hf2", "århus"}},
		{"ka man ik", []string{"kan", "man", "ikke"}}, // chat spellings written out
		{"a b c", nil},
		{"STØTTE!!", []string{"støtte", "p:støtt"}},
		{"F.G.U. i Ikast", []string{"fgu", "ikast"}}, // the words the engine reads
	}
	for _, tt := range tests {
		if got := learnTokens(tt.text, nil); !slices.Equal(got, tt.want) {
			t.Errorf("learnTokens(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestLearnedRanksAskedWording checks that the model ranks an entry first for wording it
// learned only from an asked question, and that words it never saw give no ranks at all.
func TestLearnedRanksAskedWording(t *testing.T) {
	base := &knowledge.Base{Entries: []*knowledge.Entry{
		{ID: "job", Title: "Job og praktik", Keywords: []string{"job", "praktik"}},
		{ID: "trivsel", Title: "Psykisk mistrivsel", Keywords: []string{"angst", "depression"}},
	}}
	q := "min søn gamer hele natten og sover hele dagen"
	without := newLearned(base)
	if r, ok := first(without.rank(learnTokens(q, nil)))["trivsel"]; ok && r.rank == 0 {
		t.Fatalf("before learning, rank(%q) has trivsel first: the test shows nothing", q)
	}
	base.Asked = []knowledge.Question{
		{Text: "vores datter gamer hele natten og vil ikke op", Want: []string{"trivsel"}},
		{Text: "han sover hele dagen og gamer", Want: []string{"trivsel", "job"}},
		{Text: "hvordan finder jeg et job", Want: []string{"job"}},
		{Text: "hvad er klokken", Offtopic: true},
	}
	with := newLearned(base)
	got, _ := with.rank(learnTokens(q, nil))
	if got["trivsel"] != (place{}) || len(got) != 2 || got["job"].rank != 1 || got["job"].gap <= 0 {
		t.Errorf("rank(%q) = %v, want trivsel first of two and job second, further below", q, got)
	}
	if got, _ = with.rank(learnTokens("xyzzy qwertz", nil)); got != nil {
		t.Errorf("rank of unknown words = %v, want nil", got)
	}
	if got, _ = (&learned{}).rank(learnTokens(q, nil)); got != nil {
		t.Errorf("an empty model ranks %v, want nil", got)
	}
}

// TestLearnedFusion checks on the starter base that the fusion lifts an entry for wording
// only people's questions hold, and that a question naming an offer keeps that offer first.
func TestLearnedFusion(t *testing.T) {
	base := loadBase(t)
	ix := build(t, base)
	named := []struct{ q, want string }{
		{"hvor kan jeg finde SPS i min kommune", "sps"},
		{"min onkel siger at FGU er spild af tid for sådan en som mig, passer det", "fgu"},
	}
	for _, tt := range named {
		hits, err := ix.Search(t.Context(), tt.q, "da", 3)
		if err != nil || len(hits) == 0 || hits[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, %v; want %s first", tt.q, ids(hits), err, tt.want)
		}
	}
	// Every asked question's first entry, with and without the model: the model must lift
	// more of them to the first place than it drops (in-sample, so this guards the wiring,
	// not the quality – the README has the held-out figures).
	empty := &learned{}
	trained := ix.learned
	lifted, dropped := 0, 0
	for _, q := range base.Asked[:min(len(base.Asked), 600)] {
		if len(q.Want) == 0 {
			continue // off-topic
		}
		lang := q.Lang
		if lang == "" {
			lang = "da"
		}
		ix.learned = empty
		before, _ := ix.Search(t.Context(), q.Text, lang, 3)
		ix.learned = trained
		after, _ := ix.Search(t.Context(), q.Text, lang, 3)
		b := len(before) > 0 && before[0].ID == q.Want[0]
		a := len(after) > 0 && after[0].ID == q.Want[0]
		switch {
		case a && !b:
			lifted++
		case b && !a:
			dropped++
		}
	}
	if lifted <= dropped {
		t.Errorf("the model lifted %d asked questions' entries to the first place and dropped %d", lifted, dropped)
	}
	t.Logf("lifted %d, dropped %d", lifted, dropped)
}

func ids(hits []knowledge.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

// BenchmarkNewLearned measures learning the model from the starter base and its asked
// questions, which every start and reload does.
func BenchmarkNewLearned(b *testing.B) {
	base := loadBase(b)
	for b.Loop() {
		newLearned(base)
	}
}

func first(r map[string]place, _ float64) map[string]place { return r }

// TestLearnedOffTopic checks the off-topic class: a question worded like the off-topic
// questions people asked or like an outside topic reads as off-topic (above 0), one worded
// like an entry does not, and a model nothing off-topic taught gives OffTopicWithout.
func TestLearnedOffTopic(t *testing.T) {
	base := &knowledge.Base{Entries: []*knowledge.Entry{
		{ID: "job", Title: "Job og praktik", Keywords: []string{"job", "praktik", "ansøgning"}},
		{ID: "trivsel", Title: "Psykisk mistrivsel", Keywords: []string{"angst", "depression"}},
	}}
	entryLike, offLike, outsideLike := "hvordan skriver jeg en ansøgning til et job", "min kæreste vil ikke kysse mig", "skattekort og årsopgørelse til mit job"
	if _, off := newLearned(base).rank(learnTokens(offLike, nil)); off != OffTopicWithout {
		t.Fatalf("with no off-topic questions, OffTopic(%q) = %v, want %v", offLike, off, OffTopicWithout)
	}
	base.Asked = []knowledge.Question{
		{Text: "hvordan får jeg job som ung", Want: []string{"job"}},
		{Text: "min kæreste slog op, hvad gør jeg", Offtopic: true},
		{Text: "skal jeg kysse ham på første date", Offtopic: true},
	}
	base.Outside = []knowledge.OutsideTopic{{ID: "skat", Title: "skat", Keywords: []string{"årsopgørelse", "skattekort"}}}
	m := newLearned(base)
	tests := []struct {
		q        string
		offtopic bool
	}{
		{entryLike, false},
		{offLike, true},
		{outsideLike, true},
	}
	for _, tt := range tests {
		ranks, off := m.rank(learnTokens(tt.q, nil))
		if got := off > 0; got != tt.offtopic || off < -OffTopicCap || off > OffTopicCap {
			t.Errorf("OffTopic(%q) = %.2f, want off-topic %v within ±%v", tt.q, off, tt.offtopic, OffTopicCap)
		}
		if _, ok := ranks[""]; ok || len(ranks) > len(base.Entries) {
			t.Errorf("rank(%q) = %v: the off-topic class must not rank", tt.q, ranks)
		}
	}
}

// TestLearnedUnitLength checks that every text the model learns from counts at about unit
// length: each token weighs one over the square root of the text's number of tokens, so the
// weights of a text without repeated tokens have a Euclidean norm of 1 however long it is, and
// a long letter teaches its entry no more than a short question.
func TestLearnedUnitLength(t *testing.T) {
	long := "bax bex bix box bux byx bæx bøx dax dex dix dox dux dyx dæx døx"
	base := &knowledge.Base{Entries: []*knowledge.Entry{
		{ID: "short", Title: "hash joint"},
		{ID: "long", Title: long},
		{ID: "twice", Title: "hash hash joint"},
	}}
	m := newLearned(base)
	norm := func(entry int32) float64 {
		sq := 0.0
		for _, ps := range m.postings {
			for _, wc := range ps {
				if wc.entry == entry {
					sq += float64(wc.count) * float64(wc.count)
				}
			}
		}
		return math.Sqrt(sq)
	}
	weight := func(token string, entry int32) float64 {
		for _, wc := range m.postings[token] {
			if wc.entry == entry {
				return float64(wc.count)
			}
		}
		return 0
	}
	for i, e := range base.Entries[:2] {
		if got := norm(int32(i)); math.Abs(got-1) > 1e-6 {
			t.Errorf("norm of the weights %s taught = %.4f, want 1", e.ID, got)
		}
	}
	if got, want := weight("hash", 2), 2/math.Sqrt(3); math.Abs(got-want) > 1e-6 {
		t.Errorf(`weight of "hash" in "hash hash joint" = %.4f, want %.4f`, got, want)
	}
}

// TestJoinLearned checks that the learned model's first entry joins the fusion when the
// ranking left it out of its best: with its place in the ranking where the ranking found it
// further down, with no evidence where it did not, and never an outside topic or an entry the
// model ranks lower.
func TestJoinLearned(t *testing.T) {
	ix := &Index{outside: map[string]bool{"skat": true}}
	hit := func(id string, score float64) knowledge.Hit { return knowledge.Hit{ID: id, Score: score} }
	tests := []struct {
		name   string
		ranks  map[string]place
		ranked []knowledge.Hit // the ranking's whole list; the pool is its first two
		want   []string
		score  float64 // the joined entry's fused score
	}{
		{"found further down", map[string]place{"c": {0, 0}, "a": {1, 0.3}}, []knowledge.Hit{hit("a", 3), hit("b", 2), hit("c", 1)},
			[]string{"a", "b", "c"}, 1/(FusionK+1) + 1/(FusionK+3)},
		{"not found", map[string]place{"d": {0, 0}, "c": {1, 0.3}}, []knowledge.Hit{hit("a", 3), hit("b", 2), hit("c", 1)},
			[]string{"a", "b", "d"}, 1 / (FusionK + 1)},
		{"already in the pool", map[string]place{"b": {0, 0}, "c": {1, 0.3}}, []knowledge.Hit{hit("a", 3), hit("b", 2), hit("c", 1)},
			[]string{"a", "b"}, 0},
		{"an outside topic", map[string]place{"skat": {0, 0}, "c": {1, 0.3}}, []knowledge.Hit{hit("a", 3), hit("b", 2), hit("skat", 1)},
			[]string{"a", "b"}, 0},
	}
	for _, tt := range tests {
		pool := slices.Clone(tt.ranked[:2])
		fused := map[string]float64{"a": 1, "b": 0.5}
		got := ix.joinLearned(pool, tt.ranked, tt.ranks, fused, 4)
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("%s: joinLearned = %v, want %v", tt.name, ids(got), tt.want)
			continue
		}
		if len(got) == 3 {
			j := got[2]
			if math.Abs(fused[j.ID]-tt.score) > 1e-9 {
				t.Errorf("%s: fused[%s] = %.4f, want %.4f", tt.name, j.ID, fused[j.ID], tt.score)
			}
			if j.ID == "d" && (j.Score != 0 || j.Words != 4) {
				t.Errorf("%s: the entry the ranking did not find joined as %+v, want no evidence and the question's 4 words", tt.name, j)
			}
		}
	}
}

package index

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestDevSecondLabeller is a development tool, not a check: with SECOND=1 it reads a second,
// independent labeller's reading of a random sample of the real questions
// (testdata/second-labeller.toml) and prints how that person scores against the sets' own labels
// – Recall@1 (their first entry is a right one), Recall@3 (one of their up to three is) and the
// off-topic questions they also leave unanswered – beside Vejviser on the same questions, each
// answered with the learned model trained without the question's set, as in
// TestDevLeaveOneSetOut. It tells how far the bars lie from what two people agree on.
func TestDevSecondLabeller(t *testing.T) {
	if os.Getenv("SECOND") == "" {
		t.Skip("set SECOND=1")
	}
	var second struct{ Q []secondLabel }
	if _, err := toml.DecodeFile(filepath.Join("testdata", "second-labeller.toml"), &second); err != nil {
		t.Fatal(err)
	}
	base := loadBase(t)
	ix := build(t, base)
	eng := bot.New(base, ix, bot.Options{})
	sets := map[string][]knowledge.Question{}
	for _, s := range labelledSets(t) {
		sets[filepath.Base(s.file)] = s.qs
	}
	type tally struct{ n, r1, r3, off, offKept float64 }
	var human, vejviser tally
	slices.SortStableFunc(second.Q, func(a, b secondLabel) int { return cmp.Compare(a.Set, b.Set) })
	learnedWithout := ""
	for _, sq := range second.Q {
		qs := sets[sq.Set]
		i := slices.IndexFunc(qs, func(q knowledge.Question) bool { return q.Text == sq.Text })
		if i < 0 {
			t.Fatalf("%s: question not found: %.60q", sq.Set, sq.Text)
		}
		orig := qs[i]
		if sq.Set != learnedWithout {
			ix.learned, learnedWithout = newLearned(base.Without(qs)), sq.Set
		}
		a, err := eng.Answer(context.Background(), bot.Question{Text: orig.Text, Lang: orig.Lang, Again: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range a.Entries {
			got = append(got, e.ID)
		}
		if orig.Offtopic {
			human.off++
			vejviser.off++
			if sq.Offtopic {
				human.offKept++
			}
			if !a.Answered {
				vejviser.offKept++
			}
			continue
		}
		human.n++
		vejviser.n++
		for _, tl := range []struct {
			tally *tally
			ids   []string
		}{{&human, sq.Want}, {&vejviser, got}} {
			if r := rank(tl.ids, orig.Want); r >= 1 && r <= 3 {
				tl.tally.r3++
				if r == 1 {
					tl.tally.r1++
				}
			}
		}
	}
	for _, row := range []struct {
		name string
		t    tally
	}{{"second labeller", human}, {"vejviser", vejviser}} {
		fmt.Printf("%-16s %3.0f / %3.0f  Recall@1 %.3f  Recall@3 %.3f  off-topic not answered %.3f\n",
			row.name, row.t.n, row.t.off, row.t.r1/row.t.n, row.t.r3/row.t.n, row.t.offKept/row.t.off)
	}
}

// secondLabel is the second labeller's reading of one question of a labelled set.
type secondLabel struct {
	Set, Text string
	Want      []string
	Offtopic  bool
}

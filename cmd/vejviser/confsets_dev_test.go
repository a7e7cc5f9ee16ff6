package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestDevConfidenceBySet refits the confidence model without each real question set and scores
// that set with it (VEJVISER_CONFSETS set): a leave-one-set-out check of a refit against the
// model in use, on real questions the refit never saw.
func TestDevConfidenceBySet(t *testing.T) {
	if os.Getenv("VEJVISER_CONFSETS") == "" {
		t.Skip()
	}
	ctx := context.Background()
	eng, err := newEngine(ctx, knowledge.Embedded(), "embedded", t.TempDir(), nil, discardLogger(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	type item struct {
		s   bot.ConfidenceSample
		off bool
	}
	load := func(file string) []item {
		qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
		if err != nil {
			t.Fatal(err)
		}
		var out []item
		for _, q := range qs {
			if q.Crisis || (len(q.Want) == 0 && !q.Offtopic) {
				continue
			}
			x, ids, err := eng.SearchFeatures(ctx, q.Text, q.Lang)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, item{bot.ConfidenceSample{X: x, Right: !q.Offtopic && rankOf(ids, q.Want) > 0}, q.Offtopic})
		}
		return out
	}
	base := []string{"../../knowledge/questions.toml", "testdata/heldout-questions.toml", "testdata/heldout2-questions.toml",
		"testdata/heldout3-questions.toml", "testdata/heldout4-questions.toml", "testdata/heldout5-questions.toml",
		"testdata/heldout6-questions.toml", "testdata/offtopic-questions.toml", "testdata/blind-paraphrases.toml",
		"testdata/blind-paraphrases-2.toml"}
	real := []string{"../../../shared/eval/real-questions.toml", "testdata/blind1-real-questions.toml",
		"testdata/blind2-real-questions.toml", "testdata/blind3-real-questions.toml", "testdata/blind4-real-questions.toml",
		"testdata/blind5-real-questions.toml", "testdata/blind6-real-questions.toml"}
	var fixed []bot.ConfidenceSample
	for _, f := range base {
		for _, it := range load(f) {
			fixed = append(fixed, it.s)
		}
	}
	sets := map[string][]item{}
	for _, f := range real {
		sets[f] = load(f)
	}
	lambda := 1.0
	fmt.Sscan(os.Getenv("LAMBDA"), &lambda)
	score := func(m bot.Logistic, its []item, th float64) (sureRight, answerable, offNotSure, off int) {
		for _, it := range its {
			p := m.Predict(it.s.X)
			if it.off {
				off++
				if p < th {
					offNotSure++
				}
				continue
			}
			answerable++
			if it.s.Right && p >= th {
				sureRight++
			}
		}
		return
	}
	cur := bot.CurrentConfidenceModel()
	for _, held := range real {
		train := append([]bot.ConfidenceSample(nil), fixed...)
		for _, f := range real {
			if f != held {
				for _, it := range sets[f] {
					train = append(train, it.s)
				}
			}
		}
		m := bot.FitConfidence(train, lambda)
		for _, th := range []float64{0.5} {
			a, n, o, no := score(cur, sets[held], th)
			b, _, p, _ := score(m, sets[held], th)
			fmt.Printf("%-45s sure-right %.3f → %.3f   offtopic-not-sure %.3f → %.3f (%d on, %d off)\n", filepath.Base(held),
				float64(a)/float64(n), float64(b)/float64(n), float64(o)/float64(max(no, 1)), float64(p)/float64(max(no, 1)), n, no)
		}
	}
}

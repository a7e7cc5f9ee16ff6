package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestDevConfidenceCV (CONF_CV=1) refits the confidence model with each tuning question set
// left out in turn and prints, per left-out set, what the refit and the shipped model give on
// it: right answers among the sure ones (Recall@3 sure over its answerable questions) and
// off-topic questions not answered sure. A dev tool for choosing a refit honestly.
func TestDevConfidenceCV(t *testing.T) {
	if os.Getenv("CONF_CV") == "" {
		t.Skip("set CONF_CV=1")
	}
	ctx := context.Background()
	eng, err := newEngine(ctx, knowledge.Embedded(), "embedded", "", nil, discardLogger(), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	files, _ := filepath.Glob("testdata/*.toml")
	files = append(files, "../../knowledge/questions.toml")
	more, _ := filepath.Glob("../../../shared/eval/*.toml")
	files = append(files, more...)
	type set struct {
		name     string
		samples  []bot.ConfidenceSample
		offtopic []bool
		onTopic  int
	}
	var sets []set
	for _, file := range files {
		qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
		if err != nil {
			t.Fatal(err)
		}
		s := set{name: filepath.Base(file)}
		for _, q := range qs {
			if q.Crisis || (len(q.Want) == 0 && !q.Offtopic) {
				continue
			}
			x, ids, err := eng.SearchFeatures(ctx, q.Text, q.Lang)
			if err != nil {
				t.Fatal(err)
			}
			s.samples = append(s.samples, bot.ConfidenceSample{X: x, Right: !q.Offtopic && rankOf(ids, q.Want) > 0})
			s.offtopic = append(s.offtopic, q.Offtopic)
			if !q.Offtopic {
				s.onTopic++
			}
		}
		sets = append(sets, s)
	}
	lambda := 1.0
	fmt.Sscan(os.Getenv("CONF_LAMBDA"), &lambda)
	score := func(m bot.Logistic, s set) (sureRight, offKept int) {
		for i, x := range s.samples {
			sure := bot.SureWith(m, x.X)
			if sure && x.Right {
				sureRight++
			}
			if s.offtopic[i] && !sure {
				offKept++
			}
		}
		return
	}
	var tot [4]float64
	var nOn, nOff float64
	for i, held := range sets {
		var train []bot.ConfidenceSample
		for j, s := range sets {
			if j != i {
				train = append(train, s.samples...)
			}
		}
		refit := bot.FitConfidence(train, lambda)
		a, b := score(bot.ShippedConfidence(), held)
		c, d := score(refit, held)
		off := len(held.samples) - held.onTopic
		fmt.Printf("%-36s sure-right %3d → %3d of %3d   off-topic kept %3d → %3d of %3d\n", held.name, a, c, held.onTopic, b, d, off)
		tot[0] += float64(a)
		tot[1] += float64(b)
		tot[2] += float64(c)
		tot[3] += float64(d)
		nOn += float64(held.onTopic)
		nOff += float64(off)
	}
	fmt.Printf("POOLED recall3-sure %.4f → %.4f   off-topic kept %.4f → %.4f\n", tot[0]/nOn, tot[2]/nOn, tot[1]/nOff, tot[3]/nOff)
}

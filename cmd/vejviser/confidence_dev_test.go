package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestDevConfidenceCV (CONF_CV=1) refits the confidence model with each tuning question set
// left out in turn and prints, per left-out set, what the refit and the shipped model give on
// it: right answers among the sure ones (Recall@3 sure over its answerable questions) and
// off-topic questions not answered sure. CONF_DROP=k leaves feature k (bot.FeatureNames) out of
// the refit. A dev tool for choosing a refit honestly.
func TestDevConfidenceCV(t *testing.T) {
	if os.Getenv("CONF_CV") == "" {
		t.Skip("set CONF_CV=1")
	}
	ctx := context.Background()
	eng := devEngine(t)
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
		xs, off, err := confidenceSamples(ctx, eng.Base(), file)
		if err != nil {
			t.Fatal(err)
		}
		if d := os.Getenv("CONF_DROP"); d != "" {
			// Leave a feature out of the refit (its value zero everywhere), to measure
			// what it adds.
			k, err := strconv.Atoi(d)
			if err != nil || k < 0 || k >= len(bot.FeatureNames) {
				t.Fatalf("CONF_DROP=%q: want a feature number from 0 to %d", d, len(bot.FeatureNames)-1)
			}
			for i := range xs {
				xs[i].X[k] = 0
			}
		}
		s := set{name: filepath.Base(file), samples: xs, offtopic: off}
		for _, o := range off {
			if !o {
				s.onTopic++
			}
		}
		sets = append(sets, s)
	}
	if dump := os.Getenv("CONF_DUMP"); dump != "" {
		f, err := os.Create(dump)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sets {
			for i, x := range s.samples {
				fmt.Fprintf(f, "%s\t%v\t%v\t%v", s.name, x.Right, x.Outside, s.offtopic[i])
				for _, v := range x.X {
					fmt.Fprintf(f, "\t%g", v)
				}
				fmt.Fprintln(f)
			}
		}
		f.Close()
	}
	lambda := 1.0
	fmt.Sscan(os.Getenv("CONF_LAMBDA"), &lambda)
	score := func(m bot.Logistic, s set) (sureRight, offKept int) {
		for i, x := range s.samples {
			// The bot is never sure where an outside topic fits better (bot's confidence).
			sure := bot.SureWith(m, x.X) && !x.Outside
			if sure && x.Right {
				sureRight++
			}
			if s.offtopic[i] && !sure {
				offKept++
			}
		}
		return
	}
	var shippedRight, shippedKept, refitRight, refitKept, onTopic, offTopic int
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
		shippedRight, shippedKept, refitRight, refitKept = shippedRight+a, shippedKept+b, refitRight+c, refitKept+d
		onTopic, offTopic = onTopic+held.onTopic, offTopic+off
	}
	share := func(n, of int) float64 { return float64(n) / float64(max(of, 1)) }
	fmt.Printf("POOLED recall3-sure %.4f → %.4f   off-topic kept %.4f → %.4f\n",
		share(shippedRight, onTopic), share(refitRight, onTopic), share(shippedKept, offTopic), share(refitKept, offTopic))
}

// TestDevFeatures (CONF_FEATURES=FILE) prints each question's confidence features, its
// probability under the shipped model and whether the first three entries hold a right one. A
// dev tool for finding what separates the questions a new feature should tell apart.
func TestDevFeatures(t *testing.T) {
	file := os.Getenv("CONF_FEATURES")
	if file == "" {
		t.Skip("set CONF_FEATURES=FILE")
	}
	ctx := context.Background()
	eng := devEngine(t)
	qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(bot.FeatureNames)
	for _, q := range qs {
		if q.Crisis || (len(q.Want) == 0 && !q.Offtopic) {
			continue
		}
		x, ids, _, err := eng.SearchFeatures(ctx, q.Text, q.Lang)
		if err != nil {
			t.Fatal(err)
		}
		label := "off"
		if !q.Offtopic {
			label = "miss"
			if rankOf(ids, q.Want) > 0 {
				label = "right"
			}
		}
		fmt.Printf("%-5s p=%.2f x=%.2f | %.80s\n", label, bot.ShippedConfidence().Predict(x), x, q.Text)
	}
}

// devEngine returns an engine on the embedded knowledge base for the dev tools, closed when the
// test ends.
func devEngine(t *testing.T) *bot.Engine {
	t.Helper()
	eng, err := newEngine(context.Background(), knowledge.Embedded(), "embedded", "", nil, discardLogger(), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

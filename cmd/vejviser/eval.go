package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/knowledge"
)

// metric is one line of the eval report: hits out of n, and its threshold. A metric with
// lower set is a rate that must stay at or below max (false alarms).
type metric struct {
	name     string
	hits, n  float64
	min, max float64
	lower    bool
	misses   []string
	fraction bool // hits is a sum of fractions (MRR)
}

func (m *metric) value() float64 {
	if m.n == 0 {
		if m.lower {
			return 0
		}
		return 1
	}
	return m.hits / m.n
}

func (m *metric) ok() bool {
	if m.lower {
		return m.max <= 0 || m.value() <= m.max
	}
	return m.value() >= m.min
}

// evalResult is the outcome of running a questions file.
type evalResult struct{ metrics []*metric }

// evalFlags are the thresholds eval checks; a zero threshold is not checked.
type evalFlags struct {
	min     map[string]*float64
	maxFA   *float64
	verbose *bool
}

func (e *env) eval(ctx context.Context, args []string) error {
	fs := newFlags("eval", e.stderr)
	var c common
	c.register(fs)
	f := evalFlags{min: map[string]*float64{}}
	for _, n := range []string{"recall1", "recall3", "mrr", "crisis-recall", "offtopic", "kommune", "language", "support"} {
		f.min[n] = fs.Float64("min-"+n, 0, "fail below this "+n+" (0–1)")
	}
	f.maxFA = fs.Float64("max-false-alarm", 0, "fail when the crisis card shows for more than this share of the questions that are not a crisis (0–1)")
	f.verbose = fs.Bool("v", false, "list every question, not only the misses")
	curve := fs.Bool("crisis-curve", false, "print the crisis classifier's recall and false alarms by threshold, cross-validated on the knowledge base's examples")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: vejviser eval [flags] FILE   (a questions file with [[q]], or crisis examples with [[example]])")
		fmt.Fprintln(fs.Output(), "       vejviser eval --crisis-curve")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errSilent
	}
	if (fs.NArg() != 1 && !*curve) || fs.NArg() > 1 {
		return fmt.Errorf("eval: give one questions file (or --crisis-curve)")
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	if *curve && fs.NArg() == 0 {
		base, err := knowledge.Load(fsys, time.Now())
		if err != nil {
			return fmt.Errorf("eval: %s: %w", name, err)
		}
		opts := bot.CrisisOptions(base)
		fmt.Fprintf(e.stdout, "five-fold cross-validation of %d crisis examples and %d example questions (%s)\n",
			len(base.Crisis.Examples), len(opts.Ordinary), name)
		crisis.WriteCurve(e.stdout, crisis.CrossValidate(base.Crisis, opts, 5))
		fmt.Fprintf(e.stdout, "the detector's threshold: %.2f\n", crisis.Threshold)
		return nil
	}
	file := fs.Arg(0)
	eng, err := newEngine(ctx, fsys, name, "", discardLogger(), e.stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	var res *evalResult
	var n int
	if isExampleFile(file) {
		exs, err := knowledge.LoadCrisisExamples(os.DirFS(filepath.Dir(file)), filepath.Base(file))
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		n = len(exs)
		res, err = runCrisisEval(ctx, eng, exs, *f.verbose, e.stdout)
		if err != nil {
			return err
		}
	} else {
		qs, warnings, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		for _, w := range warnings {
			fmt.Fprintf(e.stderr, "%s (ignored)\n", w)
		}
		n = len(qs)
		res, err = runEval(ctx, eng, qs, *f.verbose, e.stdout)
		if err != nil {
			return err
		}
	}
	failed := false
	fmt.Fprintf(e.stdout, "\n%d messages (%s)\n", n, file)
	for _, m := range res.metrics {
		status := ""
		switch {
		case m.lower && *f.maxFA > 0 && m.name == "false-alarm":
			m.max = *f.maxFA
			status = fmt.Sprintf("  (max %.2f)", m.max)
		case !m.lower:
			if p, ok := f.min[strings.SplitN(m.name, ":", 2)[0]]; ok && *p > 0 {
				m.min = *p
				status = fmt.Sprintf("  (min %.2f)", m.min)
			}
		}
		if status != "" && !m.ok() {
			status += "  FAIL"
			failed = true
		}
		fmt.Fprintf(e.stdout, "%-22s %.3f  (%s of %d)%s\n", m.name, m.value(), countStr(m), int(m.n), status)
	}
	if failed {
		return fmt.Errorf("eval: below threshold")
	}
	return nil
}

// isExampleFile reports whether file holds crisis examples ([[example]]) rather than questions.
func isExampleFile(file string) bool {
	data, err := os.ReadFile(file)
	return err == nil && strings.Contains(string(data), "[[example]]")
}

func countStr(m *metric) string {
	if m.fraction {
		return fmt.Sprintf("%.2f", m.hits)
	}
	return fmt.Sprintf("%d", int(m.hits))
}

// runEval answers every question and scores the answers; misses are printed to w. Recall and
// MRR count only the questions that are not a crisis (a crisis answer always cites the crisis
// entry); crisis questions are scored as recall of the card, the rest as its false alarms.
func runEval(ctx context.Context, eng *bot.Engine, qs []knowledge.Question, verbose bool, w io.Writer) (*evalResult, error) {
	r1 := &metric{name: "recall1"}
	r3 := &metric{name: "recall3"}
	mrr := &metric{name: "mrr", fraction: true}
	crisisRecall := &metric{name: "crisis-recall"}
	falseAlarm := &metric{name: "false-alarm", lower: true}
	off := &metric{name: "offtopic"}
	kom := &metric{name: "kommune"}
	lang := &metric{name: "language"}
	for _, q := range qs {
		a, err := eng.Answer(ctx, bot.Question{Text: q.Text})
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		var got []string
		for _, en := range a.Entries {
			got = append(got, en.ID)
		}
		var miss []string
		if len(q.Want) > 0 && !q.Offtopic && !q.Crisis {
			rank := 0
			for i, id := range got {
				if slices.Contains(q.Want, id) {
					rank = i + 1
					break
				}
			}
			r1.n++
			r3.n++
			mrr.n++
			if rank == 1 {
				r1.hits++
			}
			if rank >= 1 && rank <= 3 {
				r3.hits++
				mrr.hits += 1 / float64(rank)
			} else {
				miss = append(miss, fmt.Sprintf("want %s", strings.Join(q.Want, "|")))
			}
		}
		if q.Crisis {
			crisisRecall.n++
			if a.Crisis && len(got) > 0 && got[0] == knowledge.CrisisEntryID {
				crisisRecall.hits++
			} else {
				miss = append(miss, "want the crisis card")
			}
		} else {
			falseAlarm.n++
			if a.Crisis {
				falseAlarm.hits++
				miss = append(miss, fmt.Sprintf("crisis card (%s) on a question that is not a crisis", strings.Join(a.CrisisKinds, ", ")))
			}
		}
		if q.Offtopic {
			off.n++
			if !a.Answered {
				off.hits++
			} else {
				miss = append(miss, "want off-topic (answered: false)")
			}
		}
		if q.Kommune != "" {
			kom.n++
			want := q.Kommune
			if k, ok := eng.Base().Kommune(want); ok {
				want = k.Name // "Århus" or "Aarhus Kommune" name the same municipality
			}
			if strings.EqualFold(a.Kommune, want) {
				kom.hits++
			} else {
				miss = append(miss, fmt.Sprintf("kommune %q want %q", a.Kommune, q.Kommune))
			}
		}
		wantLang := q.Lang
		if wantLang == "" {
			wantLang = bot.Danish
		}
		lang.n++
		if a.Language == wantLang {
			lang.hits++
		} else {
			miss = append(miss, fmt.Sprintf("language %s want %s", a.Language, wantLang))
		}
		report(w, verbose, q.Text, got, miss)
	}
	return &evalResult{metrics: []*metric{r1, r3, mrr, crisisRecall, falseAlarm, off, kom, lang}}, nil
}

func report(w io.Writer, verbose bool, text string, got, miss []string) {
	if len(miss) > 0 || verbose {
		mark := "MISS"
		if len(miss) == 0 {
			mark = "ok  "
		}
		fmt.Fprintf(w, "%s %q → [%s] %s\n", mark, text, strings.Join(got, ", "), strings.Join(miss, "; "))
	}
}

// runCrisisEval scores labelled crisis messages: the card's recall per acute kind and over all
// of them, its false alarms per harmless kind and over all harmless messages, and how many
// distress messages got the calm support line.
func runCrisisEval(ctx context.Context, eng *bot.Engine, exs []knowledge.CrisisExample, verbose bool, w io.Writer) (*evalResult, error) {
	all := &metric{name: "crisis-recall"}
	fa := &metric{name: "false-alarm", lower: true}
	support := &metric{name: "support"}
	supportFA := &metric{name: "false-alarm:distress", lower: true}
	perKind := map[string]*metric{}
	kindMetric := func(name string, lower bool) *metric {
		if perKind[name] == nil {
			perKind[name] = &metric{name: name, lower: lower}
		}
		return perKind[name]
	}
	for _, ex := range exs {
		a, err := eng.Answer(ctx, bot.Question{Text: ex.Text})
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		var miss []string
		switch ex.Tier {
		case knowledge.TierAcute:
			m := kindMetric("crisis-recall:"+ex.Kind, false)
			all.n++
			m.n++
			if a.Crisis {
				all.hits++
				m.hits++
			} else {
				miss = append(miss, fmt.Sprintf("want the card (%s), got tier %s", ex.Kind, a.Tier))
			}
		case knowledge.TierSupport:
			support.n++
			supportFA.n++
			switch {
			case a.Crisis:
				supportFA.hits++
				miss = append(miss, fmt.Sprintf("crisis card (%s) on distress", strings.Join(a.CrisisKinds, ", ")))
			case a.Tier == knowledge.TierSupport:
				support.hits++
			default:
				miss = append(miss, "want the support line")
			}
		default:
			m := kindMetric("false-alarm:"+ex.Kind, true)
			fa.n++
			m.n++
			if a.Crisis {
				fa.hits++
				m.hits++
				miss = append(miss, fmt.Sprintf("crisis card (%s) on a harmless %s message", strings.Join(a.CrisisKinds, ", "), ex.Kind))
			}
		}
		report(w, verbose, ex.Text, a.CrisisKinds, miss)
	}
	metrics := []*metric{all}
	for _, k := range knowledge.CrisisKinds {
		if m := perKind["crisis-recall:"+k]; m != nil {
			metrics = append(metrics, m)
		}
	}
	metrics = append(metrics, fa)
	for _, k := range knowledge.HarmlessKinds {
		if m := perKind["false-alarm:"+k]; m != nil {
			metrics = append(metrics, m)
		}
	}
	if support.n > 0 {
		metrics = append(metrics, support, supportFA)
	}
	return &evalResult{metrics: metrics}, nil
}

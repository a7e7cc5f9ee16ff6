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
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// metric is one line of the eval report: hits out of n, and its threshold. A metric with
// lower set is a rate that must stay at or below max (false alarms). base, when set, is the
// same figure for the plain bleve baseline.
type metric struct {
	name     string
	hits, n  float64
	min, max float64
	lower    bool
	misses   []string
	fraction bool // hits is a sum of fractions (MRR)
	base     *metric
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
	for _, n := range []string{"recall1", "recall3", "recall3-sure", "mrr", "crisis-recall", "offtopic", "kommune", "language", "support"} {
		f.min[n] = fs.Float64("min-"+n, 0, "fail below this "+n+" (0–1)")
	}
	f.maxFA = fs.Float64("max-false-alarm", 0, "fail when the crisis card shows for more than this share of the questions that are not a crisis (0–1)")
	f.verbose = fs.Bool("v", false, "list every question, not only the misses")
	curve := fs.Bool("crisis-curve", false, "print the crisis classifier's recall and false alarms by threshold, cross-validated on the knowledge base's examples")
	confCurve := fs.Bool("curve", false, "print the confidence model's precision and recall by threshold over the questions files")
	fit := fs.Bool("fit-confidence", false, "fit the confidence model on the questions files and print it as Go")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: vejviser eval [flags] FILE   (a questions file with [[q]], or crisis examples with [[example]])")
		fmt.Fprintln(fs.Output(), "       vejviser eval --crisis-curve")
		fmt.Fprintln(fs.Output(), "       vejviser eval --curve FILE...   or   --fit-confidence FILE...")
		fs.PrintDefaults()
	}
	if help, err := parseArgs(fs, args); help || err != nil {
		return err
	}
	for name, v := range f.min {
		if *v < 0 || *v > 1 {
			return fmt.Errorf("eval: --min-%s %g: give a share between 0 and 1", name, *v)
		}
	}
	if *f.maxFA < 0 || *f.maxFA > 1 {
		return fmt.Errorf("eval: --max-false-alarm %g: give a share between 0 and 1", *f.maxFA)
	}
	multi := *confCurve || *fit
	switch {
	case *curve && fs.NArg() == 0, multi && fs.NArg() >= 1, fs.NArg() == 1:
	default:
		return fmt.Errorf("eval: give one questions file (or --crisis-curve, or files with --curve or --fit-confidence)")
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	if err := checkFolder(name); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if *curve && fs.NArg() == 0 {
		base, err := knowledge.Load(fsys, time.Now())
		if err != nil {
			return fmt.Errorf("eval: %s: %w", name, err)
		}
		opts := crisis.OptionsFor(base)
		fmt.Fprintf(e.stdout, "five-fold cross-validation of %d crisis examples and %d example questions (%s)\n",
			len(base.Crisis.LabelledExamples()), len(opts.Ordinary), name)
		crisis.WriteCurve(e.stdout, crisis.CrossValidate(base.Crisis, opts, 5))
		fmt.Fprintf(e.stdout, "the detector's threshold: %.2f\n", crisis.Threshold)
		return nil
	}
	file := fs.Arg(0)
	eng, err := newEngine(ctx, fsys, name, "", nil, discardLogger(), e.stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	if multi {
		return confidenceTools(ctx, eng, fs.Args(), *fit, e.stdout)
	}
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
			fmt.Fprintln(e.stderr, w)
		}
		n = len(qs)
		bl, err := index.BuildBaseline(ctx, eng.Base())
		if err != nil {
			return err
		}
		defer bl.Close()
		res, err = runEval(ctx, eng, bl, qs, *f.verbose, e.stdout)
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
		baseline := ""
		if m.base != nil {
			baseline = fmt.Sprintf("  baseline %.3f", m.base.value())
		}
		fmt.Fprintf(e.stdout, "%-22s %.3f  (%s of %d)%s%s\n", m.name, m.value(), countStr(m), int(m.n), baseline, status)
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
func runEval(ctx context.Context, eng *bot.Engine, bl *index.Baseline, qs []knowledge.Question, verbose bool, w io.Writer) (*evalResult, error) {
	r1 := &metric{name: "recall1", base: &metric{}}
	r3 := &metric{name: "recall3", base: &metric{}}
	r3sure := &metric{name: "recall3-sure"}
	mrr := &metric{name: "mrr", fraction: true, base: &metric{fraction: true}}
	sure := &metric{name: "sure"}
	maybe := &metric{name: "maybe"}
	outside := &metric{name: "outside"}
	crisisRecall := &metric{name: "crisis-recall"}
	falseAlarm := &metric{name: "false-alarm", lower: true}
	off := &metric{name: "offtopic", base: &metric{}}
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
		sure.n++
		maybe.n++
		outside.n++
		if a.Outside != "" {
			outside.hits++
		}
		switch a.Confidence {
		case bot.ConfidenceSure:
			sure.hits++
		case bot.ConfidenceMaybe:
			maybe.hits++
		}
		if len(q.Want) > 0 && !q.Offtopic && !q.Crisis {
			rank := rankOf(got, q.Want)
			score(r1, r3, mrr, rank)
			r3sure.n++
			if rank >= 1 && rank <= 3 && a.Confidence == bot.ConfidenceSure {
				r3sure.hits++
			}
			var baseIDs []string
			if bl != nil {
				ids, err := bl.Search(ctx, q.Text, 3)
				if err != nil {
					return nil, err
				}
				baseIDs = ids
				score(r1.base, r3.base, mrr.base, rankOf(ids, q.Want))
			}
			if rank < 1 || rank > 3 {
				m := fmt.Sprintf("want %s", strings.Join(q.Want, "|"))
				if br := rankOf(baseIDs, q.Want); br >= 1 && br <= 3 {
					m += fmt.Sprintf(" (the baseline had it: %s)", strings.Join(baseIDs, ", "))
				}
				miss = append(miss, m)
			} else if a.Confidence != bot.ConfidenceSure {
				miss = append(miss, "right entry offered as maybe")
			}
			if a.Outside != "" {
				miss = append(miss, fmt.Sprintf("read as the outside topic %q", a.Outside))
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
			if a.Confidence != bot.ConfidenceSure {
				off.hits++
			} else {
				miss = append(miss, "want off-topic (not answered sure)")
			}
			if bl != nil {
				ids, _ := bl.Search(ctx, q.Text, 3)
				off.base.n++
				if len(ids) == 0 {
					off.base.hits++
				}
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
	return &evalResult{metrics: []*metric{r1, r3, r3sure, mrr, sure, maybe, outside, crisisRecall, falseAlarm, off, kom, lang}}, nil
}

// rankOf returns the 1-based rank of the first id in want, or 0.
func rankOf(got, want []string) int {
	for i, id := range got {
		if slices.Contains(want, id) {
			return i + 1
		}
	}
	return 0
}

// score counts one ranked question in Recall@1, Recall@3 and MRR.
func score(r1, r3, mrr *metric, rank int) {
	r1.n++
	r3.n++
	mrr.n++
	if rank == 1 {
		r1.hits++
	}
	if rank >= 1 && rank <= 3 {
		r3.hits++
		mrr.hits += 1 / float64(rank)
	}
}

// confidenceTools fits the confidence model on the questions files (fit) or prints its
// precision–recall curve over them. Each file's features come from an index whose learned
// model of question wording has not seen that file's questions (leftOut): the shipped model
// learns from every labelled set (knowledge/asked), so features read with it would be
// in-sample, and a confidence fitted on them would trust it more than it deserves on new
// questions.
func confidenceTools(ctx context.Context, eng *bot.Engine, files []string, fit bool, w io.Writer) error {
	var samples []bot.ConfidenceSample
	var offtopic []bool
	for _, file := range files {
		xs, off, err := confidenceSamples(ctx, eng.Base(), file)
		if err != nil {
			return err
		}
		samples, offtopic = append(samples, xs...), append(offtopic, off...)
	}
	if fit {
		m := bot.FitConfidence(samples, 1)
		fmt.Fprintf(w, "// fitted on %d questions from %s, each file left out of the learned model\n", len(samples), strings.Join(files, ", "))
		m.WriteGo(w)
		return nil
	}
	bot.WriteConfidenceCurve(w, samples, offtopic)
	return nil
}

// confidenceSamples returns the confidence model's labelled samples for the questions of file
// (crisis questions and unlabelled ones left out) and which of them are off-topic, read by an
// engine on base with file's questions left out (leftOut).
func confidenceSamples(ctx context.Context, base *knowledge.Base, file string) ([]bot.ConfidenceSample, []bool, error) {
	qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
	if err != nil {
		return nil, nil, fmt.Errorf("eval: %w", err)
	}
	b := base.Without(qs)
	s, err := index.Build(ctx, b, index.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("eval: %s: building the index without its questions: %w", file, err)
	}
	eng := bot.New(b, s, bot.Options{})
	defer eng.Close()
	var samples []bot.ConfidenceSample
	var offtopic []bool
	for _, q := range qs {
		if q.Crisis || (len(q.Want) == 0 && !q.Offtopic) {
			continue
		}
		x, ids, outside, err := eng.SearchFeatures(ctx, q.Text, q.Lang)
		if err != nil {
			return nil, nil, fmt.Errorf("eval: %s: %w", file, err)
		}
		samples = append(samples, bot.ConfidenceSample{X: x, Right: !q.Offtopic && rankOf(ids, q.Want) > 0, Outside: outside})
		offtopic = append(offtopic, q.Offtopic)
	}
	return samples, offtopic, nil
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

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// metric is one line of the eval report: hits out of n, and its threshold.
type metric struct {
	name     string
	hits, n  float64
	min      float64
	misses   []string
	fraction bool // hits is a sum of fractions (MRR)
}

func (m *metric) value() float64 {
	if m.n == 0 {
		return 1
	}
	return m.hits / m.n
}

func (m *metric) ok() bool { return m.value() >= m.min }

// evalResult is the outcome of running a questions file.
type evalResult struct{ metrics []*metric }

func (e *env) eval(ctx context.Context, args []string) error {
	fs := newFlags("eval", e.stderr)
	var c common
	c.register(fs)
	mins := map[string]*float64{}
	for _, n := range []string{"recall1", "recall3", "mrr", "crisis", "offtopic", "kommune", "language"} {
		mins[n] = fs.Float64("min-"+n, 0, "fail below this "+n+" (0–1)")
	}
	verbose := fs.Bool("v", false, "list every question, not only the misses")
	if err := fs.Parse(args); err != nil {
		return errSilent
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("eval: give one questions file")
	}
	cfg, err := c.load(fs)
	if err != nil {
		return err
	}
	file := fs.Arg(0)
	qs, warnings, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "%s (ignored)\n", w)
	}
	fsys, name := cfg.knowledgeFS(c.knowledge)
	eng, err := newEngine(ctx, fsys, name, "", discardLogger(), e.stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	res, err := runEval(ctx, eng, qs, *verbose, e.stdout)
	if err != nil {
		return err
	}
	failed := false
	fmt.Fprintf(e.stdout, "\n%d questions (%s)\n", len(qs), file)
	for _, m := range res.metrics {
		m.min = *mins[m.name]
		status := ""
		if m.min > 0 {
			status = fmt.Sprintf("  (min %.2f)", m.min)
			if !m.ok() {
				status += "  FAIL"
				failed = true
			}
		}
		fmt.Fprintf(e.stdout, "%-9s %.3f  (%s of %d)%s\n", m.name, m.value(), countStr(m), int(m.n), status)
	}
	if failed {
		return fmt.Errorf("eval: below threshold")
	}
	return nil
}

func countStr(m *metric) string {
	if m.fraction {
		return fmt.Sprintf("%.2f", m.hits)
	}
	return fmt.Sprintf("%d", int(m.hits))
}

// runEval answers every question and scores the answers; misses are printed to w.
func runEval(ctx context.Context, eng *bot.Engine, qs []knowledge.Question, verbose bool, w io.Writer) (*evalResult, error) {
	r1 := &metric{name: "recall1"}
	r3 := &metric{name: "recall3"}
	mrr := &metric{name: "mrr", fraction: true}
	crisis := &metric{name: "crisis"}
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
		if len(q.Want) > 0 && !q.Offtopic {
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
		crisis.n++
		if a.Crisis == q.Crisis && (!q.Crisis || (len(got) > 0 && got[0] == knowledge.CrisisEntryID)) {
			crisis.hits++
		} else {
			miss = append(miss, fmt.Sprintf("crisis=%v want %v", a.Crisis, q.Crisis))
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
		if len(miss) > 0 || verbose {
			mark := "MISS"
			if len(miss) == 0 {
				mark = "ok  "
			}
			fmt.Fprintf(w, "%s %q → [%s] %s\n", mark, q.Text, strings.Join(got, ", "), strings.Join(miss, "; "))
		}
	}
	return &evalResult{metrics: []*metric{r1, r3, mrr, crisis, off, kom, lang}}, nil
}

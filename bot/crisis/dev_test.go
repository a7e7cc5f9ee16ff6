package crisis

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"fmt"
	"github.com/BurntSushi/toml"
	"maps"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

func TestDevReport(t *testing.T) {
	if os.Getenv("CRISIS_DEV") == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, devOptions(base, os.Getenv("CRISIS_MODEL") == ""))
	miss := map[string]int{}
	n := map[string]int{}
	for _, e := range base.Crisis.Examples {
		r := d.Detect(e.Text)
		key := e.Tier + "/" + e.Kind
		n[key]++
		bad := (e.Tier == "acute") != r.Acute()
		if bad {
			miss[key]++
			if os.Getenv("CRISIS_DEV") == "v" {
				fmt.Printf("%s %v %q\n", key, r.Kinds, e.Text)
			}
		}
	}
	for k, v := range n {
		fmt.Printf("%-20s %3d/%3d wrong\n", k, miss[k], v)
	}
}

func TestDevExplain(t *testing.T) {
	msg := os.Getenv("CRISIS_MSG")
	file := os.Getenv("CRISIS_MSGS")
	if msg == "" && file == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, devOptions(base, os.Getenv("CRISIS_MODEL") == ""))
	if file != "" {
		// One message per line: one line of result each (tier, rules, scores, the start of the message).
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			r := d.Detect(m)
			var kept []string
			for _, h := range d.hits(tokenize(m)) {
				kept = append(kept, d.concepts[h.concept])
			}
			fmt.Printf("%-7s firm=%-5v score=%.3f whole=%.4f rules=%v kinds=%v concepts=%v | %.90s\n", r.Tier, r.Firm, r.Score, r.Whole, matchedRules(d, m), r.Kinds, kept, m)
		}
		return
	}
	toks := tokenize(msg)
	for _, h := range d.lex.find(toks) {
		fmt.Printf("%-30s %d-%d %q\n", d.concepts[h.concept], h.start, h.end, toks[h.start].text)
	}
	fmt.Println("kept:")
	for _, h := range d.hits(toks) {
		fmt.Printf("  %-30s %d-%d\n", d.concepts[h.concept], h.start, h.end)
	}
	fmt.Printf("%+v rules %v\n", d.Detect(msg), matchedRules(d, msg))
}

func TestDevCurve(t *testing.T) {
	if os.Getenv("CRISIS_CURVE") == "" {
		t.Skip()
	}
	base := devBase(t)
	start := time.Now()
	New(base.Crisis, OptionsFor(base))
	fmt.Println("train took", time.Since(start))
	tr := defaultTraining
	fmt.Sscan(os.Getenv("EPOCHS"), &tr.epochs)
	fmt.Sscan(os.Getenv("RATE"), &tr.rate)
	fmt.Sscan(os.Getenv("ACUTE"), &tr.acute)
	fmt.Sscan(os.Getenv("L2"), &tr.l2)
	tr.average = tr.average || os.Getenv("AVG") != ""
	expCueFeatures = expCueFeatures || os.Getenv("CUES") != ""
	fmt.Sscan(os.Getenv("MINGRAM"), &expMinGram)
	fmt.Sscan(os.Getenv("MAXGRAM"), &expMaxGram)
	fmt.Sscan(os.Getenv("CREP"), &expConceptRepeat)
	fmt.Printf("%+v\n", tr)
	cvStart := time.Now()
	held := CrossValidate(base.Crisis, func() Options { o := OptionsFor(base); o.training = &tr; return o }(), 5)
	fmt.Println("cross-validation took", time.Since(cvStart))
	WriteCurve(os.Stdout, held)
}

func TestDevOrdinary(t *testing.T) {
	if os.Getenv("CRISIS_ORD") == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, devOptions(base, true))
	for _, q := range OptionsFor(base).Ordinary {
		if r := d.Detect(q); r.Tier != "none" {
			fmt.Printf("%s %v %q\n", r.Tier, r.Kinds, q)
		}
	}
}

func TestDevInSample(t *testing.T) {
	if os.Getenv("CRISIS_IN") == "" {
		t.Skip()
	}
	base := devBase(t)
	tr := defaultTraining
	fmt.Sscan(os.Getenv("EPOCHS"), &tr.epochs)
	fmt.Sscan(os.Getenv("RATE"), &tr.rate)
	fmt.Sscan(os.Getenv("ACUTE"), &tr.acute)
	fmt.Sscan(os.Getenv("L2"), &tr.l2)
	fmt.Sscan(os.Getenv("CREP"), &expConceptRepeat)
	d := New(base.Crisis, func() Options { o := OptionsFor(base); o.training = &tr; return o }())
	miss, fa := 0, 0
	for _, e := range base.Crisis.Examples {
		r := d.Detect(e.Text)
		if e.Tier == "acute" && !r.Acute() {
			miss++
		}
		if e.Tier != "acute" && r.Acute() {
			fa++
		}
	}
	fmt.Println("in-sample miss", miss, "false alarms", fa)
}

func TestDevCVMisses(t *testing.T) {
	if os.Getenv("CRISIS_CVM") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	per := map[string]int{}
	for _, h := range held {
		fired := h.Fired(Threshold)
		if h.Example.Tier == "acute" && !fired {
			per[h.Example.Kind]++
			if os.Getenv("CRISIS_CVM") == "v" {
				fmt.Printf("MISS %s %.2f %q\n", h.Example.Kind, h.Score, h.Example.Text)
			}
		}
		if h.Example.Tier != "acute" && fired && os.Getenv("CRISIS_CVM") == "fa" {
			fmt.Printf("FA %s rule=%v %.2f %q\n", h.Example.Kind, h.Rule, h.Score, h.Example.Text)
		}
	}
	fmt.Println(per)
}

func TestDevFile(t *testing.T) {
	f := os.Getenv("CRISIS_FILE")
	if f == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, OptionsFor(base))
	exs, err := knowledge.LoadCrisisExamples(os.DirFS("/"), f[1:])
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range exs {
		if r := d.Detect(e.Text); r.Acute() != (e.Tier == "acute") {
			fmt.Printf("%s/%s rule=%v %.2f %v %q\n", e.Tier, e.Kind, r.Rule, r.Score, r.Kinds, e.Text)
		}
	}
}

func BenchmarkDevTrain(b *testing.B) {
	fmt.Sscan(os.Getenv("BACKOFF"), &defaultTraining.backoff)
	base := devBase(b)
	for b.Loop() {
		New(base.Crisis, OptionsFor(base))
	}
}

func TestDevLong(t *testing.T) {
	if os.Getenv("CRISIS_LONG") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	for _, th := range []float64{0.41, 0.45, 0.5, 0.55, 0.6, 0.7} {
		var acute, found, harm, fa int
		for _, h := range held {
			if len(tokenize(h.Example.Text)) <= Window {
				continue
			}
			fired := h.firedAt(th, th)
			if h.Example.Tier == "acute" {
				acute++
				if fired {
					found++
				}
			} else {
				harm++
				if fired {
					fa++
				}
			}
		}
		fmt.Printf("long messages, threshold %.2f: recall %d/%d, false alarms %d/%d\n", th, found, acute, fa, harm)
	}
}

// TestDevQuestions lists the questions of a [[q]] file (CRISIS_QFILE) that raise the card.
func TestDevQuestions(t *testing.T) {
	f := os.Getenv("CRISIS_QFILE")
	if f == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, OptionsFor(base))
	var qf struct {
		Q []struct {
			Text string
			Want []string
		}
	}
	if _, err := toml.DecodeFile(f, &qf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range qf.Q {
		if slices.Contains(q.Want, "crisis") || slices.Contains(q.Want, "krisehjaelp") {
			continue
		}
		n++
		r := d.Detect(q.Text)
		if r.Acute() {
			fmt.Printf("FA rule=%v %.2f %v %q\n", r.Rule, r.Score, r.Kinds, q.Text)
		} else if r.Tier == knowledge.TierSupport && os.Getenv("CRISIS_SUPPORT") != "" {
			fmt.Printf("SUPPORT %q\n", q.Text)
		}
	}
	fmt.Println(n, "questions that are not a crisis")
}

// TestDevFloor measures a classifier floor under the rules: a rule fires only when the
// held-out score is at least the floor.
func TestDevFloor(t *testing.T) {
	if os.Getenv("CRISIS_FLOOR") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	for _, floor := range []float64{0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1} {
		var acute, found, hard, fah, ord, fao int
		for _, h := range held {
			fired := h.Firm || (h.Rule && h.Score >= floor) || h.Score >= Threshold
			switch {
			case h.Example.Tier == "acute":
				acute++
				if fired {
					found++
				} else if os.Getenv("CRISIS_FLOOR") == "v" && h.Rule && floor == 0.03 {
					fmt.Printf("  lost %s %.3f %q\n", h.Example.Kind, h.Score, h.Example.Text)
				}
			case h.Example.Kind == "ordinary" || h.Example.Tier == "support":
				ord++
				if fired {
					fao++
				}
			default:
				hard++
				if fired {
					fah++
				}
			}
		}
		fmt.Printf("floor %.3f recall %.3f FA hard %.3f FA ordinary/support %.3f\n", floor,
			float64(found)/float64(acute), float64(fah)/float64(hard), float64(fao)/float64(ord))
	}
}

// TestDevRuleMisses lists acute examples no rule finds (CRISIS_RM set).
func TestDevRuleMisses(t *testing.T) {
	if os.Getenv("CRISIS_RM") == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, Options{NoModel: true})
	for _, e := range base.Crisis.Examples {
		if e.Tier == "acute" && !d.Detect(e.Text).Rule {
			fmt.Printf("%s %q\n", e.Kind, e.Text)
		}
	}
}

// TestDevRuleAlarms lists harmless and support examples a rule fires on (CRISIS_RA set).
func TestDevRuleAlarms(t *testing.T) {
	if os.Getenv("CRISIS_RA") == "" {
		t.Skip()
	}
	base := devBase(t)
	d := New(base.Crisis, Options{NoModel: true})
	for _, e := range base.Crisis.Examples {
		if r := d.Detect(e.Text); e.Tier != "acute" && r.Rule {
			fmt.Printf("%s/%s %v %q\n", e.Tier, e.Kind, r.Kinds, e.Text)
		}
	}
}

// TestDevFine prints the cross-validated curve in steps of 0.01 (CRISIS_FINE set).
func TestDevFine(t *testing.T) {
	if os.Getenv("CRISIS_FINE") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	from := 0.30 // CRISIS_FINE_FROM starts the curve lower
	if v, err := strconv.ParseFloat(os.Getenv("CRISIS_FINE_FROM"), 64); err == nil {
		from = v
	}
	for th := from; th < 0.555; th += 0.01 {
		c := countFired(held, func(Held) bool { return true }, func(h Held) bool { return h.Fired(th) })
		fmt.Printf("%.2f recall %.4f (%d) hard %.4f (%d) ordinary %.4f (%d)\n", th, float64(c.found)/float64(c.acute), c.found,
			float64(c.fah)/float64(c.hard), c.fah, float64(c.fao)/float64(c.ord), c.fao)
	}
}

// firedCounts are the acute examples and those found, the hard harmless ones (tier none, not
// ordinary; support messages are left out) and their false alarms, and the ordinary ones and
// theirs.
type firedCounts struct{ acute, found, hard, fah, ord, fao int }

// countFired counts, over the held-out examples keep selects, where fired says the card shows.
func countFired(held []Held, keep, fired func(Held) bool) firedCounts {
	var c firedCounts
	for _, h := range held {
		if !keep(h) {
			continue
		}
		f := fired(h)
		switch {
		case h.Example.Tier == "acute":
			c.acute++
			if f {
				c.found++
			}
		case h.Example.Kind == "ordinary":
			c.ord++
			if f {
				c.fao++
			}
		case h.Example.Tier == "none":
			c.hard++
			if f {
				c.fah++
			}
		}
	}
	return c
}

// devBase loads the knowledge base in ../../knowledge for the dev tools above.
func devBase(tb testing.TB) *knowledge.Base {
	tb.Helper()
	base, err := knowledge.Load(os.DirFS("../../knowledge"), time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return base
}

// devOptions is OptionsFor(base), with the classifier off when noModel is set.
func devOptions(base *knowledge.Base, noModel bool) Options {
	o := OptionsFor(base)
	o.NoModel = noModel
	return o
}

// TestDevBySet scores each blind set with a classifier trained without it (CRISIS_SETS set):
// a leave-one-writer-out check, since the five folds by position share their writers. The
// rules are today's, which learned from every set, so the rule share of each figure is
// optimistic; the classifier's is not.
func TestDevBySet(t *testing.T) {
	if os.Getenv("CRISIS_SETS") == "" {
		t.Skip()
	}
	base := devBase(t)
	opts := OptionsFor(base)
	floor := RuleFloor
	fmt.Sscan(os.Getenv("FLOOR"), &floor)
	cuedFloor := CuedRuleFloor
	fmt.Sscan(os.Getenv("CUEDFLOOR"), &cuedFloor)
	th := Threshold
	fmt.Sscan(os.Getenv("TH"), &th)
	var weak []int
	for _, f := range strings.Fields(os.Getenv("WEAK")) {
		var i int
		fmt.Sscan(f, &i)
		weak = append(weak, i)
	}
	weakFloor := 0.2
	fmt.Sscan(os.Getenv("WEAKFLOOR"), &weakFloor)
	var overrule []int // OVERRULE: rules to treat as marked overrule
	for _, f := range strings.Fields(os.Getenv("OVERRULE")) {
		var i int
		fmt.Sscan(f, &i)
		overrule = append(overrule, i)
	}
	var extra []knowledge.CrisisExample
	if f := os.Getenv("CRISIS_EXTRA"); f != "" {
		exs, err := knowledge.LoadCrisisExamples(os.DirFS("/"), f[1:])
		if err != nil {
			t.Fatal(err)
		}
		for i := range exs {
			exs[i].File = "extra"
		}
		extra = exs
	}
	var dump *os.File
	if f := os.Getenv("DUMP"); f != "" {
		var err error
		if dump, err = os.Create(f); err != nil {
			t.Fatal(err)
		}
		defer dump.Close()
	}
	var tA, tF, tH, tFH int
	sets := 0 // blind-1 … blind-N, as many as the examples hold; then the CRISIS_EXTRA file
	for _, e := range base.Crisis.Examples {
		var n int
		if _, err := fmt.Sscanf(e.File, "crisis-examples/blind-%d.toml", &n); err == nil {
			sets = max(sets, n)
		}
	}
	for i := 1; i <= sets+1; i++ {
		file := fmt.Sprintf("crisis-examples/blind-%d.toml", i)
		if i == sets+1 {
			file = "extra"
		}
		var train []knowledge.CrisisExample
		var test []knowledge.CrisisExample
		for _, e := range append(slices.Clone(base.Crisis.Examples), extra...) {
			if e.File == file {
				test = append(test, e)
			} else if e.File != "extra" {
				train = append(train, e)
			}
		}
		if len(test) == 0 {
			continue
		}
		c := base.Crisis
		c.Examples = train
		d := New(c, opts)
		var acute, found, hard, fah, ruleFA int
		for _, e := range test {
			r := d.Detect(e.Text)
			rule := r.Rule
			if rule && len(weak) > 0 && r.Score < weakFloor {
				toks := tokenize(e.Text)
				idx := indexHits(d.hits(toks), len(d.concepts))
				rule = false
				for j, rr := range d.rules {
					if rr.kind != knowledge.SupportKind && !slices.Contains(weak, j) {
						if _, ok := ruleMatch(rr, idx); ok {
							rule = true
							break
						}
					}
				}
			}
			r.Rule = rule
			if len(overrule) > 0 && r.Firm {
				r.Firm = false
				for _, j := range matchedRules(d, e.Text) {
					if !d.rules[j].overrule && !slices.Contains(overrule, j) {
						r.Firm = true
					}
				}
			}
			longTh := ThresholdFor(len(tokenize(e.Text)), r.Likely)
			if v := os.Getenv("LONGTH"); v != "" && len(tokenize(e.Text)) > Window {
				fmt.Sscan(v, &longTh)
			}
			if dump != nil {
				fmt.Fprintf(dump, "%s\t%s\t%s\t%.4f\t%v\t%d\t%q\n", file, e.Tier, e.Kind, r.Score, matchedRules(d, e.Text), len(tokenize(e.Text)), e.Text)
			}
			fl := floor
			if r.Cued {
				fl = cuedFloor
			}
			fired := r.Firm || (r.Rule && r.Score >= fl) || r.Score >= longTh && r.Score >= th
			switch {
			case e.Tier == knowledge.TierAcute:
				acute++
				if fired {
					found++
				} else if os.Getenv("CRISIS_SETS") == "v" {
					fmt.Printf("  miss %s %v %.2f %q\n", e.Kind, matchedRules(d, e.Text), r.Score, e.Text)
				}
			case e.Tier == knowledge.TierNone:
				hard++
				if fired {
					fah++
					if r.Rule {
						ruleFA++
					}
					if os.Getenv("CRISIS_SETS") == "v" {
						fmt.Printf("  alarm %s rule=%v %v %.2f %q\n", e.Kind, r.Rule, matchedRules(d, e.Text), r.Score, e.Text)
					}
				}
			}
		}
		tA, tF, tH, tFH = tA+acute, tF+found, tH+hard, tFH+fah
		fmt.Printf("%-34s recall %.3f (%d/%d)  false alarms %.3f (%d/%d, %d by a rule)\n", file,
			float64(found)/float64(acute), found, acute, float64(fah)/float64(hard), fah, hard, ruleFA)
	}
	fmt.Printf("all blind sets: recall %.3f (%d/%d), false alarms %.3f (%d/%d)\n", float64(tF)/float64(tA), tF, tA, float64(tFH)/float64(tH), tFH, tH)
}

// TestDevLongLost lists the long acute examples a threshold of LONGTH loses (CRISIS_LONGLOST set).
func TestDevLongLost(t *testing.T) {
	if os.Getenv("CRISIS_LONGLOST") == "" {
		t.Skip()
	}
	th := 0.6
	fmt.Sscan(os.Getenv("LONGTH"), &th)
	base := devBase(t)
	for _, h := range CrossValidate(base.Crisis, OptionsFor(base), 5) {
		if h.Long && h.Example.Tier == "acute" && h.firedAt(Threshold, Threshold) && !h.firedAt(Threshold, th) {
			fmt.Printf("lost %s %.2f %q\n", h.Example.Kind, h.Score, h.Example.Text)
		}
	}
}

// TestDevLongThreshold measures a higher threshold for messages longer than one window on the
// cross-validation (CRISIS_LONGTH set).
func TestDevLongThreshold(t *testing.T) {
	if os.Getenv("CRISIS_LONGTH") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	for _, long := range []float64{0.55, 0.6, 0.65, 0.7, 0.75, 0.8} {
		var acute, found, hard, fah, ord, fao int
		for _, h := range held {
			fired := h.firedAt(Threshold, long)
			switch {
			case h.Example.Tier == knowledge.TierAcute:
				acute++
				if fired {
					found++
				}
			case h.Example.Tier == knowledge.TierNone && (h.Example.File == EntriesFile || h.Example.Kind == "ordinary"):
				ord++
				if fired {
					fao++
				}
			case h.Example.Tier == knowledge.TierNone:
				hard++
				if fired {
					fah++
				}
			}
		}
		fmt.Printf("long threshold %.2f: recall %.4f (%d/%d), FA hard %.4f (%d/%d), FA ordinary %.4f (%d/%d)\n", long,
			float64(found)/float64(acute), found, acute, float64(fah)/float64(hard), fah, hard, float64(fao)/float64(ord), fao, ord)
	}
}

// TestDevWeakRules measures, for each rule, what requiring a classifier floor for it alone
// would cost and save on the cross-validation (CRISIS_WEAK set; FLOOR, default 0.3).
func TestDevWeakRules(t *testing.T) {
	if os.Getenv("CRISIS_WEAK") == "" {
		t.Skip()
	}
	floor := 0.3
	fmt.Sscan(os.Getenv("FLOOR"), &floor)
	base := devBase(t)
	d := New(base.Crisis, Options{NoModel: true})
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	type stat struct{ lost, saved int }
	stats := make([]stat, len(d.rules))
	for _, h := range held {
		toks := tokenize(h.Example.Text)
		idx := indexHits(d.hits(toks), len(d.concepts))
		var fired []int
		for i, r := range d.rules {
			if r.kind == knowledge.SupportKind {
				continue
			}
			if _, ok := ruleMatch(r, idx); ok {
				fired = append(fired, i)
			}
		}
		if len(fired) != 1 || h.Score >= floor || h.Score >= ThresholdFor(len(toks), h.Likely) {
			continue
		}
		i := fired[0]
		if h.Example.Tier == knowledge.TierAcute {
			stats[i].lost++
			if os.Getenv("CRISIS_WEAK") == "v" {
				fmt.Printf("  lost by rule %d (%s): %.2f %q\n", i, d.rules[i].kind, h.Score, h.Example.Text)
			}
		} else if h.Example.Tier == knowledge.TierNone {
			stats[i].saved++
		}
	}
	for i, s := range stats {
		if s.lost+s.saved > 0 {
			fmt.Printf("rule %2d %-10s %v: alone and under %.2f – acute lost %d, harmless saved %d\n", i, d.rules[i].kind, d.rules[i].groups, floor, s.lost, s.saved)
		}
	}
}

// matchedRules returns the indexes of the acute rules that match text.
func matchedRules(d *Detector, text string) []int {
	idx := indexHits(d.hits(tokenize(text)), len(d.concepts))
	var out []int
	for j, rr := range d.rules {
		if rr.kind != knowledge.SupportKind {
			if _, ok := ruleMatch(rr, idx); ok {
				out = append(out, j)
			}
		}
	}
	return out
}

// TestDevCVDump writes the cross-validated scores, the rules each example matches and the
// classifier's most likely kind to the file CRISIS_CVDUMP names (tab-separated), for analysis
// outside Go.
func TestDevCVDump(t *testing.T) {
	f := os.Getenv("CRISIS_CVDUMP")
	if f == "" {
		t.Skip()
	}
	expLengthFeature = os.Getenv("LENF") != "" // LENF=1 measures with the length feature
	base := devBase(t)
	rules := New(base.Crisis, Options{NoModel: true})
	out, err := os.Create(f)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	for _, h := range CrossValidate(base.Crisis, OptionsFor(base), 5) {
		e := h.Example
		kind := e.Kind
		if e.File == EntriesFile {
			kind = "ordinary"
		}
		fmt.Fprintf(out, "%s\t%s\t%s\t%.4f\t%v\t%d\t%s\t%q\t%v\n", e.File, e.Tier, kind, h.Score, matchedRules(rules, e.Text), len(tokenize(e.Text)), h.Likely, e.Text, h.Cued)
	}
}

// TestDevRuleFile lists, for the harmless examples of the file CRISIS_RULEFILE names, the rules
// that fire and the full detector's verdict (for in-kind work on a set's alarms).
func TestDevRuleFile(t *testing.T) {
	f := os.Getenv("CRISIS_RULEFILE")
	if f == "" {
		t.Skip()
	}
	base := devBase(t)
	rules := New(base.Crisis, Options{NoModel: true})
	full := New(base.Crisis, OptionsFor(base))
	for _, e := range base.Crisis.Examples {
		if !strings.HasSuffix(e.File, f) || e.Tier == knowledge.TierAcute {
			continue
		}
		if m := matchedRules(rules, e.Text); len(m) > 0 {
			r := full.Detect(e.Text)
			fmt.Printf("%s %v card=%v %.3f %q\n", e.Kind, m, r.Acute(), r.Score, e.Text)
		}
	}
}

// TestDevCuedFloor prints the cross-validated recall and false alarms for floors under the
// rules marked overrule in messages that hold a cue of a harmless reading (CRISIS_CUEDFLOOR
// set; "v" also lists the acute examples a floor loses). CuedRuleFloor was read from it.
func TestDevCuedFloor(t *testing.T) {
	if os.Getenv("CRISIS_CUEDFLOOR") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	for _, fl := range []float64{0.02, 0.03, 0.035, 0.04, 0.045, 0.05, 0.1, 0.15, 0.2} {
		var acute, found, hard, fah, ord, fao int
		for _, h := range held {
			fired := h.firedWith(Threshold, LongThreshold, fl)
			switch {
			case h.Example.Tier == knowledge.TierAcute:
				acute++
				if fired {
					found++
				} else if os.Getenv("CRISIS_CUEDFLOOR") == "v" && h.Fired(Threshold) {
					fmt.Printf("  lost at %.3f: %.3f %q\n", fl, h.Score, h.Example.Text)
				}
			case h.Example.Kind == "ordinary":
				ord++
				if fired {
					fao++
				}
			default:
				if h.Example.Tier == knowledge.TierNone {
					hard++
					if fired {
						fah++
					}
				}
			}
		}
		fmt.Printf("cued floor %.3f  recall %.4f  false alarms hard %.4f ordinary %.4f\n", fl,
			float64(found)/float64(acute), float64(fah)/float64(hard), float64(fao)/float64(ord))
	}
}

// TestDevWin measures training on the windows of long harmless examples (WIN: their weight)
// and LongRuleFloor (LF): cross-validation at the production thresholds and a few others, with
// long messages apart; CRISIS_FILE2 names example files (absolute paths) whose harmless
// messages are scored by the full detector.
func TestDevWin(t *testing.T) {
	if os.Getenv("CRISIS_WIN") == "" {
		t.Skip()
	}
	if w := os.Getenv("WIN"); w != "" {
		fmt.Sscan(w, &expWindowWeight)
	}
	fmt.Sscan(os.Getenv("LF"), &expLongRuleFloor)
	fmt.Sscan(os.Getenv("SETTLED"), &defaultTraining.settled)
	fmt.Sscan(os.Getenv("REST"), &defaultTraining.rest)
	fmt.Sscan(os.Getenv("EP"), &defaultTraining.epochs)
	fmt.Sscan(os.Getenv("WF"), &expWeakRuleFloor)
	fmt.Sscan(os.Getenv("WP"), &expWeakRulePrecision)
	fmt.Sscan(os.Getenv("MODELS"), &defaultTraining.models)
	fmt.Sscan(os.Getenv("SEED"), &defaultTraining.seed)
	fmt.Sscan(os.Getenv("BACKOFF"), &defaultTraining.backoff)
	fmt.Sscan(os.Getenv("PAD"), &expScalePad)
	expLengthFeature = os.Getenv("LENF") != "" // LENF=1 measures with the length feature
	expFoldByFile = os.Getenv("BYFILE") != ""
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	if f := os.Getenv("DUMP"); f != "" {
		var b strings.Builder
		for _, h := range held {
			fmt.Fprintf(&b, "%v\t%.4f\t%s\t%s\n", h.Fired(Threshold), h.Score, heldGroup(h), strings.ReplaceAll(h.Example.Text, "\n", " "))
		}
		if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := tally{}
	for _, h := range held {
		f, group := h.Fired(Threshold), heldGroup(h)
		c.add(group, f)
		if group == "acute" {
			c.add("acute:"+h.Example.Kind, f)
		}
		if h.Long {
			c.add(group+"/long", f)
		}
		if len(tokenize(h.Example.Text)) <= 4 {
			c.add(group+"/short", f)
		}
	}
	for _, th := range []float64{0.15, 0.2, 0.22, 0.25, 0.3, 0.33, 0.36, 0.38, 0.41, 0.45} {
		fmt.Printf("threshold %.2f: %s\n", th, tallyHeld(held, func(_ int, h Held) bool { return h.Fired(th) }))
	}
	cause := map[string]int{}
	for _, h := range held {
		if !h.Long || h.Example.Tier == knowledge.TierAcute || !h.Fired(Threshold) {
			continue
		}
		switch {
		case h.Firm:
			cause["firm rule"]++
		case h.Rule && h.Score >= RuleFloor:
			cause["overrule rule"]++
		default:
			cause["classifier"]++
		}
	}
	fmt.Println("long harmless/support fired by", cause)
	hardCause := map[string]int{}
	var ruleScores []float64
	for _, h := range held {
		if heldGroup(h) != "hard" || !h.Fired(Threshold) {
			continue
		}
		switch {
		case h.Firm:
			hardCause["firm rule"]++
		case h.Rule && h.Score >= floorFor(CuedRuleFloor, h.Cued, h.Long, h.Weak):
			hardCause["overrule rule"]++
			ruleScores = append(ruleScores, h.Score)
		default:
			hardCause["classifier "+h.Likely]++
		}
	}
	slices.Sort(ruleScores)
	fmt.Println("hard harmless fired by", hardCause)
	if n := len(ruleScores); n > 0 {
		fmt.Printf("overrule-rule alarms' scores: q10 %.3f q25 %.3f median %.3f\n", ruleScores[n/10], ruleScores[n/4], ruleScores[n/2])
	}
	var acuteRuleOnly []float64
	for _, h := range held {
		if h.Example.Tier == knowledge.TierAcute && !h.Firm && h.Rule && h.Score < ThresholdFor(0, h.Likely) && h.Fired(Threshold) && !h.Long {
			acuteRuleOnly = append(acuteRuleOnly, h.Score)
		}
	}
	slices.Sort(acuteRuleOnly)
	if n := len(acuteRuleOnly); n > 0 {
		fmt.Printf("acute found only by an overrule rule: %d; scores q05 %.3f q10 %.3f q25 %.3f\n", n, acuteRuleOnly[n/20], acuteRuleOnly[n/10], acuteRuleOnly[n/4])
		for _, f := range []float64{0.02, 0.035, 0.05, 0.08, 0.1} {
			k := 0
			for _, v := range acuteRuleOnly {
				if v < f {
					k++
				}
			}
			fmt.Printf("  under %.3f: %d\n", f, k)
		}
	}
	var long []Held
	for _, h := range held {
		if h.Long {
			long = append(long, h)
		}
	}
	for _, lt := range []float64{0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01} {
		fmt.Printf("long threshold %.2f: long %s\n", lt, tallyHeld(long, func(_ int, h Held) bool { return h.firedAt(Threshold, lt) }))
	}
	for _, lf := range []float64{0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3} {
		fmt.Printf("long rule floor %.2f: long %s\n", lf, tallyHeld(long, func(_ int, h Held) bool {
			if !h.Firm && h.Rule && h.Score < lf {
				h.Rule = false
			}
			return h.Fired(Threshold)
		}))
	}
	for _, k := range slices.Sorted(maps.Keys(c)) {
		fmt.Printf("%-20s %5d of %5d  %.4f\n", k, c[k][1], c[k][0], float64(c[k][1])/float64(c[k][0]))
	}
	if f := os.Getenv("CRISIS_FILE2"); f != "" {
		d := New(base.Crisis, OptionsFor(base))
		for _, name := range strings.Fields(f) {
			exs, err := knowledge.LoadCrisisExamples(os.DirFS("/"), name[1:])
			if err != nil {
				t.Fatal(err)
			}
			n, fired := 0, 0
			for _, e := range exs {
				if e.Tier == knowledge.TierNone {
					n++
					if d.Detect(e.Text).Acute() {
						fired++
					}
				}
			}
			fmt.Printf("%s: %d of %d harmless fired\n", name, fired, n)
		}
	}
}

// TestDevRuleFloors simulates a floor per rule from the rule's precision on the examples: a
// rule whose matches are mostly harmless needs a higher classifier score (CRISIS_RF set).
func TestDevRuleFloors(t *testing.T) {
	if os.Getenv("CRISIS_RF") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	d := New(base.Crisis, Options{NoModel: true})
	fired := make([][]int, len(held))
	fold := make([]int, len(held))
	// acuteF[f][r], allF[f][r]: matches of rule r on the examples outside fold f.
	acuteF := make([][]int, 5)
	allF := make([][]int, 5)
	for f := range 5 {
		acuteF[f] = make([]int, len(d.rules))
		allF[f] = make([]int, len(d.rules))
	}
	acuteN := make([]int, len(d.rules))
	allN := make([]int, len(d.rules))
	for i, h := range held {
		fired[i] = matchedRules(d, h.Example.Text)
		fold[i] = foldOf(h.Example.Text, 5)
		for _, r := range fired[i] {
			allN[r]++
			if h.Example.Tier == knowledge.TierAcute {
				acuteN[r]++
			}
			for f := range 5 {
				if f != fold[i] {
					allF[f][r]++
					if h.Example.Tier == knowledge.TierAcute {
						acuteF[f][r]++
					}
				}
			}
		}
	}
	type rp struct {
		r, a, n int
	}
	var rps []rp
	for r := range d.rules {
		if allN[r]-acuteN[r] >= 10 {
			rps = append(rps, rp{r, acuteN[r], allN[r]})
		}
	}
	slices.SortFunc(rps, func(x, y rp) int { return (y.n - y.a) - (x.n - x.a) })
	for _, x := range rps[:min(25, len(rps))] {
		fmt.Printf("rule %d (%s): %d acute of %d matched, %d harmless: %v\n", x.r, d.rules[x.r].kind, x.a, x.n, x.n-x.a, base.Crisis.Rules[x.r].All)
	}
	for _, cut := range []float64{0, 0.95, 0.97} {
		for _, high := range []float64{0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2} {
			counts := tallyHeld(held, func(i int, h Held) bool {
				f := h.Fired(Threshold)
				if f && !h.Firm && h.Rule && h.Score < ThresholdFor(0, h.Likely) && !h.Long {
					// only rules made it fire: does any of them pass its own floor?
					f = false
					for _, r := range fired[i] {
						fl := floorFor(CuedRuleFloor, h.Cued, h.Long, false)
						if n := allF[fold[i]][r]; n > 0 && float64(acuteF[fold[i]][r])/float64(n) < cut {
							fl = max(fl, high)
						}
						f = f || h.Score >= fl
					}
				}
				return f
			})
			fmt.Printf("precision under %.2f → floor %.2f: %s\n", cut, high, counts)
			if os.Getenv("CRISIS_RF") == "v" && cut == 0.95 && high == 0.15 {
				for i, h := range held {
					if h.Example.Tier != knowledge.TierAcute || !h.Fired(Threshold) || h.Firm || !h.Rule || h.Score >= ThresholdFor(0, h.Likely) || h.Long {
						continue
					}
					f := false
					for _, r := range fired[i] {
						fl := floorFor(CuedRuleFloor, h.Cued, h.Long, false)
						if n := allF[fold[i]][r]; n > 0 && float64(acuteF[fold[i]][r])/float64(n) < cut {
							fl = max(fl, high)
						}
						f = f || h.Score >= fl
					}
					if !f {
						fmt.Printf("  lost %s %.3f %v %q\n", h.Example.Kind, h.Score, fired[i], h.Example.Text)
					}
				}
			}
			if cut == 0 {
				break
			}
		}
	}
}

// tally counts examples and the ones the card showed for, per key: [0] all, [1] fired.
type tally map[string][2]int

func (t tally) add(key string, fired bool) {
	c := t[key]
	c[0]++
	if fired {
		c[1]++
	}
	t[key] = c
}

// tallyHeld counts, per group (heldGroup), the held-out examples fired says the card shows for,
// and prints acute, hard and ordinary ones.
func tallyHeld(held []Held, fired func(i int, h Held) bool) string {
	t := tally{}
	for i, h := range held {
		t.add(heldGroup(h), fired(i, h))
	}
	return fmt.Sprintf("acute %d of %d, hard %d of %d, ordinary %d of %d",
		t["acute"][1], t["acute"][0], t["hard"][1], t["hard"][0], t["ordinary"][1], t["ordinary"][0])
}

// TestDevLongGrid measures, on the five-fold cross-validation, the card on messages longer than
// one Window for a grid of LongThreshold (the classifier alone) and LongRuleFloor (a rule marked
// overrule) values (CRISIS_LONGGRID set): acute found, and false alarms on hard harmless and on
// ordinary ones (countFired). Firm rules fire whatever the values.
func TestDevLongGrid(t *testing.T) {
	if os.Getenv("CRISIS_LONGGRID") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	for _, lt := range []float64{0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9} {
		for _, lf := range []float64{0.20, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6} {
			c := countFired(held, func(h Held) bool { return h.Long }, func(h Held) bool {
				floor := max(floorFor(CuedRuleFloor, h.Cued, false, h.Weak), lf)
				return h.Firm || h.Rule && h.RuleScore >= floor || h.Score >= lt
			})
			fmt.Printf("long threshold %.2f floor %.2f: found %d/%d, false alarms hard %d/%d, ordinary %d/%d\n", lt, lf, c.found, c.acute, c.fah, c.hard, c.fao, c.ord)
		}
	}
}

// TestDevWholeGrid measures, on the five-fold cross-validation, a second gate for messages
// longer than one Window: the card shows (firm rules aside) only when the classifier's score on
// the whole message (Held.Whole) is at least a gate value (CRISIS_WHOLEGRID set).
func TestDevWholeGrid(t *testing.T) {
	if os.Getenv("CRISIS_WHOLEGRID") == "" {
		t.Skip()
	}
	base := devBase(t)
	held := CrossValidate(base.Crisis, OptionsFor(base), 5)
	long := func(h Held) bool { return h.Long }
	if path := os.Getenv("CRISIS_WHOLEDUMP"); path != "" {
		var b strings.Builder
		for _, h := range held {
			if h.Long {
				fmt.Fprintf(&b, "%s\t%s\t%v\t%v\t%v\t%v\t%.5f\t%.5f\t%.5f\t%s\n", h.Example.Tier, h.Example.Kind, h.Firm, h.Rule, h.Weak, h.Cued,
					h.Score, h.RuleScore, h.Whole, strings.ReplaceAll(h.Example.Text, "\t", " "))
			}
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range []float64{0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2} {
		for _, gr := range []bool{false, true} {
			c := countFired(held, long, func(h Held) bool {
				if h.Firm {
					return true
				}
				rule := h.Rule && h.RuleScore >= floorFor(CuedRuleFloor, h.Cued, true, h.Weak)
				if gr {
					rule = rule && h.Whole >= g
				}
				return rule || h.Score >= LongThreshold && h.Whole >= g
			})
			fmt.Printf("gate %.3f rules too %v: found %d/%d, false alarms hard %d/%d, ordinary %d/%d\n", g, gr, c.found, c.acute, c.fah, c.hard, c.fao, c.ord)
		}
	}
	// The whole message read as a signal of its own (WholeThreshold), beside today's detector.
	withoutWhole := func(h Held) bool {
		h.Whole = min(h.Whole, math.Nextafter(WholeThreshold, 0))
		return h.Fired(Threshold)
	}
	c := countFired(held, long, withoutWhole)
	fmt.Printf("no whole threshold: found %d/%d, false alarms hard %d/%d, ordinary %d/%d\n", c.found, c.acute, c.fah, c.hard, c.fao, c.ord)
	for _, w := range []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
		c := countFired(held, long, func(h Held) bool { return withoutWhole(h) || h.WholeRead && h.Whole >= w })
		fmt.Printf("whole threshold %.1f: found %d/%d, false alarms hard %d/%d, ordinary %d/%d\n", w, c.found, c.acute, c.fah, c.hard, c.fao, c.ord)
	}
	// The acute long examples with the lowest whole scores.
	var low []Held
	for _, h := range held {
		if h.Long && h.Example.Tier == "acute" && (h.Firm || h.Rule || h.Score >= LongThreshold) {
			low = append(low, h)
		}
	}
	slices.SortFunc(low, func(a, b Held) int { return cmp.Compare(a.Whole, b.Whole) })
	for _, h := range low[:min(25, len(low))] {
		fmt.Printf("%.4f firm=%v rule=%v score=%.3f %s: %.150s\n", h.Whole, h.Firm, h.Rule, h.Score, h.Example.Kind, h.Example.Text)
	}
}

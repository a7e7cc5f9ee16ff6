package crisis

import (
	"fmt"
	"hash/fnv"
	"io"
	"runtime"
	"strings"

	"github.com/vejviser/vejviser/knowledge"
)

// Held is an example scored by a detector that did not learn from it.
type Held struct {
	Example knowledge.CrisisExample
	// Rule reports whether a rule fired, Firm whether one the classifier may not overrule did;
	// Score is the classifier's probability of acute.
	Rule, Firm bool
	Score      float64
	// RuleScore is the classifier's score on the rules' own context (Result.RuleScore).
	RuleScore float64
	// Whole is the classifier's score on the whole of a long message (Result.Whole).
	Whole float64
	// WholeRead reports whether it is also at most WholeWords long (WholeFloor applies).
	WholeRead bool
	// Long reports whether the message is longer than one Window (LongThreshold applies);
	// Likely is the classifier's most likely acute kind (EuphemismThreshold applies to it).
	Long   bool
	Likely string
	// Cued reports that the message holds a cue of a harmless reading (CuedRuleFloor applies);
	// Weak that every rule that fired is weak (WeakRuleFloor applies).
	Cued, Weak bool
}

// Fired reports whether the card shows with classifier threshold t for a message of one
// window; a longer message needs at least LongThreshold, a likely euphemism at most
// EuphemismThreshold, and a rule marked overrule counts only from its floor (see floorFor:
// RuleFloor, higher for a cued or long message or when only weak rules fired); a longer message
// of at most WholeWords words whose whole scores under WholeFloor shows it only for a rule the
// classifier may not overrule, and one whose whole scores at least WholeThreshold shows it
// whatever its windows and rules.
func (h Held) Fired(t float64) bool { return h.firedAt(t, max(t, LongThreshold)) }

// firedAt is Fired with its own threshold for messages longer than one window (for measuring
// other long thresholds).
func (h Held) firedAt(t, long float64) bool { return h.firedWith(t, long, CuedRuleFloor) }

// firedWith is firedAt with its own floor for rules marked overrule in cued messages (for
// measuring other floors).
func (h Held) firedWith(t, long, cuedFloor float64) bool {
	switch {
	case h.Long:
		t = long
	case h.Likely == "euphemism":
		t = min(t, EuphemismThreshold)
	}
	if h.WholeRead && h.Whole < WholeFloor && !h.Firm {
		return false
	}
	return h.Firm || h.Rule && h.RuleScore >= floorFor(cuedFloor, h.Cued, h.Long, h.Weak) || h.Score >= t ||
		h.WholeRead && h.Whole >= WholeThreshold
}

// CrossValidate scores every example of c with a detector trained on the other folds (k folds,
// by a hash of the text, so the split is the same in every run, an example keeps its fold when
// others are added, and copies of one text never sit on both sides). Ordinary questions are
// split the same way and scored as harmless examples of kind "ordinary".
func CrossValidate(c knowledge.Crisis, opts Options, k int) []Held {
	folds := make([]int, k)
	for f := range folds {
		folds[f] = f
	}
	return crossValidateFolds(c, opts, k, folds)
}

// crossValidateFolds is CrossValidate for only the given folds of k: it trains one detector per
// fold named and returns the examples of those folds, scored by it, in the examples' order. With
// every fold named it is CrossValidate.
func crossValidateFolds(c knowledge.Crisis, opts Options, k int, folds []int) []Held {
	all := append([]knowledge.CrisisExample(nil), c.LabelledExamples()...)
	for _, q := range opts.Ordinary {
		all = append(all, knowledge.CrisisExample{Text: q, Tier: knowledge.TierNone, Kind: "ordinary", File: EntriesFile})
	}
	out := make([]Held, len(all))
	scored := make([]bool, len(all))
	// The folds are independent, so they train side by side; each writes only its own
	// examples' places in out, so the result is the same as one after the other.
	sideBySide(len(folds), func(j int) {
		f := folds[j]
		var train []knowledge.CrisisExample
		var mine []int // the held-out examples' places in all
		for i, e := range all {
			if foldOf(foldKey(e), k) == f {
				mine = append(mine, i)
			} else {
				train = append(train, e)
			}
		}
		cf := c
		cf.Examples = train // another slice: the detector is keyed by these examples, not the files
		d := New(cf, Options{Known: opts.Known, NoModel: opts.NoModel, training: opts.training})
		// With fewer folds than CPUs, a fold's examples are read side by side too: reading
		// them one after the other was 38 s of a one-fold run's 94 s (2026-12-05, 2 CPUs).
		shares := max(1, runtime.GOMAXPROCS(0)/len(folds))
		sideBySide(shares, func(w int) {
			for n := w; n < len(mine); n += shares {
				i, e := mine[n], all[mine[n]]
				r := d.Detect(e.Text)
				words := len(tokenize(e.Text))
				out[i] = Held{Example: e, Rule: r.Rule, Firm: r.Firm, Weak: r.Weak, Score: r.Score, RuleScore: r.RuleScore, Whole: r.Whole,
					WholeRead: words > Window && words <= WholeWords, Long: words > Window, Likely: r.Likely, Cued: r.Cued}
				scored[i] = true
			}
		})
	})
	kept := out[:0]
	for i, h := range out {
		if scored[i] {
			kept = append(kept, h)
		}
	}
	return kept
}

// expFoldByFile makes CrossValidate hold out whole blind sets (the files named blind…) at a
// time, as a blind first run does, rather than examples drawn at random from all files. It is a
// variable only so that the experiments in the tests can set it.
var expFoldByFile = false

// foldKey is what decides an example's fold: its text, or its file (expFoldByFile).
func foldKey(e knowledge.CrisisExample) string {
	if expFoldByFile && strings.Contains(e.File, "blind") {
		return e.File
	}
	return e.Text
}

// foldOf returns the cross-validation fold of a text: FNV-1a of the text, modulo k.
func foldOf(text string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(text))
	return int(h.Sum32() % uint32(k))
}

// EntriesFile is the File of the ordinary questions CrossValidate adds from Options.Ordinary.
const EntriesFile = "entries (example questions)"

// heldGroup names the group a held-out example counts in: "acute", "support", "ordinary"
// (kind "ordinary" and the entries' example questions) or "hard" (the other harmless ones:
// idioms, talk about the subject, questions about the services).
func heldGroup(h Held) string {
	switch {
	case h.Example.Tier == knowledge.TierAcute:
		return "acute"
	case h.Example.Tier == knowledge.TierSupport:
		return "support"
	case h.Example.File == EntriesFile || h.Example.Kind == "ordinary":
		return "ordinary"
	}
	return "hard"
}

// WriteCurve prints, for thresholds from 0.05 to 0.95, the recall over acute examples and the
// false-alarm rates over hard harmless examples (idioms, talk about the subject, questions about
// the services) and over ordinary questions (kind "ordinary" and the entries' example
// questions), for the rules and classifier together and for the classifier alone.
func WriteCurve(w io.Writer, held []Held) {
	var acute, hard, ordinary []Held
	for _, h := range held {
		switch heldGroup(h) {
		case "acute":
			acute = append(acute, h)
		case "ordinary":
			ordinary = append(ordinary, h)
		case "hard":
			hard = append(hard, h)
		}
	}
	rate := func(hs []Held, t float64, rules bool) float64 {
		if len(hs) == 0 {
			return 0
		}
		n := 0
		for _, h := range hs {
			if rules && h.Fired(t) || !rules && h.Score >= t {
				n++
			}
		}
		return float64(n) / float64(len(hs))
	}
	fmt.Fprintf(w, "%d acute, %d hard harmless (idioms, talk about the subject, questions about the services), %d ordinary questions\n",
		len(acute), len(hard), len(ordinary))
	fmt.Fprintf(w, "rules alone: recall %.3f, false alarms %.3f hard, %.3f ordinary\n",
		rate(acute, 2, true), rate(hard, 2, true), rate(ordinary, 2, true))
	fmt.Fprintf(w, "(a message longer than %d words needs at least %.2f from the classifier in the left columns)\n", Window, LongThreshold)
	fmt.Fprintf(w, "%-9s  %-31s  %-31s\n", "", "rules + classifier", "classifier alone")
	fmt.Fprintf(w, "%-9s  %-9s %-10s %-10s  %-9s %-10s %-10s\n", "threshold", "recall", "FA hard", "FA ordin.", "recall", "FA hard", "FA ordin.")
	for i := 1; i <= 19; i++ {
		t := float64(i) / 20
		fmt.Fprintf(w, "%-9.2f  %-9.3f %-10.3f %-10.3f  %-9.3f %-10.3f %-10.3f\n", t,
			rate(acute, t, true), rate(hard, t, true), rate(ordinary, t, true),
			rate(acute, t, false), rate(hard, t, false), rate(ordinary, t, false))
	}
}

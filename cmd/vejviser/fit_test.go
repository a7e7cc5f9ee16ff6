package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/bot"
)

// TestFitAndCurve runs `eval --fit-confidence` and `eval --curve` on the editors' questions:
// the fit prints a model with one weight per feature, said to be fitted with the file left
// out of the learned model, and the curve prints its header and thresholds.
func TestFitAndCurve(t *testing.T) {
	qs, _ := filepath.Abs("../../knowledge/questions.toml")
	stdout, _, err := runCmd(t, "", "eval", "--fit-confidence", qs)
	if err != nil {
		t.Fatalf("eval --fit-confidence: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "each file left out of the learned model") {
		t.Errorf("the fit does not say how its features were read:\n%s", stdout)
	}
	m := regexp.MustCompile(`W: \[\]float64\{([^}]*)\}`).FindStringSubmatch(stdout)
	if m == nil || len(strings.Split(m[1], ",")) != len(bot.FeatureNames) {
		t.Errorf("the fit printed %q; want %d weights", m, len(bot.FeatureNames))
	}
	stdout, _, err = runCmd(t, "", "eval", "--curve", qs)
	if err != nil {
		t.Fatalf("eval --curve: %v\n%s", err, stdout)
	}
	if !regexp.MustCompile(`(?m)^\d+ questions: \d+ with a right entry among the first three, \d+ off-topic$`).MatchString(stdout) ||
		!strings.Contains(stdout, "0.60 ") {
		t.Errorf("eval --curve printed:\n%s", stdout)
	}
}

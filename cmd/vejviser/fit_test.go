package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// TestLeftOut checks that the base the confidence tools read a file with has none of that
// file's questions among the asked and evaluation questions, keeps every other one, and leaves
// the served base as it was.
func TestLeftOut(t *testing.T) {
	base := &knowledge.Base{
		Asked:     []knowledge.Question{{Text: "Hvad er FGU?", Want: []string{"fgu"}}, {Text: "hvad koster et pas", Offtopic: true}},
		Questions: []knowledge.Question{{Text: "hvad er fgu", Want: []string{"fgu"}}, {Text: "kan jeg få su", Want: []string{"su"}}},
	}
	file := []knowledge.Question{{Text: "hvad er FGU"}} // the same question, as QuestionKey compares them
	got := leftOut(base, file)
	texts := func(qs []knowledge.Question) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.Text)
		}
		return out
	}
	if g, w := texts(got.Asked), []string{"hvad koster et pas"}; !slices.Equal(g, w) {
		t.Errorf("Asked = %q, want %q", g, w)
	}
	if g, w := texts(got.Questions), []string{"kan jeg få su"}; !slices.Equal(g, w) {
		t.Errorf("Questions = %q, want %q", g, w)
	}
	if len(base.Asked) != 2 || len(base.Questions) != 2 {
		t.Errorf("leftOut changed the base it was given: %d asked, %d questions", len(base.Asked), len(base.Questions))
	}
}

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

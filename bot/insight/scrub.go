package insight

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Scrub replaces what could identify a person in a question with a placeholder: e-mail
// addresses, links, Discord mentions (<@…>, <#…>, <@&…>, @name), CPR numbers and phone numbers
// (any run of eight or more digits, with or without spaces, dashes or a +45). What is left is
// the question's wording, which is all the editors need.
func Scrub(text string) string {
	for _, r := range scrubbers {
		text = r.re.ReplaceAllString(text, r.with)
	}
	return strings.Join(strings.Fields(text), " ")
}

var scrubbers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}`), "[e-mail]"},
	{regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`), "[link]"},
	{regexp.MustCompile(`<(?:@[!&]?|#)\d+>`), "[omtale]"},
	{regexp.MustCompile(`(?:^|\s)@[\p{L}\p{N}_.]{2,32}`), " [omtale]"},
	// CPR: ddmmyy-xxxx or ddmmyyxxxx.
	{regexp.MustCompile(`\b\d{6}[- ]?\d{4}\b`), "[nummer]"},
	// Phone numbers and other long numbers: 8+ digits, optionally grouped and prefixed.
	{regexp.MustCompile(`(?:\+|00)?\d(?:[ \-.]?\d){7,}`), "[nummer]"},
}

// groupThreshold is the share of shared content words (Dice coefficient) every pair in a group
// must reach. Measured by grouping the 322 labelled questions of knowledge/questions.toml,
// ../shared/eval/real-questions.toml and the first blind set and counting how many pairs in
// a group share their best entry: 0.3 → 55 % (179 questions grouped), 0.4 → 74 % (142),
// 0.5 → 83 % (103), 0.6 → 87 % (51). 0.5 groups a third of the questions and rarely mixes
// topics.
const groupThreshold = 0.5

// group puts questions with similar wording together, the largest groups first and, within a
// group, the newest first. A question joins the group whose every member shares at least
// groupThreshold of its content words (complete linkage), so one shared word cannot chain
// unrelated questions together.
func group(qs []Question) []Group {
	sort.Slice(qs, func(i, j int) bool { return qs[i].Stored.After(qs[j].Stored) })
	type cluster struct {
		qs    []Question
		words []map[string]bool
	}
	var cs []*cluster
	for _, q := range qs {
		w := contentWords(q.Text)
		var best *cluster
		bestScore := 0.0
		for _, c := range cs {
			low := 1.0
			for _, cw := range c.words {
				low = min(low, dice(w, cw))
			}
			if low >= groupThreshold && low > bestScore {
				best, bestScore = c, low
			}
		}
		if best == nil {
			best = &cluster{}
			cs = append(cs, best)
		}
		best.qs = append(best.qs, q)
		best.words = append(best.words, w)
	}
	groups := make([]Group, len(cs))
	for i, c := range cs {
		groups[i] = Group{Questions: c.qs}
	}
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].Questions) > len(groups[j].Questions) })
	return groups
}

// stopWords are the function words of Danish and English questions that say nothing about
// what is asked.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`jeg du han hun vi de den det en et er at og i på til af for med om
	kan man min mit mine har have hvad hvordan hvor hvis når som ikke der så få må skal vil gerne
	noget nogen mig dig sig også men eller fra ved være blive bliver the a an is are to of and in on
	for with can i my me you do does how what where when if it be get have not`) {
		stopWords[w] = true
	}
}

func contentWords(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) < 2 || stopWords[w] {
			continue
		}
		set[w] = true
	}
	return set
}

func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

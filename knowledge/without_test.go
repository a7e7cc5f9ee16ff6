package knowledge

import (
	"slices"
	"testing"
)

// TestBaseWithout checks that the base the confidence tools read a file with has none of that
// file's questions among the asked and evaluation questions, keeps every other one, and leaves
// the served base as it was.
func TestBaseWithout(t *testing.T) {
	base := &Base{
		Asked:     []Question{{Text: "Hvad er FGU?", Want: []string{"fgu"}}, {Text: "hvad koster et pas", Offtopic: true}},
		Questions: []Question{{Text: "hvad er fgu", Want: []string{"fgu"}}, {Text: "kan jeg få su", Want: []string{"su"}}},
	}
	file := []Question{{Text: "hvad er FGU"}} // the same question, as QuestionKey compares them
	got := base.Without(file)
	texts := func(qs []Question) []string {
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
		t.Errorf("Without changed the base it was given: %d asked, %d questions", len(base.Asked), len(base.Questions))
	}
}

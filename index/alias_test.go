package index

import (
	"slices"
	"testing"

	"github.com/vejviser/vejviser/knowledge"
)

// TestAliasForms checks which written forms of an offer's name name it: endings and a letter
// before a long name do, a short name inside an ordinary word does not.
func TestAliasForms(t *testing.T) {
	m := newAliasMatcher(&knowledge.Base{Entries: []*knowledge.Entry{
		{ID: "fgu", Aliases: []string{"FGU"}},
		{ID: "su", Aliases: []string{"SU"}},
		{ID: "headspace", Aliases: []string{"headspace"}},
		{ID: "hf-enkeltfag", Aliases: []string{"HF enkeltfag"}},
		{ID: "hoejskole", Aliases: []string{"højskole"}},
	}})
	tests := []struct {
		q    string
		want []string
	}{
		{"hvad er FGU", []string{"fgu"}},
		{"hvad er FGU'en", []string{"fgu"}},
		{"hvad er FGUen", []string{"fgu"}},
		{"FGUerne i midtjylland", []string{"fgu"}},
		{"hvornår kommer SUen", []string{"su"}},
		{"headspaces rådgivere", []string{"headspace"}},
		{"how do i contact eheadspace", []string{"headspace"}},
		{"headspce", []string{"headspace"}},
		{"hf enkeltfag", []string{"hf-enkeltfag"}},
		{"højskolerne har vinterkurser", []string{"hoejskole"}}, // the endings after an e
		{"hvad koster højskolen", []string{"hoejskole"}},
		{"fgur", nil},         // "r" is an ending only after an e
		{"i sus og dus", nil}, // "sus" is a word, not the SU's genitive
		{"suppe", nil},        // a name inside a word
		{"fgux", nil},         // not an ending
		{"xyheadspace", nil},  // two letters before
	}
	for _, tt := range tests {
		if got := m.find(tt.q, nil); !slices.Equal(got, tt.want) {
			t.Errorf("find(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	for _, tt := range []struct{ w, want string }{{"fguen", "fgu"}, {"eheadspace", "headspace"}, {"fgu", ""}, {"stue", ""}} {
		if got := m.bare(tt.w); got != tt.want {
			t.Errorf("bare(%q) = %q, want %q", tt.w, got, tt.want)
		}
	}
}

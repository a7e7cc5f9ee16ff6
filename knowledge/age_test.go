package knowledge

import (
	"slices"
	"testing"
)

func TestAges(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"jeg er 23 og mangler en uddannelse", []int{23}},
		{"Jeg er en mand på 38 år med gigt i knæene", []int{38}},
		{"Jeg er 57årige og ordblind", []int{57}},
		{"min søn er 19-årig", []int{19}},
		{"I'm a 33-year-old bus driver", []int{33}},
		{"I am 42 years old and tired", []int{42}},
		{"60 years old, out of work since spring", []int{60}},
		{"I'm 32 female, two kids", []int{32}},
		{"my mom is turning 70", []int{70}},
		{"I will be 41 in the spring and have no degree", []int{41}},
		{"my uncle turns 36 next week", []int{36}},
		{"the wait will be 20 minutes", nil},
		{"jeg er 20 minutter forsinket", nil},
		{"I'm 90% certain of it", nil},
		{"det er 30 år siden", nil},
		{"et hold på 30 elever", nil},
		{"vi har haft huset i 15 år", nil},
		{"hvad koster 10 klip", nil},
		{"Tilbud til dig under 30 år", nil},
		{"min søn på 19 år og jeg på 45 år", []int{19, 45}},
		{"jeg er 47 og min niece på 23 sover til middag", []int{47, 23}},
		{"my cousin (24) never leaves his room", []int{24}},
		{"I'm in my early 30s and rent a flat", []int{30}},
		{"my friend 50 bucks", nil},
		{"a 18.25-year-old loan", nil},
		{"I'm 52 and my husband is 50. Our nephew is 23", []int{52, 50, 23}},
		{"han spiller med drengene på 11-mandsholdet", nil},
	}
	for _, tt := range tests {
		if got := Ages(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Ages(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestOnlyAdults(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"I am 38 years old and new in town", true},
		{"min søn på 19 år og jeg på 45 år", false}, // a parent writing about a young person
		{"jeg er 23 og ledig", false},
		{"hvad er fgu", false}, // no age at all
		{"jeg er 31, hvem kan vejlede mig", true},
		{"jeg er 47 og min niece på 23 sover til middag", false},
	}
	for _, tt := range tests {
		if got := OnlyAdults(tt.text); got != tt.want {
			t.Errorf("OnlyAdults(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// FuzzAges checks that any text is read without a panic and gives only two-digit ages.
func FuzzAges(f *testing.F) {
	for _, s := range []string{"jeg er 23", "I'm 90% sure", "57årige", "på 38 år siden", "İ'm 33-year-old", "99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, a := range Ages(text) {
			if a < 10 || a > 99 {
				t.Fatalf("Ages(%q) gave %d", text, a)
			}
		}
	})
}

package index

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// loadBase returns the embedded knowledge base, loaded once for the package's tests, which only
// read it: loading it for each test (its 190,000 crisis examples, which the index never reads,
// most of the work) made the package take 138 s under the race detector instead of 78 s
// (2026-12-05).
func loadBase(t testing.TB) *knowledge.Base {
	t.Helper()
	base, err := embeddedBase()
	if err != nil {
		t.Fatalf("load embedded knowledge: %v", err)
	}
	return base
}

var embeddedBase = sync.OnceValues(func() (*knowledge.Base, error) {
	return knowledge.Load(knowledge.Embedded(), time.Now())
})

// embeddedIndex returns the embedded base's index, built once for the package's tests that only
// search it: building it took about 2.5 s a time under the race detector (2026-12-05). A test
// that changes an index's fields or closes it builds its own (build).
func embeddedIndex(t testing.TB) *Index {
	t.Helper()
	ix, err := sharedEmbeddedIndex()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return ix
}

var sharedEmbeddedIndex = sync.OnceValues(func() (*Index, error) {
	base, err := embeddedBase()
	if err != nil {
		return nil, err
	}
	return Build(context.Background(), base, Options{})
})

func build(t testing.TB, base *knowledge.Base) *Index {
	t.Helper()
	ix, err := Build(context.Background(), base, Options{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestRanking checks that the entry a question is about ranks in the top 3 (and first, where
// marked) for Danish, English, typos, split and joined compounds, abbreviations and slang.
func TestRanking(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct {
		q, lang, want string
		first         bool
	}{
		{"hvad er fgu", "da", "fgu", true},
		{"forberedende grunduddannelse", "da", "fgu", true},
		{"handicaptillæg su", "da", "su-handicaptillaeg", true},
		{"handicap tillæg til su", "da", "su-handicaptillaeg", true},
		{"hf enkeltfag", "da", "hf-enkeltfag", false},
		{"hf enkelt fag", "da", "hf-enkeltfag", false},
		{"enkelfag på hf", "da", "hf-enkeltfag", false},
		{"headspce", "da", "headspace", true},
		{"erhversmentor", "da", "frivillige-erhvervsmentorer", true},
		{"frivillig erhvervs mentor", "da", "frivillige-erhvervsmentorer", true},
		{"ordblinde undervisning", "da", "ordblindhed", true},
		{"ordblind", "da", "ordblindhed", true},
		{"UU vejleder", "da", "kui", false},
		{"skal jeg gå på gym", "da", "ungdomsuddannelser", false},
		{"hvor meget er skoleydelsen", "da", "fgu-skoleydelse", true},
		{"kollegievaerelse i aarhus", "da", "ungdomsbolig", true},        // æ typed as ae
		{"handicaptillaeg til min su", "da", "su-handicaptillaeg", true}, // a compound with ae
		{"skoleydlse", "da", "fgu-skoleydelse", true},
		{"jeg har ingen venner", "da", "ensomhed", false},
		{"hash og druk", "da", "misbrug", true},
		{"single subject HF", "en", "hf-enkeltfag", false},
		{"free counselling for young people", "en", "headspace", false},
		{"dyslexia support", "en", "ordblindhed", false},
		{"special educational support", "en", "sps", true},
		{"hvad er FGUen", "da", "fgu", true},           // a Danish ending on an abbreviation
		{"hvad laver man på STUen", "da", "stu", true}, // the same, on a name that stems
		{"how do i contact eheadspace", "en", "headspace", true},
	}
	for _, tt := range tests {
		hits, err := ix.Search(context.Background(), tt.q, tt.lang, 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		ids := hitIDs(hits)
		rank := -1
		for i, id := range ids {
			if id == tt.want {
				rank = i
				break
			}
		}
		switch {
		case rank < 0:
			t.Errorf("Search(%q) = %v; want %q in the top 3", tt.q, ids, tt.want)
		case tt.first && rank != 0:
			t.Errorf("Search(%q) = %v; want %q first", tt.q, ids, tt.want)
		case hits[rank].Coverage < 0.5:
			t.Errorf("Search(%q): %q covers %.2f of the question; want ≥ 0.5", tt.q, tt.want, hits[rank].Coverage)
		}
	}
}

// TestCompoundsAndNumberedNames checks two ways an unknown word still reaches its entry: a
// compound that splits in more than one place, where the entry names only one of the parts
// whole ("voksenelev|løn", "voksen|elevløn": eud names "elevløn"), and a name with a number
// attached ("EUV2-lærling", "hf2"), and a Danish compound that only an entry's English text
// holds ("beboerindskudslån" in ungdomsbolig's deposit-loan paragraph), read through its
// Danish parts, which a Danish question's search reads.
func TestCompoundsAndNumberedNames(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct{ q, want string }{
		{"hvad er voksenelevløn", "eud"},
		{"hvad betyder euv2", "eud"},
		{"hf2", "hf-2-aarig"},
		{"hvad er et beboerindskudslån", "ungdomsbolig"},
	}
	for _, tt := range tests {
		hits, err := ix.Search(context.Background(), tt.q, "da", 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.ID)
		}
		if !slices.Contains(got, tt.want) {
			t.Errorf("Search(%q) = %v; want %q in the top 3", tt.q, got, tt.want)
		}
	}
}

// TestJoinedCompounds checks that two written words are read as the compound they make
// ("enkelt fag", "uddannelses hjælp") unless one of them is a function word: "efter skolen" is
// after school, not an efterskole.
func TestJoinedCompounds(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct {
		q, joined string
		want      bool
	}{
		{"hf enkelt fag", "enkeltfag", true},
		{"er uddannelses hjælp stoppet", "uddannelseshjælp", true},
		{"hvad kan han lave efter skolen", "efterskolen", false},
	}
	for _, tt := range tests {
		got := false
		for _, g := range ix.analyze(tt.q) {
			for _, a := range g.alts {
				got = got || a.text == tt.joined
			}
		}
		if got != tt.want {
			t.Errorf("analyze(%q) reads %q: %v; want %v", tt.q, tt.joined, got, tt.want)
		}
	}
}

// TestStopContractions checks that an English contraction the analyzer reads as a stop word
// leaves no fragment among the question's words ("doesn't" is not "doesn"), with straight and
// curly apostrophes, and that other words with an apostrophe keep their parts ("FGU'en" is
// FGU).
func TestStopContractions(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"my son doesn't work and isn't in school", []string{"son", "work", "school"}},
		{"I didn’t finish high school and I'm 19", []string{"finish", "high", "school"}},
		{"we can't pay the deposit", []string{"pay", "deposit"}},
		{"hvad koster FGU'en", []string{"koster", "fgu"}},
	}
	for _, tt := range tests {
		var got []string
		for _, g := range ix.analyze(tt.q) {
			got = append(got, g.alts[0].text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("analyze(%q) = %v; want %v", tt.q, got, tt.want)
		}
	}
}

// TestOffTopicCoverage checks that questions outside the knowledge base cover little of it.
func TestOffTopicCoverage(t *testing.T) {
	ix := embeddedIndex(t)
	for _, q := range []string{"hvem vandt kampen i går", "asdf", "🙂🙂🙂", "opskrift på lasagne",
		"Who is the best footballer?", "what is the weather tomorrow", "", "   ", "hvad er 2+2"} {
		hits, err := ix.Search(context.Background(), q, "da", 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if len(hits) > 0 && hits[0].Coverage >= 0.5 {
			t.Errorf("Search(%q) top = %s with coverage %.2f; want below 0.5", q, hits[0].ID, hits[0].Coverage)
		}
	}
}

func TestHostileQueries(t *testing.T) {
	ix := embeddedIndex(t)
	for _, q := range []string{`+fgu -su ~headspace^5 title:x`, `*`, `/.*/`, `"unclosed`, `fgu AND OR NOT`,
		string(make([]byte, 100000)), "\xff\xfe\x00binary", "a b c d e f g h i j k l m n o p q r s t u v w x y z æ ø å"} {
		if _, err := ix.Search(context.Background(), q, "da", 3); err != nil {
			t.Errorf("Search(%.30q) = %v; want no error", q, err)
		}
	}
}

func TestDiskBuildOpen(t *testing.T) {
	base := loadBase(t)
	dir := filepath.Join(t.TempDir(), "gen")
	ix, err := Build(context.Background(), base, Options{Dir: dir})
	if err != nil {
		t.Fatalf("Build on disk: %v", err)
	}
	ix.Close()
	ix2, err := Open(dir, base)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer ix2.Close()
	hits, err := ix2.Search(context.Background(), "hvad er fgu", "da", 3)
	if err != nil || len(hits) == 0 || hits[0].ID != "fgu" {
		t.Errorf("reopened Search = %v, %v; want fgu first", hits, err)
	}
	other := *base
	other.Version = "something-else"
	if _, err := Open(dir, &other); err == nil {
		t.Errorf("Open with another knowledge version succeeded; want a stale-index error")
	}
	if err := os.Remove(filepath.Join(dir, metaFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, base); err == nil {
		t.Errorf("Open without %s succeeded; want an error", metaFile)
	}
}

func TestCloseWaitsAndRefuses(t *testing.T) {
	base := loadBase(t)
	ix, err := Build(context.Background(), base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := ix.Search(context.Background(), "fgu", "da", 3); err != nil && err != ErrClosed {
					t.Errorf("Search during Close: %v", err)
				}
			}
		}()
	}
	ix.Close()
	wg.Wait()
	if _, err := ix.Search(context.Background(), "fgu", "da", 3); err != ErrClosed {
		t.Errorf("Search after Close = %v; want ErrClosed", err)
	}
}

// TestPhraseSynonym checks that a synonym phrase of three or more words found in a question
// counts as a word of its own that reads as the group's other terms, so the function words it
// is made of ("tale med nogen": only "tale" is a content word) weigh what "psykolog" weighs.
func TestPhraseSynonym(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct {
		q    string
		want string // an alternative the phrase's own group must offer
	}{
		{"jeg vil gerne tale med nogen", "psykolog"},
		{"har ikke noget job", "arbejdsløs"},
		{"i am out of work", "unemployed"},
	}
	for _, tt := range tests {
		var got []string
		for _, g := range ix.analyze(tt.q) {
			if slices.ContainsFunc(g.alts, func(a alt) bool { return a.text == tt.want }) && g.idf >= ix.vocab.idf(ix.an, tt.want) {
				for _, a := range g.alts {
					got = append(got, a.text)
				}
			}
		}
		if len(got) == 0 {
			t.Errorf("analyze(%q): no group reads as %q with its weight", tt.q, tt.want)
		}
	}
}

// TestChatSpellings checks that a question typed with chat spellings ("ik", "hva", "idk")
// finds what the same question written out finds, with the same scores.
func TestChatSpellings(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct{ chat, written, lang string }{
		{"ved ik hva jeg vil med mit liv", "ved ikke hvad jeg vil med mit liv", "da"},
		{"ka man ik faa su naar man har angst", "kan man ikke faa su naar man har angst", "da"},
		{"hvordn ska jeg søge fgu", "hvordan skal jeg søge fgu", "da"},
		{"idk what to do abt my sps", "i don't know what to do about my sps", "en"},
	}
	for _, tt := range tests {
		got, err := ix.Search(context.Background(), tt.chat, tt.lang, 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.chat, err)
		}
		want, err := ix.Search(context.Background(), tt.written, tt.lang, 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.written, err)
		}
		if len(want) == 0 {
			t.Fatalf("Search(%q) found nothing; the test needs a question that finds entries", tt.written)
		}
		if len(got) != len(want) {
			t.Fatalf("Search(%q) = %d hits, Search(%q) = %d", tt.chat, len(got), tt.written, len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-9 {
				t.Errorf("Search(%q)[%d] = %s %.4f; want %s %.4f as for %q", tt.chat, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score, tt.written)
			}
		}
	}
}

// TestFieldMasks guards the uint8 masks of fields that coverage and fieldTerms use.
func TestFieldMasks(t *testing.T) {
	if got := len(fields); got > 8 {
		t.Fatalf("%d fields, masks hold 8", got)
	}
	if got, want := fieldsOf[0]|fieldsOf[1], uint8(1<<len(fields)-1); got != want {
		t.Errorf("fieldsOf cover %08b, want %08b", got, want)
	}
	if fieldsOf[0]&fieldsOf[1] != 0 {
		t.Errorf("a field is both Danish and English: %08b %08b", fieldsOf[0], fieldsOf[1])
	}
}

// TestPartOf checks that an entry telling one side of an offer (part_of) is named by the
// offer's aliases too, so the question's other words decide between the two: the price of
// HF single subjects ranks above HF single subjects when the question asks what it costs, and
// below it when the question is only the name – also when that name is a word the side's own
// text repeats ("sps??": PartOfBoost is under AliasBoost). (In English the parent still wins
// "hf enkeltfag price": its body points to the price entry in those words, so both cover the
// question.)
func TestPartOf(t *testing.T) {
	ix := embeddedIndex(t)
	tests := []struct {
		q, lang   string
		first     string
		alsoNamed string
	}{
		{"hvad koster hf enkeltfag", "da", "hf-enkeltfag-pris", "hf-enkeltfag"},
		{"hf enkeltfag", "da", "hf-enkeltfag", "hf-enkeltfag-pris"},
		{"hvor meget får man i skoleydelse på fgu", "da", "fgu-skoleydelse", "fgu"},
		{"sps??", "da", "sps", "sps-studiestart"},
	}
	for _, tt := range tests {
		hits, err := ix.Search(context.Background(), tt.q, tt.lang, 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		if len(hits) == 0 || hits[0].ID != tt.first {
			t.Errorf("Search(%q) = %v; want %q first", tt.q, hitIDs(hits), tt.first)
			continue
		}
		if !hits[0].Alias {
			t.Errorf("Search(%q): %q is not marked as named", tt.q, tt.first)
		}
		if tt.alsoNamed == "" {
			continue
		}
		i := slices.IndexFunc(hits, func(h knowledge.Hit) bool { return h.ID == tt.alsoNamed })
		if i < 0 || !hits[i].Alias {
			t.Errorf("Search(%q) = %v; want %q among the hits, marked as named", tt.q, hitIDs(hits), tt.alsoNamed)
		}
	}
}

func hitIDs(hits []knowledge.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// TestOutsideTopics checks that a question about a subject the base does not cover is marked
// with the outside topic that fits it, that outside topics are never returned as hits, and that
// questions about an entry that share words with an outside topic are not marked.
func TestOutsideTopics(t *testing.T) {
	base := loadBase(t)
	ix := build(t, base)
	tests := []struct {
		q, lang, outside string
	}{
		{"har fået nyt job, hvordan flytter jeg mit skattekort derhen", "da", "skat"},
		{"vil gerne skifte til en anden praktiserende læge", "da", "laege-tandlaege"},
		{"how long does it take to get danish citizenship", "en", "statsborgerskab-ophold"},
		{"min udlejer truer med at beholde hele depositummet", "da", "lejebolig-regler"},
		{"hvad er fgu", "da", ""},
		{"hvor meget må jeg tjene ved siden af min su", "da", ""},
		{"can i get help from the jobcentre to find a job when i have anxiety", "en", ""},
	}
	for _, tt := range tests {
		hits, err := ix.Search(context.Background(), tt.q, tt.lang, 3)
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		if len(hits) == 0 {
			t.Errorf("Search(%q) found no entry; want the entries that share its words", tt.q)
			continue
		}
		if got := hits[0].Outside; got != tt.outside {
			t.Errorf("Search(%q) top %s marked outside %q; want %q", tt.q, hits[0].ID, got, tt.outside)
		}
		for _, h := range hits {
			if _, ok := base.OutsideTopic(h.ID); ok {
				t.Errorf("Search(%q) returned outside topic %q as a hit", tt.q, h.ID)
			}
		}
	}
	without := *base
	without.Outside = nil
	ix2 := build(t, &without)
	hits, err := ix2.Search(context.Background(), tests[0].q, "da", 3)
	if err != nil || len(hits) == 0 || hits[0].Outside != "" {
		t.Errorf("without outside topics Search(%q) = %v, %v; want entries, none marked", tests[0].q, hits, err)
	}
}

// TestFindTermIntensifiers checks that a synonym term is found with intensifiers between its
// words ("ved seriøst ikke hvad jeg vil"), at most MaxIntensifiers of them, and not with other
// words between them.
func TestFindTermIntensifiers(t *testing.T) {
	term := []string{"ved", "ikke", "hvad", "jeg", "vil"}
	tests := []struct {
		q    string
		want [][]int
	}{
		{"ved ikke hvad jeg vil", [][]int{{0, 1, 2, 3, 4}}},
		{"ved seriøst ikke hvad jeg vil", [][]int{{0, 2, 3, 4, 5}}},
		{"jeg ved virkelig slet ikke hvad jeg vil", [][]int{{1, 4, 5, 6, 7}}},
		{"ved virkelig helt slet ikke hvad jeg vil", nil},
		{"seriøst ved ikke hvad jeg vil", [][]int{{1, 2, 3, 4, 5}}},
		{"ved godt ikke hvad jeg vil", nil},
		{"ved ikke hvad jeg", nil},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.q)
		got := findTerm(words, make([][2]string, len(words)), term, make([][2]string, len(term)))
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("findTerm(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TestUnfolded checks that a word typed without æ, ø and å stands for the word with them when
// that word is more common in the base, even if some entry also lists the typed spelling.
func TestUnfolded(t *testing.T) {
	v := &vocab{
		df: map[string]int{"uddannelsespaalaeg": 1, "uddannelsespålæg": 3, "vaerelse": 2, "værelse": 1, "kollegieværelse": 2},
		unfold: map[string]string{"uddannelsespaalaeg": "uddannelsespålæg", "vaerelse": "værelse",
			"kollegievaerelse": "kollegieværelse"},
	}
	for _, tc := range []struct{ in, want string }{
		{"uddannelsespaalaeg", "uddannelsespålæg"}, // listed once, the real word in three entries
		{"vaerelse", "vaerelse"},                   // the typed spelling is the more common one
		{"kollegievaerelse", "kollegieværelse"},    // unknown as typed
		{"fgu", "fgu"},                             // nothing to unfold
	} {
		if got := v.unfolded(tc.in); got != tc.want {
			t.Errorf("unfolded(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package bot_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/index"
	"github.com/vejviser/vejviser/knowledge"
)

// loadBase returns the embedded knowledge base, loaded once for all the package's tests: a
// Base is read-only to the engine, and loading its 138,720 crisis examples took about 2 s a
// time under the race detector, for each of some 25 tests (2026-12-02). A test that changes
// a field works on a copy (FuzzAnswer).
func loadBase(t testing.TB) *knowledge.Base {
	t.Helper()
	base, err := sharedBase()
	if err != nil {
		t.Fatalf("load embedded knowledge: %v", err)
	}
	return base
}

var sharedBase = sync.OnceValues(func() (*knowledge.Base, error) {
	return knowledge.Load(knowledge.Embedded(), time.Now())
})

func indexBuilder(ctx context.Context, base *knowledge.Base) (bot.Searcher, error) {
	return index.Build(ctx, base, index.Options{})
}

// sharedIndex is the embedded base's index, built once for the package's tests: an Index is
// read-only and safe for concurrent use, and building it took about 2.5 s a time under the race
// detector, for each of some 25 tests (bot's race run 204 s, 2026-12-05). A test that reloads
// builds its next generation with indexBuilder as the program does.
var sharedIndex = sync.OnceValues(func() (*index.Index, error) {
	base, err := sharedBase()
	if err != nil {
		return nil, err
	}
	return index.Build(context.Background(), base, index.Options{})
})

// keptOpen is the shared index as one engine's searcher: the engine closes the searchers it
// retires, and the shared one must outlive each test's engine.
type keptOpen struct{ *index.Index }

// Close leaves the shared index open for the package's other tests.
func (keptOpen) Close() error { return nil }

// sharedSearcher returns the embedded base and its shared index.
func sharedSearcher(t testing.TB) (*knowledge.Base, bot.Searcher) {
	t.Helper()
	base := loadBase(t)
	ix, err := sharedIndex()
	if err != nil {
		t.Fatalf("build the embedded index: %v", err)
	}
	return base, keptOpen{ix}
}

func newEngine(t testing.TB) *bot.Engine {
	t.Helper()
	base, s := sharedSearcher(t)
	e := bot.New(base, s, bot.Options{Build: indexBuilder})
	t.Cleanup(func() { e.Close() })
	return e
}

// slowSearcher blocks until its context ends, or for 5 s if deaf to it.
type slowSearcher struct{ deaf bool }

func (s slowSearcher) Search(ctx context.Context, _, _ string, _ int) ([]knowledge.Hit, error) {
	if s.deaf {
		time.Sleep(5 * time.Second)
		return nil, nil
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestCrisisDoesNotWaitForTheIndex: with an index that never answers, a crisis question
// still gets its card quickly, even when the caller's context has already ended.
func TestCrisisDoesNotWaitForTheIndex(t *testing.T) {
	for _, s := range []slowSearcher{{}, {deaf: true}} {
		e := bot.New(loadBase(t), s, bot.Options{})
		start := time.Now()
		a, err := e.Answer(context.Background(), bot.Question{Text: "jeg vil ikke leve mere"})
		if err != nil || !a.Crisis || a.CrisisCard == nil {
			t.Fatalf("Answer = %v, crisis=%v; want the crisis card", err, a.Crisis)
		}
		// The index takes 5 s (or forever); the budget is 300 ms. 2 s leaves room for a
		// loaded CI machine while still proving the card did not wait for the index.
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the crisis answer (deaf index: %v) took %s; want about %s", s.deaf, d, bot.CrisisSearchBudget)
		}
	}
	e := bot.New(loadBase(t), slowSearcher{}, bot.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a, err := e.Answer(ctx, bot.Question{Text: "I am thinking about suicide"})
	if err != nil || !a.Crisis {
		t.Errorf("Answer with an ended context = %v, crisis=%v; want the crisis card", err, a.Crisis)
	}
	if _, err := e.Answer(ctx, bot.Question{Text: "hvad er fgu"}); err == nil {
		t.Errorf("a normal question with an ended context succeeded; want the context's error")
	}
}

// brokenSearcher fails every search, or panics.
type brokenSearcher struct{ panics bool }

func (b brokenSearcher) Search(context.Context, string, string, int) ([]knowledge.Hit, error) {
	if b.panics {
		panic("index corrupt")
	}
	return nil, errors.New("index corrupt")
}

func TestCrisisFirstEvenWithBrokenIndex(t *testing.T) {
	base := loadBase(t)
	questions := []string{
		"jeg orker ikke at leve længere", "I am thinking about suicide", "tænker på selvmord",
		"jeg vil bare ikke leve mere", "har skåret i mig selv igen", "jeg tænker på at tage mit eget liv",
		"i want to end it all", "selvmordstanker", "jeg gider ik leve mere", "i wanna kill myself",
		"JEG VIL DØ", "selvmors tanker", "vil gerne dø", "thinking about ending it all tonight",
		"har skrevet et afskedsbrev", "i wanna kms", "tænker hele tiden på at dø",
		"jeg er så træt af at leve", "livet giver ingen mening længere", "my life is worthless",
		"i dont see the point of living anymore", "jeg orker ikke livet", "jeg har ikke lyst til at leve",
		"hvor mange piller skal der til før man ikke vågner igen", "someone at home keeps hurting me",
		"min ven vil tage sit eget liv", "my friend plans to end his life tonight", "hun har skåret i sig selv",
		"jeg skar i mine arme igen i nat", "stod på broen og tænkte på at hoppe ud", "I swallowed a lot of sleeping pills",
		"min kæreste tvinger mig til sex", "my uncle touches me when he visits", "jeg er begyndt at give mine ting væk",
		"nogle gange håber jeg bare at jeg ikke vågner i morgen",
		"jeg er so done med livet fr", "jeg ridser mig selv i armene igen med en saks",
		"brænder mig med en lighter for at mærke noget", "har ikke spist i 4 dage og besvimede i bussen",
		"panic attack rn chest hurts so bad cant breathe", "min kæreste tager kvælertag på mig",
		"en fyr truer med at sende mine nøgenbilleder hvis jeg ikke betaler", "ja vil ik lvee mer",
		"har sparet piller op i flere uger", "been cutting again and its deeper this time",
		// The kinds the crisis issue (#6) names as missed before.
		"jeg skærer mig når det bliver for meget", "har skåret mig igen i nat", "jeg vil gøre det af med mig selv",
		"jeg er bange for at min far slår mig ihjel", "jeg har lige slugt alt for mange piller", "min ven er bevidstløs",
	}
	for _, s := range []bot.Searcher{brokenSearcher{}, brokenSearcher{panics: true}} {
		e := bot.New(base, s, bot.Options{})
		for _, q := range questions {
			a, err := e.Answer(context.Background(), bot.Question{Text: q})
			if err != nil {
				t.Fatalf("Answer(%q) error: %v", q, err)
			}
			if !a.Crisis || a.CrisisCard == nil || len(a.Entries) == 0 || a.Entries[0].ID != knowledge.CrisisEntryID {
				t.Errorf("Answer(%q) crisis=%v entries=%v; want the crisis card and %s first", q, a.Crisis, ids(a), knowledge.CrisisEntryID)
			}
		}
	}
}

func TestNotCrisis(t *testing.T) {
	e := newEngine(t)
	for _, q := range []string{"jeg er stresset over eksamen", "har angst og vil gerne i job", "hvad er fgu",
		"jeg er træt af skolen", "kan man dø af grin", "my friend wants to live in Aarhus",
		"how much does an hf single subject cost", "døgnåben rådgivning", "hvad tager jeg med til FGU",
		"kan man leve af SU", "jeg er træt af skolen", "I'm sick of living at home", "hvad er meningen med FGU",
		"hvor kan jeg få hjælp til mit misbrug", "I'm tired of my job",
		"hvordan får jeg hævet mit matematikniveau hurtigt", "det gør mig ondt at høre",
		"det her job slår mig ihjel", "Er efterskole bedst hvis jeg ikke er klar til gymnasiet?",
		"hvor mange piller må jeg tage mod hovedpine", "vi skal hoppe i vandet fra broen i sommer",
		"jeg skærer grøntsager på mit køkkenjob", "it touches me that you care",
		"jeg har skåret mig på et stykke papir av haha", "kan ikke mere med matematik i gymnasiet",
		"jeg brænder for at blive kok", "sidste brev fra SU", "vil bare væk fra gymnasiet",
		"I took something for my headache"} {
		a, _ := e.Answer(context.Background(), bot.Question{Text: q})
		if a.Crisis {
			t.Errorf("Answer(%q) crisis = true; want false", q)
		}
	}
}

// TestSupportTier checks distress without acute signs: the normal answer with one calm line on
// where to talk today, and no crisis card.
func TestSupportTier(t *testing.T) {
	e := newEngine(t)
	for _, tt := range []struct{ q, kommune, lang, mention string }{
		{"orker ikk mere", "", "da", "headspace"},
		{"jeg føler mig så ensom, har ingen venner", "Randers", "da", "Randers"},
		{"I'm so stressed and lonely at uni", "", "en", "headspace"},
	} {
		a, err := e.Answer(context.Background(), bot.Question{Text: tt.q, Kommune: tt.kommune})
		if err != nil {
			t.Fatal(err)
		}
		if a.Crisis || a.CrisisCard != nil || a.Tier != knowledge.TierSupport {
			t.Errorf("Answer(%q): crisis=%v tier=%q; want tier support without the card", tt.q, a.Crisis, a.Tier)
		}
		if !strings.Contains(a.Support, tt.mention) || a.Language != tt.lang {
			t.Errorf("Answer(%q).Support = %q (lang %s); want a line in %s naming %s", tt.q, a.Support, a.Language, tt.lang, tt.mention)
		}
	}
	a, _ := e.Answer(context.Background(), bot.Question{Text: "hvad er fgu"})
	if a.Tier != knowledge.TierNone || a.Support != "" {
		t.Errorf("Answer(hvad er fgu): tier %q support %q; want none and no line", a.Tier, a.Support)
	}
}

// TestCardFitsKind checks that the card speaks to the kind of danger: its first lines and its
// first sentence.
func TestCardFitsKind(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		q          string
		kind       string
		firstLines []string // phones or names, in order
		has        []string
	}{
		{"jeg har lige taget 30 panodil", "overdose", []string{"112", "82 12 12 12"}, nil},
		{"min ven trækker ikke vejret", "medical", []string{"112"}, []string{"70 11 31 31"}},
		{"min stedfar slår mig hver aften", "violence", []string{"112", "1888"}, []string{"116 111"}},
		{"han truer med at dele mine nøgenbilleder hvis jeg ikke betaler", "sexual", []string{"112"}, []string{"SletDet Rådgivningen (Red Barnet)"}},
		{"jeg har tænkt på selvmord hver dag", "direct", []string{"70 201 201", "112"}, nil},
		{"min veninde har taget alle sine piller og svarer ikke", "friend", []string{"112"}, []string{"82 12 12 12"}},
		{"har skåret i armen igen i nat og det bløder", "selfharm", []string{"112", "70 11 31 31"}, []string{"70 201 201"}},
		{"har ikke spist i seks dage og besvimede i bussen", "eating", []string{"112", "70 11 31 31"}, nil},
		{"har skrevet afskedsbrev og ved hvilken bro", "plan", []string{"112", "70 201 201"}, nil},
		{"vil bare sove og aldrig vågne igen", "euphemism", []string{"70 201 201", "112"}, nil},
	}
	for _, tt := range tests {
		a, _ := e.Answer(context.Background(), bot.Question{Text: tt.q})
		if !a.Crisis || a.CrisisCard == nil {
			t.Errorf("Answer(%q): no crisis card", tt.q)
			continue
		}
		if !slices.Contains(a.CrisisKinds, tt.kind) {
			t.Errorf("Answer(%q).CrisisKinds = %v; want %s among them", tt.q, a.CrisisKinds, tt.kind)
		}
		var got []string
		for _, l := range a.CrisisCard.Lines {
			got = append(got, cmp.Or(l.Phone, l.Name))
			if l.Evidence == "" {
				t.Errorf("Answer(%q): line %s has no evidence year", tt.q, l.Name)
			}
		}
		for i, want := range tt.firstLines {
			if i >= len(got) || got[i] != want {
				t.Errorf("Answer(%q) card lines = %v; want %v first", tt.q, got, tt.firstLines)
				break
			}
		}
		for _, want := range tt.has {
			if !slices.Contains(got, want) {
				t.Errorf("Answer(%q) card lines = %v; want %s among them", tt.q, got, want)
			}
		}
		if len(got) > bot.MaxCrisisLines {
			t.Errorf("Answer(%q): %d lines; want at most %d", tt.q, len(got), bot.MaxCrisisLines)
		}
	}
	en, _ := e.Answer(context.Background(), bot.Question{Text: "I just swallowed a whole bottle of sleeping pills"})
	if en.Language != bot.English || en.CrisisCard == nil || !strings.Contains(en.CrisisCard.Intro, "112") ||
		!strings.Contains(en.CrisisCard.Intro, "Poison Line") {
		t.Errorf("English overdose card: lang %s, card %+v; want an English intro naming 112 and the Poison Line", en.Language, en.CrisisCard)
	}
}

func TestCrisisCardLines(t *testing.T) {
	e := newEngine(t)
	card := e.CrisisCardFor("da")
	phones := map[string]bool{}
	for _, l := range card.Lines {
		phones[l.Phone] = true
	}
	for _, p := range []string{"112", "70 201 201", "116 111", "70 11 31 31"} {
		if !phones[p] {
			t.Errorf("crisis card lacks %s", p)
		}
	}
	if phones["1813"] {
		t.Errorf("crisis card lists 1813, Region Hovedstaden's number")
	}
}

func TestOffTopic(t *testing.T) {
	e := newEngine(t)
	for _, q := range []string{"hvem vandt kampen i går", "asdf", "🙂🙂", "Hvad er opskriften på lasagne?",
		"Who is the best footballer?", "", "hvad er 2+2", "kan du lave mine lektier i matematik"} {
		a, err := e.Answer(context.Background(), bot.Question{Text: q})
		if err != nil {
			t.Fatalf("Answer(%q): %v", q, err)
		}
		if a.Answered || a.Confidence == bot.ConfidenceSure || (len(a.Entries) > 0 && a.Confidence != bot.ConfidenceMaybe) {
			t.Errorf("Answer(%q) answered=%v confidence=%s entries=%v; want no sure answer (suggestions only as maybe)",
				q, a.Answered, a.Confidence, ids(a))
		}
		if len(a.Services) == 0 || a.Reply == "" {
			t.Errorf("Answer(%q) gives no pointer to a person: reply %q, services %v", q, a.Reply, a.Services)
		}
	}
}

// hitsSearcher returns the same hits for every question: its own slice, so a change the
// engine made to it would show.
type hitsSearcher []knowledge.Hit

func (h hitsSearcher) Search(context.Context, string, string, int) ([]knowledge.Hit, error) {
	return h, nil
}

// TestOutsideNamedOnlyWhenOffTopic checks that an outside topic that beat the best entry is
// named in the reply only when the question reads off-topic (bot.OutsideNamedAbove), and that
// the answer is not sure either way, with the entries as suggestions.
func TestOutsideNamedOnlyWhenOffTopic(t *testing.T) {
	base := loadBase(t)
	topic, ok := base.OutsideTopic("skat")
	if !ok {
		t.Fatal(`outside topic "skat" is missing from the knowledge base`)
	}
	tests := []struct {
		offTopic float64
		named    bool
	}{
		{1.0, true},
		{bot.OutsideNamedAbove + 0.01, true},
		{bot.OutsideNamedAbove - 0.01, false},
		{-2.0, false},
	}
	for _, tt := range tests {
		hit := knowledge.Hit{ID: "misbrug", Score: 1, Coverage: 0.9, Evidence: 3, Strong: true, Words: 4, Asked: 0.9, Outside: "skat", OffTopic: tt.offTopic}
		e := bot.New(base, hitsSearcher{hit, {ID: "headspace", Score: 0.5, Words: 4, OffTopic: tt.offTopic}}, bot.Options{})
		a, err := e.Answer(context.Background(), bot.Question{Text: "hvor lang tid skal jeg vente", Lang: "da"})
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if tt.named {
			want = topic.TitleIn("da")
		}
		if got := a.Outside; got != want {
			t.Errorf("off-topic reading %.2f: outside = %q, want %q", tt.offTopic, got, want)
		}
		if named := strings.Contains(a.Reply, topic.TitleIn("da")); named != tt.named {
			t.Errorf("off-topic reading %.2f: reply %q names the subject: %v, want %v", tt.offTopic, a.Reply, named, tt.named)
		}
		if a.Answered || a.Confidence != bot.ConfidenceMaybe || len(a.Entries) != 2 {
			t.Errorf("off-topic reading %.2f: answered=%v confidence=%s %d entries; want maybe with both entries", tt.offTopic, a.Answered, a.Confidence, len(a.Entries))
		}
	}
}

// TestNamedEntryShown checks that an entry the question names is among the entries shown even
// when the search puts it below them, in the place of the last one, that one named entry shown
// is enough, and that the searcher's hits are left as they were.
func TestNamedEntryShown(t *testing.T) {
	base := loadBase(t)
	hit := func(id string, named bool) knowledge.Hit {
		return knowledge.Hit{ID: id, Score: 1, Coverage: 0.9, Evidence: 3, Strong: true, Words: 4, Asked: 0.9, OffTopic: -1, Alias: named}
	}
	found := hitsSearcher{hit("misbrug", false), hit("headspace", false), hit("mentor", false), hit("fgu", true), hit("fgu-skoleydelse", true)}
	tests := []struct {
		hits  hitsSearcher
		limit int
		want  []string
	}{
		{found, 3, []string{"misbrug", "headspace", "fgu"}},
		{found, 1, []string{"fgu"}},
		{hitsSearcher{hit("misbrug", false), hit("fgu", true), hit("mentor", false), hit("fgu-skoleydelse", true)}, 3, []string{"misbrug", "fgu", "mentor"}},
	}
	for _, tt := range tests {
		e := bot.New(base, tt.hits, bot.Options{})
		a, err := e.Answer(context.Background(), bot.Question{Text: "hvad synes du om det", Lang: "da", Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(a); !slices.Equal(got, tt.want) {
			t.Errorf("limit %d: entries %v, want %v", tt.limit, got, tt.want)
		}
	}
	if found[3].ID != "fgu" || found[2].ID != "mentor" {
		t.Errorf("the searcher's hits were reordered: %v", found)
	}
}

// TestNamedOffTopicIsSuggested checks that a question naming the entry shown first is answered
// sure when it reads like the questions people ask about entries, and only suggested – shown,
// never refused – when it reads off-topic (bot.NamedSureUpTo).
func TestNamedOffTopicIsSuggested(t *testing.T) {
	base := loadBase(t)
	tests := []struct {
		offTopic float64
		want     string
	}{
		{-1.5, bot.ConfidenceSure},
		{bot.NamedSureUpTo, bot.ConfidenceSure},
		{bot.NamedSureUpTo + 0.01, bot.ConfidenceMaybe},
		{1.5, bot.ConfidenceMaybe},
	}
	for _, tt := range tests {
		found := hitsSearcher{
			{ID: "gsk", Score: 0.2, Coverage: 0.2, Evidence: 0.5, Words: 4, Alias: true, OffTopic: tt.offTopic},
			{ID: "optagelse-kvote-2", Score: 0.1, Coverage: 0.1, Words: 4, OffTopic: tt.offTopic},
		}
		a, err := bot.New(base, found, bot.Options{}).Answer(context.Background(), bot.Question{Text: "gsk kursen i dag", Lang: "da"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Confidence != tt.want || !slices.Contains(ids(a), "gsk") || a.Answered != (tt.want == bot.ConfidenceSure) {
			t.Errorf("off-topic reading %.2f: confidence %s, answered %v, entries %v; want %s with gsk shown", tt.offTopic, a.Confidence, a.Answered, ids(a), tt.want)
		}
	}
}

// TestOutsideSubjects checks that a question about a subject the base lists as outside it is
// not answered sure, that the reply names the subject in the question's language and points to
// a person, and that questions about entries are not marked.
func TestOutsideSubjects(t *testing.T) {
	e := newEngine(t)
	base := loadBase(t)
	tests := []struct {
		q, topic string
	}{
		{"hvornår kan jeg se min årsopgørelse for sidste år", "skat"},
		{"my landlord says i have to pay for new floors when i move out", "lejebolig-regler"},
		{"skal jeg spare op til pension når jeg er 22", "pension-og-arv"},
		{"min bofælle spiser altid min mad i køleskabet", "bofaeller-og-naboer"},
		{"hvad er fgu", ""},
		{"kan jeg få handicaptillæg til min su", ""},
		// A partner named as the person the question is about does not make it a question
		// about love and relationships: kaerester-og-parforhold's keywords and example
		// questions leave out the words for a partner (with them, the first of these was
		// a suggestion, not sure, on 2026-12-04).
		{"min kæreste har det rigtig skidt psykisk, hvor kan hun få hjælp", ""},
		{"my boyfriend is depressed and won't see a doctor, where can he get help", ""},
		{"min kæreste har ingen uddannelse og vil gerne i gang, hvor skal han starte", ""},
	}
	for _, tt := range tests {
		a, err := e.Answer(context.Background(), bot.Question{Text: tt.q})
		if err != nil {
			t.Fatalf("Answer(%q): %v", tt.q, err)
		}
		// The confidence measurements read the same veto from SearchFeatures.
		if _, _, vetoed, err := e.SearchFeatures(context.Background(), tt.q, ""); err != nil || vetoed != (tt.topic != "") {
			t.Errorf("SearchFeatures(%q) outside veto = %v, %v; want %v", tt.q, vetoed, err, tt.topic != "")
		}
		if tt.topic == "" {
			if a.Outside != "" || !a.Answered {
				t.Errorf("Answer(%q) outside=%q answered=%v; want an answer, not marked", tt.q, a.Outside, a.Answered)
			}
			continue
		}
		topic, ok := base.OutsideTopic(tt.topic)
		if !ok {
			t.Fatalf("outside topic %q is missing from the knowledge base", tt.topic)
		}
		want := topic.TitleIn(a.Language)
		if a.Answered || a.Confidence == bot.ConfidenceSure || a.Outside != want {
			t.Errorf("Answer(%q) answered=%v confidence=%s outside=%q; want not sure, outside %q", tt.q, a.Answered, a.Confidence, a.Outside, want)
		}
		if !strings.Contains(a.Reply, want) || len(a.Services) == 0 {
			t.Errorf("Answer(%q) reply %q, %d services; want the subject %q named and a person to talk to", tt.q, a.Reply, len(a.Services), want)
		}
	}
}

func TestSmallTalkGetsAnIntro(t *testing.T) {
	e := newEngine(t)
	for _, q := range []string{"hej", "Hvad kan du?", "who are you", "tak!"} {
		a, _ := e.Answer(context.Background(), bot.Question{Text: q})
		if a.Answered || !strings.Contains(a.Reply, "Vejviser") {
			t.Errorf("Answer(%q) answered=%v reply=%q; want an introduction and no entries", q, a.Answered, a.Reply)
		}
	}
	a, _ := e.Answer(context.Background(), bot.Question{Text: "asdf"})
	if strings.Contains(a.Reply, "Jeg er Vejviser") {
		t.Errorf("Answer(asdf) got the introduction; want the no-answer reply")
	}
}

func TestKommuneDetection(t *testing.T) {
	base := loadBase(t)
	tests := []struct{ q, want string }{
		{"jeg bor i Grenaa", "Norddjurs"},
		{"jeg bor i Grenå", "Norddjurs"},
		{"i Ebeltoft, hvem er min ungevejleder", "Syddjurs"},
		{"FGU i Brande", "Ikast-Brande"},
		{"jeg bor i Tarm", "Ringkøbing-Skjern"},
		{"ondt i tarmen", ""},
		{"Århus", "Aarhus"},
		{"Ringkøbing-Skjern kommune", "Ringkøbing-Skjern"},
		{"jeg er fra Holstebro men bor i Aarhus", "Holstebro"},
		{"hvad er fgu", ""},
		{"Hvide Sande", "Ringkøbing-Skjern"},
		{"jeg flytter til Ry", "Skanderborg"},
		{"is there help for them", ""},
	}
	for _, tt := range tests {
		if got := bot.DetectKommune(base, tt.q); got != tt.want {
			t.Errorf("DetectKommune(%q) = %q; want %q", tt.q, got, tt.want)
		}
	}
}

func TestLanguage(t *testing.T) {
	tests := []struct{ q, hint, want string }{
		{"What is HF single subject education?", "", "en"},
		{"free counselling for young people", "", "en"},
		{"Hvad er en forberedende grunduddannelse?", "", "da"},
		{"ekstra su klip pga sygdom", "", "da"},
		{"FGU?", "", "da"},
		{"FGU?", "en", "en"},
		{"im 20 and have no job what can i do", "", "en"},
		{"jeg har ingen venner", "en", "da"},
		{"is værnepligt mandatory now too?", "", "en"}, // one Danish word (æ) in an English question
		{"hvad er værnepligt egentlig, er det nu også for kvinder?", "", "da"},
		// Chat English around one Danish word: a word with æ ties with "if" unless the
		// common English words "same" and "as" count.
		{"boligstøtte same as before if i move out?", "", "en"},
		// "mentor" is a Danish word as well, so it says nothing on its own.
		{"mentor til min søn?", "en", "da"},
		{"mentor?", "", "da"},
		{"mentor?", "en", "en"},
		// English fragments around a Danish name: common English words that are not Danish
		// count (2026-12-04); Danish loanwords such as "like" or "program" do not.
		{"skoleydelse amount?", "", "en"},
		{"efterskole first year, good idea?", "", "en"},
		{"hf program?", "", "da"},
	}
	for _, tt := range tests {
		if got := bot.DetectLanguage(tt.q, tt.hint); got != tt.want {
			t.Errorf("DetectLanguage(%q, %q) = %q; want %q", tt.q, tt.hint, got, tt.want)
		}
	}
}

func TestAnswerShape(t *testing.T) {
	e := newEngine(t)
	a, err := e.Answer(context.Background(), bot.Question{Text: "FGU i Holstebro"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answered || len(a.Entries) == 0 || a.Entries[0].ID != "fgu" {
		t.Fatalf("Answer(FGU i Holstebro) entries = %v; want fgu first", ids(a))
	}
	if a.Kommune != "Holstebro" || a.KommuneFrom != "text" {
		t.Errorf("kommune = %q from %q; want Holstebro from text", a.Kommune, a.KommuneFrom)
	}
	top := a.Entries[0]
	if top.URL == "" || len(top.Sources) == 0 || top.Reviewed == "" || top.Excerpt == "" {
		t.Errorf("top entry lacks citation fields: %+v", top)
	}
	var local bool
	for _, s := range a.Services {
		local = local || (s.Kind == "fgu" && s.Kommune == "Holstebro")
	}
	if !local {
		t.Errorf("services %+v; want Holstebro's FGU", a.Services)
	}
	// The option wins over the text.
	a, _ = e.Answer(context.Background(), bot.Question{Text: "FGU i Holstebro", Kommune: "aarhus"})
	if a.Kommune != "Aarhus" || a.KommuneFrom != "option" {
		t.Errorf("with option kommune = %q from %q; want Aarhus from option", a.Kommune, a.KommuneFrom)
	}
	a, _ = e.Answer(context.Background(), bot.Question{Text: "What is FGU?"})
	if a.Language != "en" || a.Entries[0].Title == "" || a.Reply == "" {
		t.Errorf("English answer language=%q reply=%q", a.Language, a.Reply)
	}
}

// TestReloadWhileAnswering swaps knowledge bases while questions are answered: no question
// may fail or go unanswered, and a broken folder must leave the old base serving.
func TestReloadWhileAnswering(t *testing.T) {
	const answerPause = 20 * time.Millisecond
	e := newEngine(t)
	old := e.Base().Version
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var failures, answered atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				a, err := e.Answer(ctx, bot.Question{Text: "hvad er fgu"})
				if ctx.Err() != nil {
					return
				}
				if err != nil || !a.Answered || a.Entries[0].ID != "fgu" {
					failures.Add(1)
				}
				answered.Add(1)
				// A pause between answers leaves the two cores to the reloads: answering flat
				// out, four goroutines made this test take 114 s of ./bot's 370 s under -race
				// in CI (2026-12-01). Answers still overlap every swap.
				time.Sleep(answerPause)
			}
		}()
	}
	// reloadsWhileAnswering is how many times the generation is swapped under the answering
	// goroutines: two swaps (the second retiring an index the first put in) test the same as
	// more. Five took 81 s of ./bot's 217 s under -race on two cores (2026-12-01), each reload
	// building the index while four goroutines answer as fast as they can.
	const reloadsWhileAnswering = 2
	for range reloadsWhileAnswering {
		if _, err := e.Reload(ctx, knowledge.Embedded()); err != nil {
			t.Fatalf("Reload: %v", err)
		}
	}
	broken := fstest.MapFS{"kommuner.toml": {Data: []byte("[[kommune]]\nnavn = 1\n")}}
	if _, err := e.Reload(ctx, broken); err == nil {
		t.Errorf("Reload(broken) succeeded; want an error")
	}
	cancel()
	wg.Wait()
	if failures.Load() > 0 {
		t.Errorf("%d of %d answers failed during reloads", failures.Load(), answered.Load())
	}
	t.Logf("%d answers during %d reloads", answered.Load(), reloadsWhileAnswering+1)
	if answered.Load() == 0 {
		t.Errorf("no answers during reloads")
	}
	if e.Base().Version != old {
		t.Errorf("version %s after reloading the same files; want %s", e.Base().Version, old)
	}
}

// TestCloseStopsReloads checks that a reload after Close fails instead of bringing a closed
// engine back to life with an index nobody closes.
func TestCloseStopsReloads(t *testing.T) {
	e := newEngine(t)
	e.Close()
	if _, err := e.Reload(context.Background(), knowledge.Embedded()); err == nil {
		t.Errorf("Reload after Close succeeded; want an error")
	}
	a, err := e.Answer(context.Background(), bot.Question{Text: "jeg vil ikke leve mere"})
	if err != nil || !a.Crisis {
		t.Errorf("crisis answer after Close = %v, crisis=%v; want the card", err, a.Crisis)
	}
}

func TestOfferSuggestAbout(t *testing.T) {
	e := newEngine(t)
	a, ok := e.Offer("sps", "Randers", "da")
	if !ok || a.Entries[0].ID != "sps" || a.Kommune != "Randers" {
		t.Errorf("Offer(sps, Randers) = %v %v", ok, a)
	}
	if _, ok := e.Offer("findes-ikke", "", "da"); ok {
		t.Errorf("Offer(findes-ikke) ok; want false")
	}
	got := e.Suggest("hf", "da", 25)
	if len(got) == 0 {
		t.Errorf("Suggest(hf) = nothing")
	}
	if n := len(e.Suggest("", "da", 25)); n != 25 {
		t.Errorf("Suggest(\"\") = %d; want 25 (Discord's maximum)", n)
	}
	if ab := e.About(); ab.Entries < 29 || ab.Kommuner != 19 || ab.Version == "" {
		t.Errorf("About = %+v", ab)
	}
	if hs := e.HumanServices("Randers", "da"); len(hs) == 0 || hs[0].Kind != "kui" || hs[0].Kommune != "Randers" {
		t.Errorf("HumanServices(Randers) = %+v; want Randers' youth guidance first", hs)
	}
}

func ids(a bot.Answer) []string {
	var out []string
	for _, e := range a.Entries {
		out = append(out, e.ID)
	}
	return out
}

// TestNamedOffersAreNeverRefused: a question that names an offer gets that offer's entry among
// the first three, at least as a suggestion, however the question is framed – the kinds of
// question the answer-quality issue (#7) found refused or misranked.
func TestNamedOffersAreNeverRefused(t *testing.T) {
	e := newEngine(t)
	tests := []struct{ q, want string }{
		{"ligger der et headspace i nærheden af Silkeborg", "headspace"},
		{"hvem er det egentlig der sender unge videre til FGU", "fgu"},
		{"hvor mange år varer FGU", "fgu"},
		{"kan alle få en mentor eller skal man opfylde noget", "mentor"},
		{"hvilke krav skal jeg opfylde for at få SU på gymnasiet", "su-ungdomsuddannelse"},
		{"hvornår er ens druk blevet et problem", "misbrug"},
		{"any help for dyslexic students at university?", "ordblindhed"},
		{"headspce", "headspace"},
		{"STU", "stu"},
		{"kan man gå på højskole hvis man er på kontanthjælp", "hoejskole"},
	}
	for _, tt := range tests {
		a, err := e.Answer(context.Background(), bot.Question{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Confidence == bot.ConfidenceNone || !slices.Contains(ids(a), tt.want) {
			t.Errorf("Answer(%q) = %v (%s); want %s among the entries, never refused", tt.q, ids(a), a.Confidence, tt.want)
		}
	}
}

// TestEveryAliasIsAnswered asks for every offer name in the knowledge base, framed four ways,
// and wants that offer's entry among those shown, never a refusal. Numbers ("112") are left out:
// a bare number is not read as a word. Where the named entry is shown first, the confidence
// features must say it is named, and the answer must be sure unless the question reads
// off-topic beyond bot.NamedSureUpTo (then it is a suggestion). The test held every framing to
// sure before, which made it fail whenever new asked questions moved the score of one framing
// across the sure line: the uncle's framing of one project's name, whose off-topic reading
// (0.023) lies above NamedSureUpTo, scored 0.595 on f8d3b92 (2026-12-06) and 0.625 once one
// more set joined; four framings lay within 0.03 of the line.
func TestEveryAliasIsAnswered(t *testing.T) {
	e := newEngine(t)
	offTopic := slices.Index(bot.FeatureNames, "offtopic")
	frames := []string{"%s?", "hvad er %s", "hvor kan jeg finde %s i min kommune",
		"min onkel siger at %s er spild af tid for sådan en som mig, passer det"}
	for _, en := range e.Base().Entries {
		for _, alias := range en.Aliases {
			if len(knowledge.Words(strings.Map(func(r rune) rune {
				if unicode.IsDigit(r) {
					return -1
				}
				return r
			}, alias))) == 0 {
				continue
			}
			for _, f := range frames {
				q := fmt.Sprintf(f, alias)
				a, err := e.Answer(context.Background(), bot.Question{Text: q})
				if err != nil {
					t.Fatal(err)
				}
				if a.Confidence == bot.ConfidenceNone || !slices.Contains(ids(a), en.ID) {
					t.Errorf("Answer(%q) = %v (%s); want %s among the entries", q, ids(a), a.Confidence, en.ID)
				}
				if len(a.Entries) == 0 || a.Entries[0].ID != en.ID || a.Crisis {
					continue
				}
				x, _, _, err := e.SearchFeatures(context.Background(), q, "")
				if err != nil {
					t.Fatal(err)
				}
				if x[0] != 1 {
					t.Errorf("Answer(%q): %s first, but the features do not read it as named", q, en.ID)
				}
				if x[offTopic] <= bot.NamedSureUpTo && a.Confidence != bot.ConfidenceSure {
					t.Errorf("Answer(%q): %s first but %s (off-topic reading %.3f); want sure when the first entry is named", q, en.ID, a.Confidence, x[offTopic])
				}
			}
		}
	}
}

// TestConfidenceOutcomes checks the three outcomes: sure answers, maybe suggestions with the
// people to talk to, and none.
func TestConfidenceOutcomes(t *testing.T) {
	e := newEngine(t)
	sure, _ := e.Answer(context.Background(), bot.Question{Text: "hvad er FGU?"})
	if sure.Confidence != bot.ConfidenceSure || !sure.Answered || sure.ConfidenceScore < bot.SureAbove {
		t.Errorf("hvad er FGU?: %s %.2f answered=%v; want sure", sure.Confidence, sure.ConfidenceScore, sure.Answered)
	}
	none, _ := e.Answer(context.Background(), bot.Question{Text: "hvem vandt kampen i går"})
	if none.Confidence == bot.ConfidenceSure || none.Answered || len(none.Services) == 0 {
		t.Errorf("off-topic: %s answered=%v services=%d; want no sure answer and people", none.Confidence, none.Answered, len(none.Services))
	}
	if none.Confidence == bot.ConfidenceNone && len(none.Entries) != 0 {
		t.Errorf("confidence none with entries %v", ids(none))
	}
}

// TestSeveralNamedOffers: a question that names two offers as its background is never
// refused and shows at least one of them, although neither gets the boost of a single named
// offer (index.ManyNamedBoost); the other words decide the rest. Both are not forced among
// those shown: bringing every entry named by its own aliases up cost Recall@3 over the
// Discord-style sets 0.996 → 0.994 (thirty-fourth session, each set left out of the learned
// model), where a question names two offers it tried and asks for a third way.
func TestSeveralNamedOffers(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		q     string
		named []string
	}{
		{"jeg har prøvet både FGU og STU, men ingen af dem passede til mig – hvad gør jeg nu", []string{"fgu", "stu"}},
		{"min søn har haft en IPS-konsulent og har nu fået tilbudt KUI-vejledning, hvad er forskellen", []string{"ips-ung", "kui"}},
		{"I tried both headspace and Cyberhus and still feel stuck", []string{"headspace", "cyberhus"}},
	}
	for _, tt := range tests {
		a, err := e.Answer(context.Background(), bot.Question{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		shown := slices.ContainsFunc(tt.named, func(id string) bool { return slices.Contains(ids(a), id) })
		if a.Confidence == bot.ConfidenceNone || !shown {
			t.Errorf("Answer(%q) = %v (%s); want one of %v among the entries", tt.q, ids(a), a.Confidence, tt.named)
		}
	}
}

// TestSuicideLineWhereItBelongs checks that Livslinien (kind "selvmord") is listed with the crisis
// card and the entries on mental health and loneliness, and not with an answer about illness or
// pregnancy during an education.
func TestSuicideLineWhereItBelongs(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		q, top string // top "" for a crisis message
		want   bool
	}{
		{"skal føde i maj og går på hf – beholder jeg SU’en under barslen?", "syg-eller-gravid-under-uddannelse", false},
		{"weekenderne går med at sidde alene på værelset, jeg savner nogen at ses med", "ensomhed", true},
		{"i nat sluger jeg hele glasset med piller", "", true},
	}
	for _, tt := range tests {
		a, err := e.Answer(context.Background(), bot.Question{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if tt.top == "" && !a.Crisis {
			t.Fatalf("Answer(%q) gave no crisis card", tt.q)
		}
		if tt.top != "" && (len(a.Entries) == 0 || a.Entries[0].ID != tt.top) {
			t.Fatalf("Answer(%q) entries = %v; want %s first", tt.q, ids(a), tt.top)
		}
		got := slices.ContainsFunc(a.Services, func(s bot.ServiceRef) bool { return s.Kind == "selvmord" })
		if got != tt.want {
			t.Errorf("Answer(%q) lists Livslinien = %v, want %v (services %+v)", tt.q, got, tt.want, a.Services)
		}
	}
}

package knowledge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The crisis files inside a knowledge folder.
const (
	// CrisisExamplesDir holds the labelled crisis messages (crisis-examples/*.toml) that the
	// detector's classifier is trained on and that the tests run.
	CrisisExamplesDir = "crisis-examples"
)

// Crisis tiers: how urgent a message is.
const (
	// TierAcute is danger to life or body now: the crisis card comes first.
	TierAcute = "acute"
	// TierSupport is distress without acute signs: the normal answer plus one calm line on
	// where to talk today.
	TierSupport = "support"
	// TierNone is everything else.
	TierNone = "none"
)

// CrisisKinds lists the kinds of acute crisis, most urgent first: when a message shows
// several, the card is built in this order (danger to the body now before thoughts).
var CrisisKinds = []string{"medical", "overdose", "plan", "violence", "sexual", "friend", "selfharm", "eating", "direct", "euphemism"}

// SupportKind is the kind of a support-tier example or rule.
const SupportKind = "distress"

// HarmlessKinds are the kinds of examples that must not fire: idioms, talk about the subject,
// questions about the services and ordinary guidance questions.
var HarmlessKinds = []string{"idiom", "topic", "service", "ordinary"}

// CrisisLineMaxEvidenceAge is how old the newest evidence of a crisis line may be before
// check warns: two years, as the crisis issue asks.
const CrisisLineMaxEvidenceAge = 2 * 365 * 24 * time.Hour

// Undated is how an editor writes the date of a source page that shows no date of its own.
const Undated = "udateret"

// Crisis is the crisis detector's data and the crisis card: word families (concepts), the ways
// they meet that mean danger (rules), the readings that cancel them (exceptions), the card's
// texts per kind, the phone lines, and the labelled examples the classifier learns from.
type Crisis struct {
	Concepts []CrisisConcept `toml:"concept"`
	Rules    []CrisisRule    `toml:"rule"`
	Excepts  []CrisisExcept  `toml:"except"`
	Card     CrisisCard      `toml:"card"`
	Kinds    []CrisisKind    `toml:"kind"`
	Support  CrisisSupport   `toml:"support"`
	Lines    []CrisisLine    `toml:"line"`
	// Examples are the labelled messages of crisis-examples/*.toml.
	Examples []CrisisExample `toml:"-"`
	// Model is the content of crisis.model, the classifier `vejviser train` trained from this
	// folder, or nil. The bot uses it only when its header names the very examples, rules and
	// training code it would train from; otherwise it trains, as without the file.
	Model []byte `toml:"-"`

	// source is where the loader read Examples from (see ExamplesDigest and
	// LabelledExamples); nil for a Crisis built by hand.
	source *exampleSource
}

// exampleSource is the crisis-example files of a load: the digest of their names and bytes,
// and either the examples decoded from them (decoded, the slice the loader put in
// Crisis.Examples) or, for a LoadForServing that left them undecoded, the files to read and
// decode on first use.
type exampleSource struct {
	digest  string
	decoded []CrisisExample
	fsys    fs.FS
	lazy    []exampleFile // nil unless left undecoded
	once    sync.Once
	exs     []CrisisExample // lazy, decoded
}

// exampleFile is a crisis-example file's name and the SHA-256 of the bytes the load hashed.
type exampleFile struct {
	name string
	sum  [sha256.Size]byte
}

// LabelledExamples returns the labelled crisis examples: Examples, or, for a base that
// LoadForServing loaded without decoding them, the examples decoded now (once per load; the
// same slice every time, which callers must not change).
func (c Crisis) LabelledExamples() []CrisisExample {
	s := c.source
	if c.Examples != nil || s == nil || s.lazy == nil {
		return c.Examples
	}
	s.once.Do(func() {
		for _, f := range s.lazy {
			// These bytes decoded without a problem when crisis.model was trained from them
			// (LoadForServing); a problem now can only come from a rule added since, which
			// `vejviser check` reports. A file that cannot be decoded cleanly, or whose bytes
			// changed since the load (an editor saved it: the watcher loads the folder again),
			// is left out rather than trained on half-read.
			data, err := readBounded(s.fsys, f.name, MaxFileSize)
			if err != nil || sha256.Sum256(data) != f.sum {
				continue
			}
			var c collector
			if exs, ok := decodeCrisisExamplesCached(&c, f.name, fileText(data)); ok && len(c.ps) == 0 {
				s.exs = append(s.exs, exs...)
			}
		}
	})
	return s.exs
}

// ExamplesDigest returns the SHA-256 of the crisis-example files' names and bytes (hex), and
// whether Examples is still what the loader read from them: true for a loaded base, false for
// a Crisis built by hand or whose Examples were replaced (examples must not be changed in
// place). The crisis classifier is keyed by it, so that a start-up need not decode the
// examples to know that a stored classifier was trained from them.
func (c Crisis) ExamplesDigest() (string, bool) {
	s := c.source
	switch {
	case s == nil:
		return "", false
	case s.lazy != nil:
		return s.digest, c.Examples == nil
	default:
		return s.digest, len(c.Examples) == len(s.decoded) &&
			(len(c.Examples) == 0 || &c.Examples[0] == &s.decoded[0])
	}
}

// CrisisModelHeader begins a crisis.model file. The line after it is "examples " and the
// ExamplesDigest of the example files the classifier was trained from; the rest belongs to the
// bot (its key and the classifier, bot.CrisisModelFile).
const CrisisModelHeader = "vejviser crisis classifier for a knowledge folder 2\n"

// CrisisModelExamples splits a crisis.model file into the digest of the example files it was
// trained from and the rest of the file after that line; ok is false when the file does not
// begin with CrisisModelHeader and an examples line.
func CrisisModelExamples(model []byte) (digest string, rest []byte, ok bool) {
	after, ok := bytes.CutPrefix(model, []byte(CrisisModelHeader))
	if !ok {
		return "", nil, false
	}
	line, rest, ok := bytes.Cut(after, []byte("\n"))
	d, found := bytes.CutPrefix(line, []byte("examples "))
	if !ok || !found {
		return "", nil, false
	}
	return string(d), rest, true
}

// CrisisConcept is a word family: every way of writing one idea ("self-harm acts", "pills").
// A word is matched after folding (æ→ae, ø→oe, å→aa) and lowercasing; "kniv*" matches every
// word that starts with "kniv" and "*bro" every word that ends with "bro" (a compound's head:
// "Randersbro"); "#6+" a number of at least 6; "@name" any single word of the concept name; a
// phrase of three words or more matches with at most one other word between two of its words,
// a two-word phrase only as written; words of six letters or more also match with one typo.
type CrisisConcept struct {
	Name  string   `toml:"name"`
	Note  string   `toml:"note"`
	Words []string `toml:"words"`
	// Adjacent makes the words of a multi-word entry stand right next to each other.
	Adjacent bool `toml:"adjacent"`
	// Within makes the concept a part of another one: wherever a rule's all, an exception's
	// cancels, unless or unless_next names that other concept, this one counts too, while an
	// exception that names this one alone cancels only its words. A word that is both a danger
	// sign and a practical matter ("epipen") gets a concept of its own within "danger", and an
	// exception bound to the practical reading cancels just that word. One level only: the
	// other concept may not itself be within a third.
	Within string `toml:"within"`
}

// CrisisRule marks a message as Kind when a word of each group of All occurs within Window
// words of the first group's word (sentence ends count as several words). A group names one
// concept or several separated by | ("die|kill").
type CrisisRule struct {
	Kind   string   `toml:"kind"`
	All    []string `toml:"all"`
	Window int      `toml:"window"`
	Note   string   `toml:"note"`
	// Overrule lets the crisis classifier overrule the rule where it is all but certain that
	// the message is harmless (below crisis.RuleFloor; the message then gets the calm support
	// line instead of the card). Every acute rule of knowledge/crisis.toml carries it (see
	// crisis.RuleFloor for the measurement); a new rule without it fires unconditionally until
	// someone has measured it.
	Overrule bool `toml:"overrule"`
	// Alone, when set, lets the rule fire only where its first group's word stands in a sentence
	// of at most Alone words, and the others in the same sentence: a terse statement that is a
	// sentence of its own ("Rather die." at the end of a long letter), not the same words inside
	// a longer one ("I'd rather die than wear that dress"). 0 means any sentence.
	Alone int `toml:"alone"`
}

// MaxRuleAlone is the longest sentence a rule's alone may name: a statement of more words is
// no longer terse.
const MaxRuleAlone = 8

// DefaultRuleWindow is the window of a rule without one: measured on the crisis examples, the
// words of one risk statement ("jeg har taget en hel pakke panodil") lie within 8 words.
const DefaultRuleWindow = 8

// CrisisExcept is a harmless reading bound to the concepts it cancels: when one of Cues
// occurs within Near words of a word of a cancelled concept, that word stops counting for
// that concept only – unless a word of an Unless concept is within Near words too (someone
// who writes an essay on suicide and has the thoughts himself), or a word of an UnlessNext
// concept stands right beside the cancelled word ("raped me", "min mor tæver mig": the act is
// bound to the writer or a family member, whatever topic words are near). UnlessNext protects
// single words only: a cancelled phrase ("min mor slår mig ihjel") is an idiom as a whole.
// With Sentence set, a cue cancels only in its own sentence: a time cue such as "when I was
// 16" dates what its sentence says, not the danger in the next one ("my mouth tastes like the
// bleach I drank. I had a bad spell as a teen"). Other concepts and other words are untouched,
// so an exception never hides a risk said elsewhere in the message.
type CrisisExcept struct {
	Reading    string   `toml:"reading"`
	Cues       []string `toml:"cues"`
	Cancels    []string `toml:"cancels"`
	Unless     []string `toml:"unless"`
	UnlessNext []string `toml:"unless_next"`
	Near       int      `toml:"near"`
	Sentence   bool     `toml:"sentence"`
}

// NextWords is how close a word of an exception's unless_next must stand to the word it would
// cancel: right next to it. Measured in cross-validation on the crisis examples (2026-11-30):
// two words also blocked the idiom "my parents will kill me if …" and added false alarms.
const NextWords = 1

// DefaultExceptNear is the reach of an exception without near: a cue and the word it cancels
// stand next to each other or one word apart ("dør af grin", "telefonen er ved at dø").
const DefaultExceptNear = 3

// CrisisCard holds the card's general Danish and English texts.
type CrisisCard struct {
	Title   string `toml:"title"`
	Intro   string `toml:"intro"`
	Outro   string `toml:"outro"`
	TitleEN string `toml:"title_en"`
	IntroEN string `toml:"intro_en"`
	OutroEN string `toml:"outro_en"`
}

// CrisisKind is the card for one kind of crisis: its own first sentence and its lines, most
// important first.
type CrisisKind struct {
	ID      string   `toml:"id"`
	Intro   string   `toml:"intro"`
	IntroEN string   `toml:"intro_en"`
	Lines   []string `toml:"lines"`
	// Source backs advice in the intro (what to do for a friend), with its own date.
	Sources []CrisisSource `toml:"sources"`
}

// CrisisSupport is the calm line added to an ordinary answer when a message shows distress
// without acute danger. {kommune} in a text is replaced by the asker's municipality.
type CrisisSupport struct {
	Text          string `toml:"text"`
	TextEN        string `toml:"text_en"`
	TextKommune   string `toml:"text_kommune"`
	TextKommuneEN string `toml:"text_kommune_en"`
}

// CrisisLine is one line of the crisis card: whom to call or write, and when.
type CrisisLine struct {
	ID     string `toml:"id"`
	Name   string `toml:"name"`
	Phone  string `toml:"phone"`
	URL    string `toml:"url"`
	When   string `toml:"when"`
	WhenEN string `toml:"when_en"`
	// Read is when an editor last read the sources (stored copies or live pages).
	Read time.Time `toml:"read"`
	// Verified is when a person confirmed the number on the live page or by calling; zero when
	// nobody has. VerifiedHow says which ("opkald" or "live side").
	Verified    time.Time      `toml:"verified"`
	VerifiedHow string         `toml:"verified_how"`
	Sources     []CrisisSource `toml:"sources"`
}

// CrisisSource is a page that shows a crisis line's facts, with the page's own date
// ("YYYY-MM-DD", "YYYY-MM", "YYYY" or "udateret").
type CrisisSource struct {
	URL   string `toml:"url"`
	Date  string `toml:"date"`
	Title string `toml:"title"`
}

// DropApostrophes removes the apostrophes of a crisis word ("don't" is "dont"), as the crisis
// detector reads words; the check here and the detector's lexicon both use it.
func DropApostrophes(s string) string { return apostrophes.Replace(s) }

// apostrophes is built once: built for each word, the check's and the lexicon's Replacers took
// about a twentieth of a reload's CPU under the race detector (2026-12-05).
var apostrophes = strings.NewReplacer("'", "", "’", "")

// EvidenceDate returns the newest dated source of the line, and false when every source is
// undated.
func (l CrisisLine) EvidenceDate() (time.Time, bool) {
	var newest time.Time
	for _, s := range l.Sources {
		if t, ok := ParseSourceDate(s.Date); ok && t.After(newest) {
			newest = t
		}
	}
	return newest, !newest.IsZero()
}

// ParseSourceDate reads a source's own date: "2023-05-01", "2023-05" or "2023". It returns
// false for "udateret" and anything it cannot read.
//
// Each layout reads only a text of its own length, so only that layout is tried: trying all
// three, two failing with an error built each time, was about 3 % of an answer's CPU, for
// every source of every entry shown (profile, 2026-12-05).
func ParseSourceDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	var layout string
	switch len(s) {
	case len(time.DateOnly):
		layout = time.DateOnly
	case len("2006-01"):
		layout = "2006-01"
	case len("2006"):
		layout = "2006"
	default:
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s)
	return t, err == nil
}

// CrisisExample is one labelled message: Tier is acute, support or none; Kind is a crisis
// kind for acute, "distress" for support, and a harmless kind for none.
type CrisisExample struct {
	Text string `toml:"text"`
	Tier string `toml:"tier"`
	Kind string `toml:"kind"`
	Lang string `toml:"lang"`
	// File is where the example was read, e.g. "crisis-examples/da-acute.toml".
	File string `toml:"-"`
}

// crisisWordProblem returns why a concept or cue word cannot be matched, or the empty
// message. defined holds the concepts defined so far, which a part "@name" may name.
func crisisWordProblem(w string, defined map[string]bool) message {
	if strings.TrimSpace(w) == "" {
		return msgf("empty word")
	}
	for _, part := range strings.Fields(w) {
		if name, ok := strings.CutPrefix(part, "@"); ok {
			if !defined[name] {
				return msgf("%q: @%s must name a concept defined above this one", w, name)
			}
			continue
		}
		if head, ok := strings.CutPrefix(part, "*"); ok {
			if strings.Contains(head, "*") || utf8.RuneCountInString(head) < 3 {
				return msgf("%q: a word starting with * (the end of a compound) needs at least 3 letters after it and no other *", w)
			}
			part = head
		}
		stem, star := strings.CutSuffix(part, "*")
		if strings.Contains(stem, "*") {
			return msgf("%q: * may only end or start a word", w)
		}
		if n, ok := strings.CutPrefix(part, "#"); ok {
			if v, err := strconv.Atoi(strings.TrimSuffix(n, "+")); err != nil || v <= 0 || !strings.HasSuffix(n, "+") {
				return msgf("%q: write a number bound as #6+", w)
			}
			continue
		}
		ws := FoldedWords(DropApostrophes(stem))
		if len(ws) != 1 {
			return msgf("%q: write words of letters and digits (no punctuation inside a word)", w)
		}
		if star && utf8.RuneCountInString(ws[0]) < 3 {
			return msgf("%q: a word ending in * needs at least 3 letters before it", w)
		}
	}
	return message{}
}

func (l *loader) loadCrisis() {
	src, ok := l.read(CrisisFile, true)
	if !ok {
		return
	}
	var cr Crisis
	idx, ok := decodeStrict(&l.c, CrisisFile, src, 1, &cr)
	if !ok {
		return
	}
	top := pos{1, 1}
	concepts := map[string]bool{}
	for i, c := range cr.Concepts {
		at := func(field string) pos {
			return idx.at(fmt.Sprintf("concept.%d.%s", i, field), idx.at(fmt.Sprintf("concept.%d", i), top))
		}
		switch {
		case strings.TrimSpace(c.Name) == "":
			l.c.add(CrisisFile, at("name"), "a [[concept]] needs a name")
		case concepts[c.Name]:
			l.c.add(CrisisFile, at("name"), "concept %q is defined twice", c.Name)
		}
		if len(c.Words) == 0 {
			l.c.add(CrisisFile, at("words"), "concept %q has no words", c.Name)
		}
		seen := map[string]bool{}
		for _, w := range c.Words {
			if msg := crisisWordProblem(w, concepts); !msg.empty() {
				l.c.add(CrisisFile, at("words"), "concept %q: %s", c.Name, msg)
			}
			if seen[w] {
				l.c.warn(CrisisFile, at("words"), "concept %q: %q stands twice; once is enough", c.Name, w)
			}
			seen[w] = true
		}
		concepts[c.Name] = true
	}
	within := map[string]string{}
	for _, c := range cr.Concepts {
		if c.Within != "" {
			within[c.Name] = c.Within
		}
	}
	for i, c := range cr.Concepts {
		if c.Within == "" {
			continue
		}
		at := idx.at(fmt.Sprintf("concept.%d.within", i), idx.at(fmt.Sprintf("concept.%d", i), top))
		switch {
		case !concepts[c.Within]:
			l.c.add(CrisisFile, at, "concept %q is within unknown concept %q", c.Name, c.Within)
		case c.Within == c.Name:
			l.c.add(CrisisFile, at, "concept %q cannot be within itself", c.Name)
		case within[c.Within] != "":
			l.c.add(CrisisFile, at, "concept %q is within %q, which is itself within %q: use one level (within = %q)",
				c.Name, c.Within, within[c.Within], within[c.Within])
		}
	}
	if len(cr.Rules) == 0 {
		l.c.add(CrisisFile, top, "the crisis detector needs at least one [[rule]]")
	}
	for i, r := range cr.Rules {
		at := func(field string) pos {
			return idx.at(fmt.Sprintf("rule.%d.%s", i, field), idx.at(fmt.Sprintf("rule.%d", i), top))
		}
		if !slices.Contains(CrisisKinds, r.Kind) && r.Kind != SupportKind {
			l.c.add(CrisisFile, at("kind"), "unknown rule kind %q (use %s or %s)", r.Kind, strings.Join(CrisisKinds, ", "), SupportKind)
		}
		if len(r.All) == 0 {
			l.c.add(CrisisFile, at("all"), "a [[rule]] needs the concepts that must meet in all")
		}
		for _, group := range r.All {
			for _, c := range strings.Split(group, "|") {
				if !concepts[c] {
					l.c.add(CrisisFile, at("all"), "rule uses unknown concept %q", c)
				}
			}
		}
		if r.Window < 0 || r.Window > 40 {
			l.c.add(CrisisFile, at("window"), "window %d: use 1–40 words (default %d)", r.Window, DefaultRuleWindow)
		}
		if r.Alone < 0 || r.Alone == 1 || r.Alone > MaxRuleAlone {
			l.c.add(CrisisFile, at("alone"), "alone %d: use 2–%d words (a sentence of its own), or leave it out", r.Alone, MaxRuleAlone)
		}
		if r.Overrule && r.Kind == SupportKind {
			l.c.add(CrisisFile, at("overrule"), "overrule is for acute rules only: a support rule never shows the card")
		}
	}
	for i, x := range cr.Excepts {
		at := func(field string) pos {
			return idx.at(fmt.Sprintf("except.%d.%s", i, field), idx.at(fmt.Sprintf("except.%d", i), top))
		}
		if strings.TrimSpace(x.Reading) == "" {
			l.c.add(CrisisFile, at("reading"), "an [[except]] needs the harmless reading it stands for")
		}
		if len(x.Cues) == 0 || len(x.Cancels) == 0 {
			l.c.add(CrisisFile, at("cues"), "an [[except]] needs cues and the concepts it cancels")
		}
		for _, c := range x.Cancels {
			if !concepts[c] {
				l.c.add(CrisisFile, at("cancels"), "exception cancels unknown concept %q", c)
			}
		}
		for _, c := range x.Unless {
			if !concepts[c] {
				l.c.add(CrisisFile, at("unless"), "exception names unknown concept %q in unless", c)
			}
		}
		for _, c := range x.UnlessNext {
			if !concepts[c] {
				l.c.add(CrisisFile, at("unless_next"), "exception names unknown concept %q in unless_next", c)
			}
		}
		for _, w := range x.Cues {
			if msg := crisisWordProblem(w, concepts); !msg.empty() {
				l.c.add(CrisisFile, at("cues"), "exception %q: %s", x.Reading, msg)
			}
		}
		if x.Near < 0 || x.Near > 20 {
			l.c.add(CrisisFile, at("near"), "near %d: use 1–20 words (default %d)", x.Near, DefaultExceptNear)
		}
	}
	for key, v := range map[string]string{"card.title": cr.Card.Title, "card.intro": cr.Card.Intro,
		"card.title_en": cr.Card.TitleEN, "card.intro_en": cr.Card.IntroEN,
		"support.text": cr.Support.Text, "support.text_en": cr.Support.TextEN} {
		l.required(CrisisFile, idx, top, key, v)
	}
	l.checkCrisisLines(&cr, idx)
	l.base.Crisis = cr
	l.loadCrisisModel()
	l.loadCrisisExamples()
}

// loadCrisisModel reads crisis.model when there is one. It is not part of the base's version:
// it is derived from the other files, and a stale one is ignored (see Crisis.Model).
func (l *loader) loadCrisisModel() {
	data, err := readBounded(l.fsys, CrisisModelFile, MaxCrisisModelSize)
	switch {
	case isNotExist(err):
	case err != nil:
		l.c.warn(CrisisModelFile, pos{}, "the stored crisis classifier is not used: %v; the bot trains it at start-up (about a minute)", whyUnreadable(err))
	default:
		l.base.Crisis.Model = data
	}
}

func (l *loader) checkCrisisLines(cr *Crisis, idx keyIndex) {
	top := pos{1, 1}
	if len(cr.Lines) < 2 {
		l.c.add(CrisisFile, top, "the crisis card needs at least two [[line]]s, so help never hangs on one line")
	}
	ids := map[string]bool{}
	for i, ln := range cr.Lines {
		key := fmt.Sprintf("line.%d", i)
		at := func(field string) pos { return idx.at(key+"."+field, idx.at(key, top)) }
		if ln.Name == "" {
			l.c.add(CrisisFile, at("name"), "crisis line without name")
		}
		switch {
		case ln.ID == "":
			l.c.add(CrisisFile, at("name"), "crisis line %q needs an id (the [[kind]] tables list lines by id)", ln.Name)
		case ids[ln.ID]:
			l.c.add(CrisisFile, at("id"), "crisis line id %q is used twice", ln.ID)
		}
		ids[ln.ID] = true
		if ln.Phone == "" && ln.URL == "" {
			l.c.add(CrisisFile, at("name"), "crisis line %q needs a phone or a url", ln.Name)
		}
		if ln.Phone != "" && !phonePattern.MatchString(ln.Phone) {
			l.c.add(CrisisFile, at("phone"), "phone %q: write digits and spaces only", ln.Phone)
		}
		if ln.URL != "" {
			if msg := checkURL(ln.URL); !msg.empty() {
				l.c.add(CrisisFile, at("url"), "%s", msg)
			}
		}
		if ln.When == "" || ln.WhenEN == "" {
			l.c.add(CrisisFile, at("when"), "crisis line %q needs when and when_en", ln.Name)
		}
		if len(ln.Sources) == 0 {
			l.c.add(CrisisFile, at("name"), "crisis line %q needs sources: the pages that show its number, each with its own date", ln.Name)
		}
		for j, s := range ln.Sources {
			if msg := checkURL(s.URL); !msg.empty() {
				l.c.add(CrisisFile, at("sources"), "crisis line %q: source %d: %s", ln.Name, j+1, msg)
			}
			if _, ok := ParseSourceDate(s.Date); !ok && s.Date != Undated {
				l.c.add(CrisisFile, at("sources"), "crisis line %q: source %d: date %q: write the page's own date as \"YYYY-MM-DD\", \"YYYY-MM\", \"YYYY\" or %q",
					ln.Name, j+1, s.Date, Undated)
			}
		}
		if ln.Read.IsZero() && !l.c.isBad(CrisisFile, key+".read") {
			l.c.add(CrisisFile, at("name"), "crisis line %q needs read: the date its sources were read", ln.Name)
		}
		if !ln.Verified.IsZero() && ln.VerifiedHow != "opkald" && ln.VerifiedHow != "live side" {
			l.c.add(CrisisFile, at("verified"), "crisis line %q: verified needs verified_how = \"opkald\" or \"live side\" (a stored copy is not a verification)", ln.Name)
		}
		switch t, ok := ln.EvidenceDate(); {
		case len(ln.Sources) == 0:
		case !ok:
			l.c.warn(CrisisFile, at("sources"), "crisis line %q: no source shows a date; confirm it on the live page or by calling", ln.Name)
		case l.now.Sub(t) > CrisisLineMaxEvidenceAge:
			l.c.warn(CrisisFile, at("sources"), "crisis line %q: its newest evidence is from %s, more than two years old; confirm it on the live page or by calling",
				ln.Name, t.Format("2006"))
		}
	}
	kinds := map[string]bool{}
	for i, k := range cr.Kinds {
		key := fmt.Sprintf("kind.%d", i)
		at := func(field string) pos { return idx.at(key+"."+field, idx.at(key, top)) }
		if !slices.Contains(CrisisKinds, k.ID) {
			l.c.add(CrisisFile, at("id"), "unknown crisis kind %q (use %s)", k.ID, strings.Join(CrisisKinds, ", "))
		}
		kinds[k.ID] = true
		if k.Intro == "" || k.IntroEN == "" {
			l.c.add(CrisisFile, at("intro"), "crisis kind %q needs intro and intro_en", k.ID)
		}
		if len(k.Lines) < 2 {
			l.c.add(CrisisFile, at("lines"), "crisis kind %q needs at least two lines, so help never hangs on one line", k.ID)
		}
		for _, id := range k.Lines {
			if !ids[id] {
				l.c.add(CrisisFile, at("lines"), "crisis kind %q lists unknown line %q", k.ID, id)
			}
		}
		for j, s := range k.Sources {
			if msg := checkURL(s.URL); !msg.empty() {
				l.c.add(CrisisFile, at("sources"), "crisis kind %q: source %d: %s", k.ID, j+1, msg)
			}
		}
	}
	for _, k := range CrisisKinds {
		if !kinds[k] && len(cr.Kinds) > 0 {
			l.c.add(CrisisFile, top, "crisis kind %q has no [[kind]] card", k)
		}
	}
}

// exampleFileLine is what a crisis-example file adds to the base's version and to the
// examples' digest: its name, size and SHA-256.
func exampleFileLine(name string, size int, sum [sha256.Size]byte) []byte {
	return fmt.Appendf(nil, "%s\x00%d\x00%x", name, size, sum)
}

// trainedExamples hashes the example files without keeping them and, when crisis.model names
// their digest, returns them as a source to decode on first use, having added them to the
// base's version as loadCrisisExamples does. Otherwise, or when a file cannot be read within
// the limits, it changes nothing and returns false: the files are then read and decoded, and
// any problem reported. Streaming the bytes through the hash instead of copying their 38 MB
// into memory first took a cold `vejviser ask` from 0.74–1.09 s to 0.57–0.65 s (three runs
// each, 2026-12-05).
func (l *loader) trainedExamples(names []string) (*exampleSource, bool) {
	trained, _, ok := CrisisModelExamples(l.base.Crisis.Model)
	if !ok || len(names) == 0 {
		return nil, false
	}
	src := &exampleSource{fsys: l.fsys}
	digest := sha256.New()
	var lines [][]byte
	total := l.bytesRead
	h := sha256.New()
	for _, name := range names {
		h.Reset()
		n, err := copyBounded(h, l.fsys, name, MaxFileSize)
		total += int(n)
		if err != nil || total > MaxFolderBytes {
			return nil, false
		}
		sum := [sha256.Size]byte(h.Sum(nil))
		line := exampleFileLine(name, int(n), sum)
		digest.Write(line)
		lines = append(lines, line)
		src.lazy = append(src.lazy, exampleFile{name, sum})
	}
	if src.digest = hex.EncodeToString(digest.Sum(nil)); src.digest != trained {
		return nil, false
	}
	for _, line := range lines {
		l.hash.Write(line)
	}
	l.bytesRead = total
	return src, true
}

// loadCrisisExamples reads crisis-examples/*.toml. The folder is optional: without it the
// detector runs on its rules alone.
func (l *loader) loadCrisisExamples() {
	names, _ := fs.Glob(l.fsys, CrisisExamplesDir+"/*.toml")
	type file struct {
		name, src string
		exs       []CrisisExample
		ok        bool
		c         collector // the file's own problems, merged in file order
	}
	if l.lazyExamples {
		if src, ok := l.trainedExamples(names); ok {
			l.base.Crisis.source = src
			return
		}
	}
	var files []*file
	digest := sha256.New()
	for _, name := range names {
		data, ok := l.readData(name, true)
		if !ok {
			continue
		}
		// Each file's bytes are hashed once: its sum stands for them in the base's version and
		// in the examples' digest (hashing 38 MB takes about 60 ms here).
		line := exampleFileLine(name, len(data), sha256.Sum256(data))
		l.hash.Write(line)
		digest.Write(line)
		files = append(files, &file{name: name, src: fileText(data)})
	}
	src := &exampleSource{digest: hex.EncodeToString(digest.Sum(nil))}
	l.base.Crisis.source = src
	defer func() { src.decoded = l.base.Crisis.Examples }()
	// Decoding is most of a cold load (about 150 files, 75,000 examples); the files are
	// decoded side by side, each into a collector of its own, and merged in file order, so
	// the problems and examples are exactly those of decoding them one after another.
	work := make(chan *file)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				f.exs, f.ok = decodeCrisisExamplesCached(&f.c, f.name, f.src)
			}
		}()
	}
	for _, f := range files {
		if l.c.perFile[f.name] == 0 { // reading reported nothing: its problems can be merged
			work <- f
		}
	}
	close(work)
	wg.Wait()
	n := len(l.base.Crisis.Examples)
	for _, f := range files {
		if l.c.perFile[f.name] > 0 {
			f.exs, f.ok = decodeCrisisExamplesCached(&l.c, f.name, f.src)
		} else {
			l.c.merge(f.name, &f.c)
		}
		if f.ok {
			n += len(f.exs)
		}
	}
	// One allocation for all: appending file by file grew the slice some twenty times, and
	// copying it as it grew was a fifth of a cold `vejviser ask` (0.25 of 1.1 s in its
	// profile, 188,067 examples, 2026-12-04).
	l.base.Crisis.Examples = slices.Grow(l.base.Crisis.Examples, n-len(l.base.Crisis.Examples))
	for _, f := range files {
		if f.ok {
			l.base.Crisis.Examples = append(l.base.Crisis.Examples, f.exs...)
		}
	}
}

// decodedExamples keeps, per example file name, the examples decoded from its latest clean
// content. Decoding the starter base's 33,700 examples is most of a load (1.6 of 1.9 s under
// the race detector, profile of TestCheckOKSummary, 2026-12-01), and a reload, the watcher and
// the CLI's tests load the same unchanged files again and again. Only a file that decoded
// without a problem is kept, so a hit reports exactly what decoding it would.
var decodedExamples = struct {
	sync.Mutex
	m map[string]decodedExampleFile
}{m: map[string]decodedExampleFile{}}

// decodedExampleFile is a file's content and its examples. Keeping the content costs nothing
// for a file in the plain form, whose examples' texts are slices of it (decodeExamplesFast; every
// shipped file, TestFastExamplesMatchTOML), and comparing it is cheaper than hashing it.
type decodedExampleFile struct {
	src string
	exs []CrisisExample
}

// decodeCrisisExamplesCached is decodeCrisisExamples through decodedExamples. The slice it
// returns is shared: callers copy it (as append into the base does) and never change it.
func decodeCrisisExamplesCached(c *collector, file, src string) ([]CrisisExample, bool) {
	decodedExamples.Lock()
	hit, ok := decodedExamples.m[file]
	decodedExamples.Unlock()
	if ok && hit.src == src {
		return hit.exs, true
	}
	before := len(c.ps)
	exs, ok := decodeCrisisExamples(c, file, src)
	if ok && len(c.ps) == before && len(c.badLines[file]) == 0 {
		decodedExamples.Lock()
		decodedExamples.m[file] = decodedExampleFile{src, exs}
		decodedExamples.Unlock()
	}
	return exs, ok
}

// decodeCrisisExamples decodes a file of [[example]] tables strictly and checks each label.
// A file in the plain form is read without the TOML decoder (decodeExamplesFast) when all its
// labels are right; anything else, and any file with a problem, goes through the decoder, so
// problems are reported with their lines.
func decodeCrisisExamples(c *collector, file, src string) ([]CrisisExample, bool) {
	if exs, ok := decodeExamplesFast(src); ok && !slices.ContainsFunc(exs, func(e CrisisExample) bool {
		return len(exampleProblems(e)) > 0
	}) {
		for i := range exs {
			exs[i].File = path.Clean(file)
		}
		return exs, true
	}
	var f struct {
		Example []CrisisExample `toml:"example"`
	}
	idx, ok := decodeStrict(c, file, src, 1, &f)
	if !ok {
		return nil, false
	}
	for i := range f.Example {
		e := &f.Example[i]
		e.File = path.Clean(file)
		for _, p := range exampleProblems(*e) {
			c.add(file, idx.at(fmt.Sprintf("example.%d.%s", i, p.field), idx.at(fmt.Sprintf("example.%d", i), pos{})), "%v", p.m)
		}
	}
	return f.Example, true
}

// exampleLabelProblem is one wrong label of a crisis example: the key and what is wrong.
type exampleLabelProblem struct {
	field string
	m     message
}

// exampleProblems checks a crisis example's text and labels.
func exampleProblems(e CrisisExample) []exampleLabelProblem {
	var out []exampleLabelProblem
	if strings.TrimSpace(e.Text) == "" {
		out = append(out, exampleLabelProblem{"text", msgf("example without text")})
	}
	switch e.Tier {
	case TierAcute:
		if !slices.Contains(CrisisKinds, e.Kind) {
			out = append(out, exampleLabelProblem{"kind", msgf("an acute example needs a kind: %s", strings.Join(CrisisKinds, ", "))})
		}
	case TierSupport:
		if e.Kind != SupportKind {
			out = append(out, exampleLabelProblem{"kind", msgf("a support example has kind = %q", SupportKind)})
		}
	case TierNone:
		if !slices.Contains(HarmlessKinds, e.Kind) {
			out = append(out, exampleLabelProblem{"kind", msgf("an example of tier none needs a kind: %s", strings.Join(HarmlessKinds, ", "))})
		}
	default:
		out = append(out, exampleLabelProblem{"tier", msgf("tier %q: use %q, %q or %q", e.Tier, TierAcute, TierSupport, TierNone)})
	}
	if e.Lang != "" && e.Lang != "da" && e.Lang != "en" {
		out = append(out, exampleLabelProblem{"lang", msgf("lang %q: use \"da\" or \"en\"", e.Lang)})
	}
	return out
}

// LoadCrisisExamples reads one file of labelled crisis messages ([[example]] text, tier,
// kind, lang), e.g. a test set kept outside the knowledge folder. Unknown keys and bad labels
// are errors (a Problems).
func LoadCrisisExamples(fsys fs.FS, name string) ([]CrisisExample, error) {
	data, err := readBounded(fsys, name, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("read crisis examples: %w", err)
	}
	var c collector
	exs, ok := decodeCrisisExamples(&c, name, string(data))
	if !ok || len(c.ps.Errors()) > 0 {
		return nil, c.ps
	}
	return exs, nil
}

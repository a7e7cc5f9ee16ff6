// Package knowledge holds Vejviser's curated knowledge base: the editors' files in this folder
// (entries, local services, municipalities, synonyms, the crisis card and regression questions)
// and the Go code that reads and validates them.
//
// Load decodes every file strictly (unknown keys are errors), reports every fault in one run with
// its file, line and column, and returns an immutable *Base. A *Base is safe for concurrent use by
// many goroutines because nothing mutates it after Load returns.
package knowledge

import (
	"slices"
	"strings"
	"time"
)

// RegionWide is the kommune value of services that serve every municipality in the region
// (national lines, regional psychiatry, eVejledning). It is also the file's `kommune` value.
const RegionWide = "Region Midtjylland"

// Entry is one knowledge entry: a Danish title, summary and Markdown body with an English
// translation, the sources it cites and the kinds of local service to show with it.
type Entry struct {
	ID          string    `toml:"id"`
	Title       string    `toml:"title"`
	Summary     string    `toml:"summary"`
	Keywords    []string  `toml:"keywords"`
	Audience    []string  `toml:"audience"`
	Reviewed    time.Time `toml:"reviewed"`
	ReviewEvery int       `toml:"review_every"` // days; DefaultReviewEvery when zero
	Services    []string  `toml:"services"`     // service kinds shown with the entry
	Related     []string  `toml:"related"`      // ids of related entries
	Unconfirmed []string  `toml:"unconfirmed"`  // facts the editors could not confirm yet
	// Aliases are the names of the offer itself and their common spellings ("FGU",
	// "forberedende grunduddannelse"): a question that names one is about this entry.
	Aliases []string `toml:"aliases"`
	// PartOf is the id of the offer this entry tells one side of (its price, the allowance paid
	// there, how to apply early): the offer's aliases name this entry too, so a question that
	// names the offer lifts both, and the question's other words decide between them.
	PartOf string `toml:"part_of"`
	// Questions are ways young people and counsellors ask for this entry, in Danish; the
	// index matches a question against them.
	Questions []string `toml:"questions"`
	Sources   []Source `toml:"sources"`
	// Amounts are the figures that change over time, named in the texts as {beløb:id}.
	Amounts []Amount    `toml:"amount"`
	EN      Translation `toml:"en"`

	// Body is the Danish Markdown after the front matter.
	Body string `toml:"-"`
	// File is the path of the entry inside the knowledge folder, e.g. "entries/fgu.md".
	File string    `toml:"-"`
	raw  *rawTexts // the texts with amount placeholders; nil without amounts
}

// DefaultReviewEvery is the review interval in days of an entry without review_every.
const DefaultReviewEvery = 365

// ReviewDue returns the date by which the entry should be reviewed again.
func (e *Entry) ReviewDue() time.Time {
	days := e.ReviewEvery
	if days <= 0 {
		days = DefaultReviewEvery
	}
	return e.Reviewed.AddDate(0, 0, days)
}

// Localized returns the entry's title, summary and body in lang ("da" or "en"). English falls
// back to Danish field by field where the translation is empty.
func (e *Entry) Localized(lang string) (title, summary, body string) {
	title, summary, body = e.Title, e.Summary, e.Body
	if lang == "en" {
		if e.EN.Title != "" {
			title = e.EN.Title
		}
		if e.EN.Summary != "" {
			summary = e.EN.Summary
		}
		if e.EN.Body != "" {
			body = e.EN.Body
		}
	}
	return title, summary, body
}

// Translation is the English version of an entry.
type Translation struct {
	Title     string   `toml:"title"`
	Summary   string   `toml:"summary"`
	Keywords  []string `toml:"keywords"`
	Questions []string `toml:"questions"`
	Body      string   `toml:"body"`
}

// Source is a cited source of an entry.
type Source struct {
	Title string `toml:"title"`
	URL   string `toml:"url"`
	// Date is the page's own date ("2024-05-01", "2024-05", "2024") or "udateret" when the page
	// shows none: how old the evidence is, not when it was read.
	Date string `toml:"date"`
}

// Service is a local (or region-wide) service that a young person can contact.
type Service struct {
	Kommune string `toml:"-"` // the municipality's name, or RegionWide
	Kind    string `toml:"kind"`
	Name    string `toml:"name"`
	URL     string `toml:"url"`
	Phone   string `toml:"phone"`
	Address string `toml:"address"`
	Status  string `toml:"status"` // one of the Status* constants
	// Verified is when a person confirmed the service on its live page or by calling, and
	// VerifiedHow says which ("live side" or "telefon"). Only for StatusConfirmed.
	Verified    time.Time `toml:"verified"`
	VerifiedHow string    `toml:"verified_how"`
	// Source is where name, url, phone and address were seen; Read is when it was read and
	// SourceDate is the page's own date ("2024-05-01", "2024-05", "2024" or "udateret").
	Source     string    `toml:"source"`
	Read       time.Time `toml:"read"`
	SourceDate string    `toml:"source_date"`
	Note       string    `toml:"note"`
	NoteEN     string    `toml:"note_en"`
	File       string    `toml:"-"`
}

// Service status values, as editors write them.
const (
	StatusConfirmed   = "bekræftet"      // a person confirmed it on the live page or by calling
	StatusSeen        = "set på kilden"  // name and url (and phone/address if given) seen on the source
	StatusKommuneSite = "kommunens side" // only the municipality's own site is shown by the source
	StatusUnconfirmed = "ikke bekræftet" // to be checked before it is relied on
)

// How a person confirmed a service (Service.VerifiedHow).
const (
	VerifiedLivePage = "live side" // read on the live page itself, not a stored copy
	VerifiedByPhone  = "telefon"   // called
)

// ServiceEvidenceYears is the age in years beyond which check warns about a service's
// evidence (issue 9: "a service's over three").
const ServiceEvidenceYears = 3

// EvidenceDate returns the date of the service's evidence (its source's own date), and false
// when the source is undated or the date cannot be read.
func (s Service) EvidenceDate() (time.Time, bool) {
	if s.SourceDate == "" || s.SourceDate == Undated {
		return time.Time{}, false
	}
	return ParseSourceDate(s.SourceDate)
}

// Kind describes a kind of service, with labels for both languages. Which kinds are offered as
// people to talk to is bot's choice (humanKinds, crisisKinds in bot/respond.go).
type Kind struct {
	ID, DA, EN string
}

// Kinds lists every service kind an editor may use, in display order.
var Kinds = []Kind{
	{"kui", "Ungdomsvejledning (kommunal ungeindsats)", "Youth guidance (municipal youth service)"},
	{"jobcenter", "Jobcenter", "Job centre"},
	{"fgu", "FGU-skole", "FGU school"},
	{"hf-vuc", "HF og VUC", "HF and adult education (VUC)"},
	{"headspace", "headspace (gratis, anonym samtale)", "headspace (free, anonymous talk)"},
	{"radgivning", "Anonym rådgivning", "Anonymous counselling"},
	{"selvmord", "Hjælp ved selvmordstanker", "Help with thoughts of suicide"},
	{"misbrug", "Rådgivning om alkohol og stoffer", "Alcohol and drug counselling"},
	{"spil", "Hjælp ved spilproblemer", "Help with gambling problems"},
	{"gaeld", "Gratis gældsrådgivning", "Free debt counselling"},
	{"evejledning", "eVejledning (national vejledning)", "eVejledning (national guidance)"},
	{"sps", "Specialpædagogisk støtte (SPS)", "Special educational support (SPS)"},
	{"su", "SU", "SU (student grant)"},
	{"psykiatri", "Psykiatri", "Psychiatry"},
	{"laegevagt", "Lægevagten", "Out-of-hours doctor"},
	{"civilsamfund", "Frivillige og foreninger", "Volunteers and associations"},
	{"ungdomsskole", "Ungdomsskole", "Youth school"},
	{"kommune", "Kommunen", "The municipality"},
	{"job", "Job og praktik", "Jobs and work placements"},
}

// KindByID returns the kind with the given id.
func KindByID(id string) (Kind, bool) {
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.ID == id })
	if i < 0 {
		return Kind{}, false
	}
	return Kinds[i], true
}

// Kommune is one of the municipalities of Region Midtjylland with the towns and spellings that
// identify it in a question.
type Kommune struct {
	Name      string   `toml:"name"`
	Spellings []string `toml:"spellings"` // other ways to write the municipality's name
	Towns     []string `toml:"towns"`
	// Ambiguous lists town names that are also ordinary words ("Tarm", "Ry"); they count only
	// after a place word such as "i", "fra" or "ved".
	Ambiguous []string `toml:"ambiguous"`
}

// Synonym is a group of terms that mean the same thing to a young person ("su", "statens
// uddannelsesstøtte"). A question containing one term also searches for the others.
type Synonym struct {
	Terms []string `toml:"terms"`
}

// Question is a regression question: the entries that should answer it and what else the
// answer must get right.
type Question struct {
	Text     string   `toml:"text"`
	Want     []string `toml:"want"`
	Kommune  string   `toml:"kommune"`
	Crisis   bool     `toml:"crisis"`
	Offtopic bool     `toml:"offtopic"`
	Lang     string   `toml:"lang"`
	// Source is where a real question was asked in public (a URL); eval does not read it.
	Source string `toml:"source"`
}

// OutsideTopic is a subject people ask about that no entry covers – tax, a family doctor,
// citizenship – with the ways they ask about it. The index matches a question against these
// as against the entries, and a question an outside topic fits better than any entry is not
// answered sure: the bot says it does not cover the subject instead of offering an entry that
// shares a word with it. Outside topics are never shown as answers.
type OutsideTopic struct {
	ID string `toml:"id"`
	// Title names the subject in Danish as the reply names it ("skat").
	Title     string   `toml:"title"`
	Keywords  []string `toml:"keywords"`
	Questions []string `toml:"questions"`
	EN        struct {
		Title     string   `toml:"title"`
		Keywords  []string `toml:"keywords"`
		Questions []string `toml:"questions"`
	} `toml:"en"`
}

// TitleIn returns the topic's name in lang ("da" or "en"), Danish when it has no English one.
func (t OutsideTopic) TitleIn(lang string) string {
	if lang == "en" && t.EN.Title != "" {
		return t.EN.Title
	}
	return t.Title
}

// Base is a loaded, validated knowledge base. It is immutable and safe for concurrent use.
type Base struct {
	Entries []*Entry
	// Outside lists the subjects no entry covers (OutsideFile).
	Outside   []OutsideTopic
	Services  []Service
	Kommuner  []Kommune
	Synonyms  []Synonym
	Crisis    Crisis
	Questions []Question
	// Asked are the questions of AskedDir: those entries answer, with those entries, and
	// those no entry answers (Offtopic).
	Asked []Question
	// Version identifies the files' content: a short hash that changes with any edit.
	Version string
	// Warnings are problems that do not stop the base from serving (stale reviews).
	Warnings []Problem

	byID map[string]*Entry
}

// Entry returns the entry with the given id.
func (b *Base) Entry(id string) (*Entry, bool) {
	e, ok := b.byID[id]
	return e, ok
}

// OutsideTopic returns the outside topic with the given id.
func (b *Base) OutsideTopic(id string) (OutsideTopic, bool) {
	i := slices.IndexFunc(b.Outside, func(t OutsideTopic) bool { return t.ID == id })
	if i < 0 {
		return OutsideTopic{}, false
	}
	return b.Outside[i], true
}

// Kommune returns the municipality whose name (or one of its spellings) is name, compared
// without regard to case.
func (b *Base) Kommune(name string) (Kommune, bool) {
	for _, k := range b.Kommuner {
		if strings.EqualFold(k.Name, name) {
			return k, true
		}
		for _, s := range k.Spellings {
			if strings.EqualFold(s, name) {
				return k, true
			}
		}
	}
	return Kommune{}, false
}

// ServicesFor returns the services of the given kinds in kommune, in the order of kinds. For a
// kind that the municipality has no service of, the region-wide services of that kind are
// returned instead. With an empty kommune only region-wide services are returned. When all of
// a municipality's services of a kind are unconfirmed (StatusUnconfirmed), the region-wide
// services of that kind follow the whole list, so a young person is not left with only a lead
// an editor has not checked; they come last, where a short list cuts them first.
func (b *Base) ServicesFor(kommune string, kinds []string) []Service {
	var out, after []Service
	for _, kind := range kinds {
		var local, region []Service
		unchecked := true
		for _, s := range b.Services {
			if s.Kind != kind {
				continue
			}
			switch {
			case kommune != "" && kommune != RegionWide && s.Kommune == kommune:
				local = append(local, s)
				unchecked = unchecked && s.Status == StatusUnconfirmed
			case s.Kommune == RegionWide:
				region = append(region, s)
			}
		}
		switch {
		case len(local) == 0:
			out = append(out, region...)
		case unchecked:
			out = append(out, local...)
			after = append(after, region...)
		default:
			out = append(out, local...)
		}
	}
	return append(out, after...)
}

// Hit is one search result: an entry id and its relevance score (higher is better). It is the
// vocabulary shared by the index and the engine.
type Hit struct {
	ID    string
	Score float64
	// Coverage is the share (0–1) of the question's content words that the entry matched,
	// weighted by how rare each word is. The engine uses it to tell a real answer from a
	// stray match.
	Coverage float64
	// Words is the number of content words in the question (after stop words and place
	// names); long questions carry more incidental words, so the engine asks less coverage.
	Words int
	// Strong reports whether a question word matched the entry's title or keywords.
	Strong bool
	// Evidence is the matched part of the question in units of the rarest word: about 1 for
	// one rare word matched in a title, less for common words or body matches. Long
	// questions that match several topic words have much evidence even when their coverage
	// is diluted by context.
	Evidence float64
	// Alias reports whether the question names the entry's offer by one of its aliases
	// ("FGU", "headspace").
	Alias bool
	// QuestionCoverage is the share of the question's content words (weighted by rarity)
	// that occur in the entry's example questions: how much the question reads like the ways
	// people ask for this entry.
	QuestionCoverage float64
	// Unknown is the share of the question's content-word weight that the knowledge base
	// does not know at all (no word, stem, correction or compound part).
	Unknown float64
	// Asked is how closely the question matches the nearest of the entry's example questions
	// (0–1, a rarity-weighted Dice coefficient over stems).
	Asked float64
	// Outside is the id of an outside topic (Base.Outside) that fits the question better than
	// this entry does, or "".
	Outside string
	// OffTopic is how much more the question reads like the questions no entry answers
	// (off-topic questions people asked, outside topics) than like the entry that reads most
	// like it, as the index's learned model of question wording scores them: a log-likelihood
	// ratio per word, within ±3; 0 when the model knows none of the question's words, and a
	// middling −1.2 when nothing taught it what off-topic questions look like. The same for
	// every hit of a search.
	OffTopic float64
	// NearOffTopic is the share of off-topic questions among the questions people asked that
	// read most like this one (0–1, weighted by how alike they read). The same for every hit
	// of a search.
	NearOffTopic float64
	// OffTopicOdds is the log-odds that the question is one no entry answers, as a logistic
	// regression over its words and word pairs, learned from the labelled questions people
	// asked and the example questions of entries and outside topics, reads it (within ±8; a
	// middling −3.36 when nothing taught it). The same for every hit of a search.
	OffTopicOdds float64
	// Adult reports that the question gives people's ages and every one is AdultFrom or more
	// (OnlyAdults): it is about someone outside the audience. The same for every hit of a
	// search.
	Adult bool
	// EntryProb is this entry's probability by the index's entry model, a logistic regression
	// over the question's words and word pairs learned from the entries' texts and the answered
	// questions people asked; 1 for an entry the question names (Alias); 0 without the model.
	EntryProb float64
}

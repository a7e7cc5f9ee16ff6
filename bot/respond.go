package bot

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vejviser/vejviser/knowledge"
)

// Relevance thresholds. A hit must cover MinCoverage of the question's content words
// (weighted by rarity) to be an answer, less for long questions (see minCoverage); further
// hits need MinCoverageOther and a score not far below the best.
const (
	MinCoverage      = 0.5
	MinCoverageOther = 0.34
	MinScoreShare    = 0.15
	// MinEvidence lets a question of four or more content words through on what it
	// matched, however much else it says: about one rare topic word in the entry's title or
	// keywords and a little more. Measured on 290 questions from three sets, off-topic
	// questions of that length reached at most 0.61, on-topic ones at least 0.80.
	MinEvidence = 0.75
)

// minCoverage is the coverage the best hit needs for a question of n content words: half
// for short questions, down to a third for long ones, whose extra words are often context
// ("jeg er 19 og bor hjemme") rather than topic.
func minCoverage(n int) float64 {
	switch {
	case n <= 2:
		return MinCoverage
	case n <= 4:
		return 0.42
	default:
		return 0.34
	}
}

// MaxQuestionLen is the most runes of a question that the search reads; the rest is ignored
// by the search. The crisis detector reads the whole message, whatever its length.
const MaxQuestionLen = 1000

// CrisisSearchBudget is how long a crisis answer waits for related entries from the index;
// the crisis card itself never waits for it.
const CrisisSearchBudget = 300 * time.Millisecond

// MaxServices is the most services an answer lists.
const MaxServices = 6

// humanKinds are the services offered when the bot has no answer or the person asks for a
// human.
var humanKinds = []string{"kui", "evejledning", "headspace", "radgivning"}

// crisisKinds are the services listed under the crisis card.
var crisisKinds = []string{"laegevagt", "psykiatri", "headspace", "radgivning"}

// cleanQuestion makes text valid UTF-8, trims it and cuts it to MaxQuestionLen runes (for the
// search; the crisis detector reads the whole message).
func cleanQuestion(text string) string {
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	if utf8.RuneCountInString(text) > MaxQuestionLen {
		text = strings.TrimSpace(string([]rune(text)[:MaxQuestionLen]))
	}
	return text
}

// Answer answers a question. It never fails because the index does: the crisis card is
// decided from crisis.toml before any search, and a failed search gives the no-answer path
// with the human routes. It returns an error only when ctx ends first, and never for a
// crisis question: that gets its card even then.
func (e *Engine) Answer(ctx context.Context, q Question) (Answer, error) {
	start := time.Now()
	g := e.acquire()
	defer g.release()
	base := g.base
	text := cleanQuestion(q.Text)
	risk := g.crisis.Detect(q.Text) // the whole message, before any search

	a := Answer{Question: text, Entries: []EntryRef{}, Services: []ServiceRef{}, KnowledgeVersion: base.Version}
	a.Language = DetectLanguage(text, q.Lang)
	if k, ok := base.Kommune(strings.TrimSpace(q.Kommune)); ok {
		a.Kommune, a.KommuneFrom = k.Name, "option"
	} else if k := g.kommuner.detect(text); k != "" {
		a.Kommune, a.KommuneFrom = k, "text"
	}
	a.Crisis, a.Tier = risk.Acute(), risk.Tier
	if a.Crisis {
		a.CrisisKinds = risk.Kinds
	}

	limit := q.Limit
	if limit <= 0 || limit > MaxEntries {
		limit = MaxEntries
	}
	var hits []knowledge.Hit
	var searchErr error
	switch {
	case len(knowledge.Words(text)) == 0:
	case a.Crisis:
		hits, searchErr = e.crisisSearch(ctx, g, text, a.Language)
	default:
		hits, searchErr = e.search(ctx, g, text, a.Language)
	}
	if ctx.Err() != nil && !a.Crisis {
		return Answer{}, ctx.Err()
	}
	hits = relevant(hits)

	if a.Crisis {
		e.crisisAnswer(&a, base, hits, limit)
	} else {
		for _, h := range hits[:min(limit, len(hits))] {
			if en, ok := base.Entry(h.ID); ok {
				a.Entries = append(a.Entries, entryRef(en, a.Language, h.Score))
			}
		}
		a.Answered = len(a.Entries) > 0
	}
	if a.Tier == knowledge.TierSupport {
		a.Support = supportLine(base.Crisis.Support, a.Language, a.Kommune)
	}
	if a.Answered && !a.Crisis {
		top, _ := base.Entry(a.Entries[0].ID)
		_, a.Reply, _ = top.Localized(a.Language)
		a.Services = e.servicesFor(base, a.Kommune, a.Language, entryKinds(base, a.Entries))
	}
	if !a.Answered {
		a.Reply = noAnswerReply(a.Language, a.Kommune, searchErr != nil)
		if isSmallTalk(text) {
			a.Reply = introReply(a.Language)
		}
		a.Services = e.servicesFor(base, a.Kommune, a.Language, humanKinds)
	}
	top := ""
	if len(a.Entries) > 0 {
		top = a.Entries[0].ID
	}
	errClass := ""
	if searchErr != nil {
		errClass = "search"
	}
	e.opts.Logger.Info("answer", "lang", a.Language, "kommune_known", a.Kommune != "", "crisis", a.Crisis, "tier", a.Tier,
		"answered", a.Answered, "top", top, "entries", len(a.Entries), "error", errClass,
		"us", time.Since(start).Microseconds())
	return a, nil
}

// search asks the generation's searcher, turning a panic into an error so that a broken
// index never takes the crisis card down with it.
func (e *Engine) search(ctx context.Context, g *generation, text, lang string) (hits []knowledge.Hit, err error) {
	defer func() {
		if r := recover(); r != nil {
			hits, err = nil, errSearchPanic
		}
	}()
	hits, err = g.searcher.Search(ctx, text, lang, MaxEntries*2)
	if err != nil {
		e.opts.Logger.Warn("search failed", "error_class", "search")
		return nil, err
	}
	return hits, nil
}

// crisisSearch looks for entries related to a crisis question, giving the index at most
// CrisisSearchBudget: the crisis card must not wait for a slow or hanging index, whether or
// not the searcher honours its context.
func (e *Engine) crisisSearch(ctx context.Context, g *generation, text, lang string) ([]knowledge.Hit, error) {
	ctx, cancel := context.WithTimeout(ctx, CrisisSearchBudget)
	defer cancel()
	type result struct {
		hits []knowledge.Hit
		err  error
	}
	done := make(chan result, 1)
	go func() {
		hits, err := e.search(ctx, g, text, lang)
		done <- result{hits, err}
	}()
	select {
	case r := <-done:
		return r.hits, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type searchPanic struct{}

func (searchPanic) Error() string { return "bot: search panicked" }

var errSearchPanic error = searchPanic{}

// relevant keeps the hits that really answer, best first. The question counts as answered
// when one of the best hits matched a word of its title or keywords and covers enough of the
// question (or, for a long question, matched enough rare words): see answers. Then every hit
// that matched its title or keywords, covers MinCoverageOther and scores near the best is
// listed, so a close second is not lost.
func relevant(hits []knowledge.Hit) []knowledge.Hit {
	answered := false
	for _, h := range hits[:min(len(hits), MaxEntries)] {
		answered = answered || (h.Strong && answers(h))
	}
	if !answered {
		return nil
	}
	var out []knowledge.Hit
	for _, h := range hits {
		if !h.Strong || (!answers(h) && h.Coverage < MinCoverageOther) {
			continue
		}
		if len(out) > 0 && h.Score < MinScoreShare*out[0].Score {
			continue
		}
		out = append(out, h)
	}
	return out
}

// answers reports whether a hit is good enough to be the answer.
func answers(h knowledge.Hit) bool {
	return h.Coverage >= minCoverage(h.Words) || (h.Words >= 4 && h.Evidence >= MinEvidence)
}

func (e *Engine) crisisAnswer(a *Answer, base *knowledge.Base, hits []knowledge.Hit, limit int) {
	a.Answered = true
	a.CrisisCard = crisisCard(base.Crisis, a.Language, a.CrisisKinds)
	a.Reply = a.CrisisCard.Intro
	if en, ok := base.Entry(knowledge.CrisisEntryID); ok {
		a.Entries = append(a.Entries, entryRef(en, a.Language, 0))
	}
	for _, h := range hits {
		if len(a.Entries) >= limit {
			break
		}
		if en, ok := base.Entry(h.ID); ok && h.ID != knowledge.CrisisEntryID {
			a.Entries = append(a.Entries, entryRef(en, a.Language, h.Score))
		}
	}
	a.Services = e.servicesFor(base, a.Kommune, a.Language, crisisKinds)
}

// CrisisCardFor returns the general crisis card in lang from the live knowledge base. It does
// not touch the index.
func (e *Engine) CrisisCardFor(lang string) *CrisisCard {
	return crisisCard(e.Base().Crisis, lang, nil)
}

func entryRef(en *knowledge.Entry, lang string, score float64) EntryRef {
	title, summary, _ := en.Localized(lang)
	r := EntryRef{ID: en.ID, Title: title, Excerpt: summary, Reviewed: day(en.Reviewed), Score: roundScore(score)}
	for _, s := range en.Sources {
		r.Sources = append(r.Sources, SourceRef{Title: s.Title, URL: s.URL})
	}
	if len(r.Sources) > 0 {
		r.URL = r.Sources[0].URL
	}
	return r
}

func roundScore(s float64) float64 { return float64(int(s*1000+0.5)) / 1000 }

func entryKinds(base *knowledge.Base, refs []EntryRef) []string {
	var kinds []string
	for _, r := range refs {
		if en, ok := base.Entry(r.ID); ok {
			for _, k := range en.Services {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
	}
	return kinds
}

func (e *Engine) servicesFor(base *knowledge.Base, kommune, lang string, kinds []string) []ServiceRef {
	out := []ServiceRef{}
	for _, s := range base.ServicesFor(kommune, kinds) {
		if len(out) == MaxServices {
			break
		}
		out = append(out, serviceRef(s, lang))
	}
	return out
}

func serviceRef(s knowledge.Service, lang string) ServiceRef {
	k, _ := knowledge.KindByID(s.Kind)
	label, note := k.DA, s.Note
	if lang == English {
		label = k.EN
		if s.NoteEN != "" {
			note = s.NoteEN
		}
	}
	return ServiceRef{Name: s.Name, Kind: s.Kind, Label: label, Kommune: s.Kommune, URL: s.URL, Phone: s.Phone,
		Address: s.Address, Note: note, Status: s.Status, Verified: day(s.Verified)}
}

// HumanServices returns the people to talk to in kommune (or region-wide): youth guidance,
// eVejledning, headspace and anonymous counselling.
func (e *Engine) HumanServices(kommune, lang string) []ServiceRef {
	base := e.Base()
	if k, ok := base.Kommune(kommune); ok {
		kommune = k.Name
	} else {
		kommune = ""
	}
	return e.servicesFor(base, kommune, lang, humanKinds)
}

// smallTalk are the words of greetings and questions about the bot itself.
var smallTalk = wordSet(`hej hejsa hey hi hello halløj goddag godmorgen godaften yo tak thanks thank you hjælpen for
	hvem hvad er du kan who what are can do you help hjælpe hjælp vejviser bot med with me mig`)

// isSmallTalk reports whether text is only a greeting or a question about the bot ("hej",
// "hvad kan du?", "who are you").
func isSmallTalk(text string) bool {
	words := knowledge.Words(text)
	if len(words) == 0 || len(words) > 6 {
		return false
	}
	for _, w := range words {
		if !smallTalk[w] {
			return false
		}
	}
	return true
}

// introReply tells what the bot is and what to ask it.
func introReply(lang string) string {
	if lang == English {
		return "Hi! I'm Vejviser, a bot that helps young people in Region Midtjylland find their way to " +
			"education, jobs, student grants (SU) and support. Ask me for example \"what is FGU?\", \"can I get " +
			"a disability supplement to my SU?\" or \"I live in Grenaa and want to talk to a counsellor\". " +
			"I'm not a counsellor, but I can show you where to get help:"
	}
	return "Hej! Jeg er Vejviser, en bot der hjælper unge i Region Midtjylland videre med uddannelse, job, SU " +
		"og trivsel. Spørg mig fx: \"hvad er FGU?\", \"kan jeg få handicaptillæg til min SU?\" eller " +
		"\"jeg bor i Grenaa og vil gerne tale med en vejleder\". Jeg er ikke rådgiver, men jeg kan vise dig, " +
		"hvor du kan få hjælp:"
}

func noAnswerReply(lang, kommune string, broken bool) string {
	if lang == English {
		s := "Sorry, I don't have a good answer to that in my knowledge base. A person can help you further:"
		if broken {
			s = "Sorry, I can't search my knowledge base right now. A person can help you:"
		}
		if kommune == "" {
			s += " (tell me which municipality you live in, and I can show local help)"
		}
		return s
	}
	s := "Det har jeg desværre ikke et godt svar på i min viden. En person kan hjælpe dig videre:"
	if broken {
		s = "Jeg kan desværre ikke søge i min viden lige nu. En person kan hjælpe dig:"
	}
	if kommune == "" {
		s += " (skriv hvilken kommune du bor i, så kan jeg vise hjælp tæt på dig)"
	}
	return s
}

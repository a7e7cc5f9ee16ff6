package bot

import (
	"slices"
	"strings"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// Offer returns a counsellor's card for one entry: the entry and its local services in
// kommune, as an Answer. ok is false when no entry has that id.
func (e *Engine) Offer(id, kommune, lang string) (a Answer, ok bool) {
	base := e.Base()
	en, found := base.Entry(strings.TrimSpace(id))
	if !found {
		return Answer{}, false
	}
	if lang != English {
		lang = Danish
	}
	a = Answer{Question: id, Language: lang, Answered: true, Entries: []EntryRef{e.entryRef(en, lang, 0)},
		KnowledgeVersion: base.Version}
	if k, ok := base.Kommune(kommune); ok {
		a.Kommune, a.KommuneFrom = k.Name, "option"
	}
	_, a.Reply = en.SummaryAt(lang, e.opts.Now())
	a.Services = e.servicesFor(base, a.Kommune, lang, en.Services)
	return a, true
}

// Suggestion is an entry offered while someone types (autocomplete).
type Suggestion struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Suggest returns up to n entries whose title, id or keywords contain every word of prefix,
// titles that start with it first. An empty prefix lists entries by title.
func (e *Engine) Suggest(prefix, lang string, n int) []Suggestion {
	base := e.Base()
	want := knowledge.FoldedWords(prefix)
	type scored struct {
		s    Suggestion
		rank int
	}
	var all []scored
	for _, en := range base.Entries {
		title, _, _ := en.Localized(lang)
		hay := knowledge.Fold(strings.Join(append([]string{title, en.ID, en.Title}, append(en.Keywords, en.EN.Keywords...)...), " "))
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(hay, w)
		}
		if !ok {
			continue
		}
		rank := 2
		if len(want) > 0 && strings.HasPrefix(knowledge.Fold(title), want[0]) {
			rank = 0
		} else if len(want) > 0 && strings.Contains(knowledge.Fold(title), want[0]) {
			rank = 1
		}
		all = append(all, scored{Suggestion{ID: en.ID, Title: title}, rank})
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(knowledge.Fold(a.s.Title), knowledge.Fold(b.s.Title))
	})
	out := []Suggestion{}
	for _, s := range all {
		if len(out) == n {
			break
		}
		out = append(out, s.s)
	}
	return out
}

// KommuneNames returns the municipalities' names in the order of kommuner.toml.
func (e *Engine) KommuneNames() []string {
	var out []string
	for _, k := range e.Base().Kommuner {
		out = append(out, k.Name)
	}
	return out
}

// About describes the knowledge base being served.
type About struct {
	Version  string `json:"version"`
	Entries  int    `json:"entries"`
	Services int    `json:"services"`
	Kommuner int    `json:"kommuner"`
	// OldestReview is the earliest reviewed date of any entry (YYYY-MM-DD).
	OldestReview string `json:"oldest_review"`
	// NewestReview is the latest reviewed date of any entry.
	NewestReview string `json:"newest_review"`
	// DueForReview counts entries past their review date.
	DueForReview int `json:"due_for_review"`
}

// About returns facts about the knowledge base being served.
func (e *Engine) About() About {
	base := e.Base()
	a := About{Version: base.Version, Entries: len(base.Entries), Services: len(base.Services), Kommuner: len(base.Kommuner)}
	var oldest, newest time.Time
	now := e.opts.Now()
	for _, en := range base.Entries {
		if oldest.IsZero() || en.Reviewed.Before(oldest) {
			oldest = en.Reviewed
		}
		if en.Reviewed.After(newest) {
			newest = en.Reviewed
		}
		if !now.Before(en.ReviewDue()) {
			a.DueForReview++
		}
	}
	a.OldestReview, a.NewestReview = day(oldest), day(newest)
	return a
}

// EntryDetail is an entry's full text for "read more": its body (Markdown, amounts filled in
// for today), its sources and its related entries.
type EntryDetail struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	Body     string       `json:"body"`
	Sources  []SourceRef  `json:"sources"`
	Reviewed string       `json:"reviewed"`
	Related  []Suggestion `json:"related"`
	Language string       `json:"language"`
}

// Entry returns the full text of entry id in lang; false when there is no such entry.
func (e *Engine) Entry(id, lang string) (EntryDetail, bool) {
	en, ok := e.Base().Entry(strings.TrimSpace(id))
	if !ok {
		return EntryDetail{}, false
	}
	if lang != English {
		lang = Danish
	}
	ref := e.entryRef(en, lang, 0)
	title, _, body := en.LocalizedAt(lang, e.opts.Now())
	return EntryDetail{ID: en.ID, Title: title, Body: body, Sources: ref.Sources, Reviewed: ref.Reviewed, Language: lang,
		Related: ref.Related}, true
}

package bot

import "time"

// Question is what a front end asks the engine.
type Question struct {
	// Text is the question as the person wrote it. It is never logged or stored.
	Text string
	// Kommune is a municipality chosen outside the text (a picker, a command option or a
	// member's role). It wins over a municipality named in the text. Empty means none.
	Kommune string
	// Lang is a hint ("da" or "en", e.g. from a Discord locale) used only when the text itself
	// does not tell the language. Empty means Danish.
	Lang string
	// Limit caps the number of entries returned; zero means MaxEntries.
	Limit int
	// Again marks the same question asked again (another kommune, a button on an answer):
	// it is not counted a second time for the editors.
	Again bool
}

// MaxEntries is the most entries an answer carries.
const MaxEntries = 3

// Answer is the engine's reply to a Question, in a form every front end renders its own way.
// Its JSON form is the one printed by `vejviser ask --json` and served by the preview's
// /api/ask.
type Answer struct {
	Question string `json:"question"`
	// Language is "da" or "en": the language the reply is written in.
	Language string `json:"language"`
	// Kommune is the municipality the answer is for ("" when unknown).
	Kommune string `json:"kommune"`
	// KommuneFrom tells where Kommune came from: "option", "text" or "".
	KommuneFrom string `json:"kommune_from,omitempty"`
	// Crisis is true when the message shows acute danger (tier "acute"); CrisisCard then holds
	// the card for the kinds found and the krisehjaelp entry comes first.
	Crisis bool `json:"crisis"`
	// Tier is "acute" (the crisis card), "support" (distress without acute signs: the normal
	// answer plus Support) or "none".
	Tier string `json:"tier"`
	// CrisisKinds are the kinds of acute danger found, most urgent first (e.g. "overdose",
	// "friend"); empty unless Crisis.
	CrisisKinds []string `json:"crisis_kinds,omitempty"`
	// Support is one calm line on where to talk today, set when Tier is "support".
	Support string `json:"support,omitempty"`
	// Answered is true when the bot is sure of its answer (Confidence "sure"). When it is
	// false, Entries holds suggestions (Confidence "maybe") or nothing ("none"), and Services
	// lists people to talk to.
	Answered bool `json:"answered"`
	// Outside names, in the answer's language, a subject the knowledge base does not cover
	// (knowledge.OutsideTopic) that the question is about; set only when it is not answered.
	Outside string `json:"outside,omitempty"`
	// outsideID is that topic's id, for the editors' counts.
	outsideID string
	// Confidence is "sure", "maybe" or "none"; see ConfidenceSure.
	Confidence string `json:"confidence"`
	// ConfidenceScore is the confidence model's probability that the entries hold a right
	// answer (0–1).
	ConfidenceScore float64 `json:"confidence_score"`
	// Reply is a short plain answer in Language.
	Reply string `json:"reply"`
	// Entries are the matching entries, best first, at most MaxEntries.
	Entries []EntryRef `json:"entries"`
	// Services are the local services for the entries' kinds in Kommune (or region-wide ones).
	Services []ServiceRef `json:"services"`
	// CrisisCard is set when Crisis is true.
	CrisisCard *CrisisCard `json:"crisis_card,omitempty"`
	// AskEditors is true when the asker may send the question, anonymously, to the editors
	// (Engine.KeepForEditors): the bot was not sure, it is no crisis or distress, and the
	// editors' loop is switched on.
	AskEditors bool `json:"ask_editors"`
	// KnowledgeVersion identifies the knowledge base that answered.
	KnowledgeVersion string `json:"knowledge_version"`
}

// EntryRef is an entry as cited in an answer.
type EntryRef struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Excerpt string `json:"excerpt"`
	// URL is the first source's address.
	URL      string      `json:"url"`
	Sources  []SourceRef `json:"sources"`
	Reviewed string      `json:"reviewed"` // YYYY-MM-DD
	Score    float64     `json:"score"`
	// Related are the entries the editors linked to this one.
	Related []Suggestion `json:"related,omitempty"`
}

// SourceRef is a cited source.
type SourceRef struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	// Evidence is the year of the page's own date, "udateret" for a page without one, or ""
	// when the editors have not recorded it.
	Evidence string `json:"evidence,omitempty"`
}

// ServiceRef is a service as shown in an answer.
type ServiceRef struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Label   string `json:"label"` // the kind's label in the answer's language
	Kommune string `json:"kommune"`
	URL     string `json:"url"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	Note    string `json:"note,omitempty"`
	// Status is the editors' confidence: "bekræftet" (a person confirmed it on the live page
	// or by phone, VerifiedHow says which, on Verified), "set på kilden" (a stored copy of the
	// source shows it), "kommunens side" or "ikke bekræftet".
	Status      string `json:"status"`
	Verified    string `json:"verified,omitempty"`
	VerifiedHow string `json:"verified_how,omitempty"`
	// Evidence is the year of the source's own date, or "udateret".
	Evidence string `json:"evidence,omitempty"`
}

// CrisisCard is the crisis card in the answer's language, fitted to the kinds of danger found:
// Intro speaks to the most urgent kind, Advice to the others, and Lines come in the order that
// fits them (112 first when there is danger now).
type CrisisCard struct {
	Title  string      `json:"title"`
	Kinds  []string    `json:"kinds,omitempty"`
	Intro  string      `json:"intro"`
	Advice []string    `json:"advice,omitempty"`
	Lines  []CrisisRef `json:"lines"`
	Outro  string      `json:"outro"`
}

// CrisisRef is one line of the crisis card.
type CrisisRef struct {
	Name  string `json:"name"`
	Phone string `json:"phone,omitempty"`
	URL   string `json:"url,omitempty"`
	When  string `json:"when"`
	// Evidence is the year of the newest source that shows the line ("2023"), or "udateret".
	Evidence string `json:"evidence"`
	// Verified is the date a person confirmed the line by calling or on the live page; empty
	// when nobody has yet.
	Verified string `json:"verified,omitempty"`
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

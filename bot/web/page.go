package web

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

//go:embed assets/page.html
var pageHTML string

//go:embed assets/style.css
var styleCSS string

//go:embed assets/app.js
var appJS string

// pageTemplate is parsed once; a parsed template is safe for concurrent execution.
var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// pageView is what the page template renders.
type pageView struct {
	// T are the page's own texts, in the answer's language (or the lang parameter's).
	T *chrome
	// Editor shows file paths, scores and the last rejected reload (?editor=1).
	Editor    bool
	Rejected  []string
	Q         string
	Kommuner  []kommuneOption
	Knowledge string
	About     bot.About
	MaxLen    int
	// Notice is a message to the person (a refused or failed question), in Danish.
	Notice string
	// A is the answer, when there is one.
	A *answerView
}

type kommuneOption struct {
	Name     string
	Selected bool
}

// answerView is an answer prepared for the template, with labels in its language.
type answerView struct {
	Lang     string
	L        *labels
	Reply    string
	Answered bool
	// Maybe is set when the entries are suggestions the bot is not sure of.
	Maybe bool
	// AskEditors offers the consent form "send the question to the editors"; Question and
	// KommuneOption are what the form sends.
	AskEditors              bool
	Question, KommuneOption string
	Crisis                  *crisisView
	// Support is the calm line on where to talk today (distress without acute danger).
	Support  string
	Entries  []entryView
	Services []serviceView
	// ServicesHeading introduces the services: local help, help in the region, or people to
	// talk to when there is no answer.
	ServicesHeading string
	LanguageName    string
	KommuneText     string
	Version         string
	kommune         string // the answer's municipality
}

type crisisView struct {
	Title, Intro, Outro string
	Advice              []string
	Lines               []crisisLineView
}

type crisisLineView struct {
	Name, Phone, URL, When, Verified, Evidence string
	Tel                                        template.URL
}

type entryView struct {
	N int
	bot.EntryRef
	File string
	// ShowExcerpt is false for the top entry when its excerpt is the reply shown above it.
	ShowExcerpt bool
}

type serviceView struct {
	bot.ServiceRef
	Tel         template.URL
	StatusText  string
	StatusClass string
}

// labels are the answer section's words in one language.
type labels struct {
	Answer, Sources, Reviewed, Verified, Phone, Call, Language, Kommune, Entries string
	Suggestions                                                                  string
	EvidenceFrom, EvidenceUndated                                                string
	LocalHelp, RegionHelp, CrisisHelp, People, NoAnswerTip, Score                string
	LangDA, LangEN, KommuneNone, FromOption, FromText, Version                   string
	Confirmed, KommuneSite, Unconfirmed, Seen, ByPhone, OnLivePage               string
	AskEditors, AskEditorsNote, AskEditorsSend                                   string
}

var labelsDA = &labels{
	Answer: "Svar", Sources: "Kilder", Reviewed: "Gennemgået", Verified: "bekræftet af en redaktør", Phone: "Telefon",
	EvidenceFrom: "kilde fra", EvidenceUndated: "kilden er udateret", Suggestions: "Forslag – måske er det en af disse",
	Call: "Ring", Language: "Sprog", Kommune: "Kommune", Entries: "Det kan du læse om",
	LocalHelp: "Hjælp i %s", RegionHelp: "Hjælp i regionen (vælg din kommune for at se hjælp tæt på dig)",
	CrisisHelp: "Mere hjælp", People: "Tal med et menneske",
	NoAnswerTip: "Du kan også prøve at skrive dit spørgsmål med andre ord.", Score: "score",
	LangDA: "dansk", LangEN: "engelsk", KommuneNone: "ikke angivet", FromOption: "valgt",
	FromText: "fundet i spørgsmålet", Version: "videnbase",
	Confirmed: "bekræftet af en redaktør", KommuneSite: "kommunens side – kun kommunens hjemmeside er vist",
	Seen: "set på kilden", ByPhone: "ved at ringe", OnLivePage: "på den rigtige side",
	Unconfirmed: "ikke bekræftet – tjek selv oplysningerne",
	AskEditors:  "Ja, send spørgsmålet anonymt til redaktionen",
	AskEditorsNote: "Så får redaktionen spørgsmålet uden dit navn og kan skrive et bedre svar. Telefonnumre, mails og links " +
		"fjernes, og spørgsmålet slettes efter 30 dage. Uden dit kryds gemmes intet af det, du skriver.",
	AskEditorsSend: "Send",
}

var labelsEN = &labels{
	Answer: "Answer", Sources: "Sources", Reviewed: "Reviewed", Verified: "confirmed by an editor", Phone: "Phone",
	EvidenceFrom: "source from", EvidenceUndated: "the source is undated", Suggestions: "Suggestions – maybe one of these",
	Call: "Call", Language: "Language", Kommune: "Municipality", Entries: "Read more",
	LocalHelp: "Help in %s", RegionHelp: "Help in the region (choose your municipality to see help near you)",
	CrisisHelp: "More help", People: "Talk to a person",
	NoAnswerTip: "You can also try asking your question in other words.", Score: "score",
	LangDA: "Danish", LangEN: "English", KommuneNone: "not given", FromOption: "chosen",
	FromText: "found in the question", Version: "knowledge base",
	Confirmed: "confirmed by an editor", KommuneSite: "municipality's website – only the website is shown",
	Seen: "seen on the source", ByPhone: "by phone", OnLivePage: "on the live page",
	Unconfirmed: "not confirmed – please check the details yourself",
	AskEditors:  "Yes, send the question anonymously to the editors",
	AskEditorsNote: "The editors then get the question without your name and can write a better answer. Phone numbers, " +
		"e-mails and links are removed, and the question is deleted after 30 days. Without your tick, nothing you write is kept.",
	AskEditorsSend: "Send",
}

// page serves GET /: the form, and the answer when the query has a q.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	v := pageView{Knowledge: s.opts.Knowledge, About: s.engine.About(), MaxLen: MaxQuestionBytes}
	status := http.StatusOK
	v.Editor = r.URL.Query().Get("editor") == "1"
	if v.Editor && s.opts.Rejected != nil {
		v.Rejected = s.opts.Rejected()
	}
	p, aerr := parseAsk(r)
	if aerr == nil {
		v.Q = strings.ToValidUTF8(p.q, "\uFFFD") // never echo invalid bytes into the page
		if p.hasQ && strings.TrimSpace(p.q) == "" {
			aerr = errMissingQ
		}
	}
	if aerr == errTooLong {
		if a, ok := s.crisisDespiteLength(r.Context(), p); ok {
			v.A, aerr = newAnswerView(a), nil
		}
	}
	if aerr == nil && p.hasQ && v.A == nil {
		var a bot.Answer
		if a, aerr = s.answer(r.Context(), p); aerr == nil {
			v.A = newAnswerView(a)
		}
	}
	if aerr != nil {
		status, v.Notice = aerr.status, aerr.page
	}
	lang := p.lang
	if v.A != nil {
		lang = v.A.Lang
	}
	v.T = chromeFor(lang)
	if lang == bot.English && s.opts.KnowledgeEN != "" {
		v.Knowledge = s.opts.KnowledgeEN
	}
	for _, name := range s.engine.KommuneNames() {
		// The kommune chosen, or the one found in the question, is selected in the picker.
		chosen := strings.EqualFold(name, p.kommune) || (v.A != nil && v.A.kommune == name)
		v.Kommuner = append(v.Kommuner, kommuneOption{Name: name, Selected: chosen})
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		s.opts.Logger.Error("render page", "error_class", "template")
		s.fail(w, r, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// newAnswerView prepares a for the template.
func newAnswerView(a bot.Answer) *answerView {
	l := labelsDA
	if a.Language == bot.English {
		l = labelsEN
	}
	v := &answerView{Lang: a.Language, L: l, Reply: a.Reply, Answered: a.Answered, Version: a.KnowledgeVersion, Support: a.Support,
		Maybe: a.Confidence == bot.ConfidenceMaybe && len(a.Entries) > 0}
	if v.Lang != bot.English {
		v.Lang = bot.Danish
	}
	v.LanguageName = l.LangDA
	if a.Language == bot.English {
		v.LanguageName = l.LangEN
	}
	switch {
	case a.Kommune == "":
		v.KommuneText = l.KommuneNone
	case a.KommuneFrom == "option":
		v.KommuneText = a.Kommune + " (" + l.FromOption + ")"
	case a.KommuneFrom == "text":
		v.KommuneText = a.Kommune + " (" + l.FromText + ")"
	default:
		v.KommuneText = a.Kommune
	}
	if a.Crisis && a.CrisisCard != nil {
		c := &crisisView{Title: a.CrisisCard.Title, Intro: a.CrisisCard.Intro, Outro: a.CrisisCard.Outro, Advice: a.CrisisCard.Advice}
		for _, ln := range a.CrisisCard.Lines {
			ev := l.EvidenceFrom + " " + ln.Evidence
			if ln.Evidence == knowledge.Undated || ln.Evidence == "" {
				ev = l.EvidenceUndated
			}
			c.Lines = append(c.Lines, crisisLineView{Name: ln.Name, Phone: ln.Phone, URL: ln.URL, When: ln.When,
				Verified: ln.Verified, Evidence: ev, Tel: telURL(ln.Phone)})
		}
		v.Crisis = c
	}
	for i, e := range a.Entries {
		v.Entries = append(v.Entries, entryView{N: i + 1, EntryRef: e, File: knowledge.EntriesDir + "/" + e.ID + ".md",
			ShowExcerpt: i > 0 || a.Crisis || !a.Answered || strings.TrimSpace(e.Excerpt) != strings.TrimSpace(a.Reply)})
	}
	for _, sv := range a.Services {
		text, class := l.Unconfirmed, "unconfirmed"
		switch sv.Status {
		case knowledge.StatusConfirmed:
			text, class = l.Confirmed, "confirmed"
			if sv.VerifiedHow == knowledge.VerifiedByPhone {
				text += " " + l.ByPhone
			} else {
				text += " " + l.OnLivePage
			}
		case knowledge.StatusSeen:
			text, class = l.Seen+evidenceText(l, sv.Evidence), "seen"
		case knowledge.StatusKommuneSite:
			text, class = l.KommuneSite+evidenceText(l, sv.Evidence), "kommune-site"
		}
		v.Services = append(v.Services, serviceView{ServiceRef: sv, Tel: telURL(sv.Phone), StatusText: text, StatusClass: class})
	}
	switch {
	case !a.Answered:
		v.ServicesHeading = l.People
	case a.Crisis:
		v.ServicesHeading = l.CrisisHelp
	case a.Kommune != "":
		v.ServicesHeading = strings.Replace(l.LocalHelp, "%s", a.Kommune, 1)
	default:
		v.ServicesHeading = l.RegionHelp
	}
	v.kommune = a.Kommune
	v.AskEditors, v.Question = a.AskEditors, a.Question
	if a.KommuneFrom == "option" {
		v.KommuneOption = a.Kommune
	}
	return v
}

// editorsNotices are the page's words after the consent form, in Danish and English.
var editorsNotices = map[string][4]string{
	bot.Danish: {"Tak! Spørgsmålet er sendt anonymt til redaktionen og slettes efter 30 dage.",
		"Sæt kryds, hvis du vil sende spørgsmålet til redaktionen. Intet er gemt.",
		"Det spørgsmål kan Vejviser nu svare på – stil det igen. Intet er gemt.",
		"Spørgsmålet kunne ikke sendes lige nu, og intet er gemt. Prøv igen senere."},
	bot.English: {"Thank you! The question has been sent anonymously to the editors and will be deleted after 30 days.",
		"Tick the box if you want to send the question to the editors. Nothing was kept.",
		"Vejviser can answer that question now – please ask it again. Nothing was kept.",
		"The question could not be sent right now, and nothing was kept. Please try again later."},
}

// sendToEditors serves POST /redaktion, the consent form under an answer the bot was not sure
// of: only with the box ticked (samtykke=ja) is the question handed to the engine, which
// stores it scrubbed for 30 days. A form posted from another site is refused.
func (s *server) sendToEditors(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" && o != "null" && !sameOrigin(o, r.Host) {
		s.fail(w, r, http.StatusForbidden)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeNotice(w, s, http.StatusBadRequest, errMalformed.page)
		return
	}
	lang := r.PostForm.Get("lang")
	if lang != bot.English {
		lang = bot.Danish
	}
	n := editorsNotices[lang]
	q := r.PostForm.Get("q")
	switch {
	case len(q) > MaxQuestionBytes:
		writeNotice(w, s, http.StatusRequestEntityTooLarge, errTooLong.page)
		return
	case strings.TrimSpace(q) == "":
		writeNotice(w, s, http.StatusBadRequest, errMissingQ.page)
		return
	case r.PostForm.Get("samtykke") != "ja":
		writeNotice(w, s, http.StatusBadRequest, n[1])
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	_, err := s.engine.KeepForEditors(ctx, bot.Question{Text: q, Kommune: strings.TrimSpace(r.PostForm.Get("kommune")), Lang: lang, Again: true})
	switch {
	case err == nil:
		writeNotice(w, s, http.StatusOK, n[0])
	case errors.Is(err, bot.ErrNotForEditors):
		writeNotice(w, s, http.StatusConflict, n[2])
	default:
		s.opts.Logger.Warn("question for editors not stored", "error_class", errorClass(err))
		writeNotice(w, s, http.StatusServiceUnavailable, n[3])
	}
}

// sameOrigin reports whether an Origin header names host.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == host
}

// writeNotice renders the page with only a notice.
func writeNotice(w http.ResponseWriter, s *server, status int, notice string) {
	v := pageView{T: chromeDA, Knowledge: s.opts.Knowledge, About: s.engine.About(), MaxLen: MaxQuestionBytes, Notice: notice}
	for _, name := range s.engine.KommuneNames() {
		v.Kommuner = append(v.Kommuner, kommuneOption{Name: name})
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// telURL returns a tel: link for a phone number written with digits, spaces and perhaps a
// leading +, or "" when phone has no digits. Only digits and the + survive, so the result is
// safe to use as a URL in the page.
func telURL(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	digits := strings.TrimPrefix(b.String(), "+")
	if digits == "" {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// evidenceText is " · kilde fra 2021", " · kilden er udateret" or "" when unknown.
func evidenceText(l *labels, ev string) string {
	switch ev {
	case "":
		return ""
	case knowledge.Undated:
		return " · " + l.EvidenceUndated
	}
	return " · " + l.EvidenceFrom + " " + ev
}

// chrome are the page's own texts around the answer, in one language.
type chrome struct {
	Lang, Title, TitleAnswer, TitleError, SkipAnswer, SkipQuestion      string
	Intro, IntroEnd, PrivacyStrong, Privacy, FormLabel, Question, Help  string
	Kommune, KommuneNone, Ask, FooterKB, Entries, Services, Kommuner    string
	Reviewed, Due, FooterAPI, FooterKommuner, EditorView, KnowledgeNoun string
}

var chromeDA = &chrome{
	Lang: "da", Title: "Vejviser – lokal forhåndsvisning", TitleAnswer: "Svar", TitleError: "Fejl",
	SkipAnswer: "Spring til svaret", SkipQuestion: "Spring til spørgsmålet",
	Intro: "Her kan du prøve Vejviser, chatbotten der hjælper unge på 16–29 år i Region Midtjylland videre med " +
		"uddannelse, job og trivsel. Det er en forhåndsvisning af botten på",
	IntroEnd:      ": svarene er dem, botten selv ville give, med kilder og hjælp i din kommune.",
	PrivacyStrong: "Intet af det, du skriver, bliver gemt",
	Privacy: " – medmindre du selv sætter kryds ved „send spørgsmålet anonymt til redaktionen“ under et svar, Vejviser " +
		"ikke var sikker på. Vejviser logger hverken dit spørgsmål eller din kommune. Din egen browser kan dog huske adressen i sin historik.",
	FormLabel: "Stil et spørgsmål", Question: "Dit spørgsmål",
	Help:    "Skriv, som du ville skrive til en ven – fx „hvad er FGU?“ eller „jeg bor i Grenaa og vil gerne snakke med nogen“. Enter sender, Shift+Enter giver en ny linje.",
	Kommune: "Kommune", KommuneNone: "Vælg kommune (valgfri)", Ask: "Spørg",
	FooterKB: "Videnbase", Entries: "emner", Services: "lokale tilbud", Kommuner: "kommuner", Reviewed: "gennemgået",
	Due: "emner skal gennemgås igen", FooterAPI: "Samme svar som JSON", FooterKommuner: "kommunerne",
	EditorView: "redaktørvisning",
}

var chromeEN = &chrome{
	Lang: "en", Title: "Vejviser – local preview", TitleAnswer: "Answer", TitleError: "Error",
	SkipAnswer: "Skip to the answer", SkipQuestion: "Skip to the question",
	Intro: "Here you can try Vejviser, the chatbot that helps young people aged 16–29 in the Central Denmark Region " +
		"on with education, work and well-being. This is a preview of the bot on",
	IntroEnd:      ": the answers are the ones the bot itself would give, with sources and help in your municipality.",
	PrivacyStrong: "Nothing you write is stored",
	Privacy: " – unless you tick \"send the question anonymously to the editors\" under an answer Vejviser was not sure " +
		"of. Vejviser logs neither your question nor your municipality. Your own browser may remember the address in its history.",
	FormLabel: "Ask a question", Question: "Your question",
	Help:    "Write as you would to a friend – e.g. \"what is FGU?\" or \"I live in Grenaa and would like to talk to someone\". Enter sends, Shift+Enter makes a new line.",
	Kommune: "Municipality", KommuneNone: "Choose municipality (optional)", Ask: "Ask",
	FooterKB: "Knowledge base", Entries: "topics", Services: "local services", Kommuner: "municipalities", Reviewed: "reviewed",
	Due: "topics due for review", FooterAPI: "The same answer as JSON", FooterKommuner: "the municipalities",
	EditorView: "editor view",
}

func chromeFor(lang string) *chrome {
	if lang == bot.English {
		return chromeEN
	}
	return chromeDA
}

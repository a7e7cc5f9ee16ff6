package knowledge

import "strings"

// Language is everything the engine and the index need to know about one language of the
// questions and answers: the words that tell it apart, the words that carry no topic, the
// greetings, and the engine's own reply texts. A third language is one more table here (and
// translations in the entries).
type Language struct {
	// Code is the language's code in answers ("da", "en").
	Code string
	// Letters are letters only this language uses; each word with one counts as a marker.
	Letters string
	// Markers are common words that tell this language from the others. A word spelled the
	// same in two languages ("i", "for") belongs to neither.
	Markers []string
	// Fillers are words of chat and questions that carry no topic, beyond the search
	// analyzers' stop lists ("hej", "please", "hjælp"); the search skips them.
	Fillers []string
	// Intensifiers are words that stress what follows without changing it ("seriøst",
	// "virkelig", "literally"); the search lets them stand inside a phrase of the synonyms
	// ("ved seriøst ikke hvad jeg vil" is "ved ikke hvad jeg vil").
	Intensifiers []string
	// SmallTalk are the words of greetings and questions about the bot itself; a question of
	// only such words gets the introduction.
	SmallTalk []string
	// Spellings are chat spellings of common words and the word they stand for ("ik" is
	// "ikke", "u" is "you"), so a question typed the way people chat matches as the written
	// word would. Only spellings that mean nothing else in either language belong here.
	Spellings map[string]string
	// Ages are the phrases that read a person's age in a question (Ages).
	Ages AgePhrases
	// Replies are the engine's own texts in this language.
	Replies Replies
}

// AgePhrases read a person's age from a question (Ages). Each phrase is words separated by
// spaces, matched against the question's words (an apostrophe splits a word: "I'm" is "i m").
type AgePhrases struct {
	// Before make the number right after them an age ("jeg er 23", "I'm 23"), unless a word
	// of Units follows the number ("jeg er 20 minutter forsinket", "I'm 90% sure").
	Before []string
	// After make the number right before them an age ("23 år gammel", "a 38-year-old").
	After []string
	// Units are words after a number that make it something other than an age.
	Units []string
	// Year is the word for years; "<YearBefore> <number> <Year>" is an age ("en kvinde på 38
	// år"), unless a word of YearNot follows ("det er 30 år siden").
	Year       string
	YearBefore []string
	YearNot    []string
	// Persons are words for people; a number right after one, or after one and a word of
	// PersonLink, is an age ("min niece på 23", "my cousin (24)"), unless a word of Units
	// follows it.
	Persons    []string
	PersonLink []string
	// Decades are words before a decade with an "s" ("in my early 20s"); the decade is the age.
	Decades []string
}

// Replies are the engine's texts in one language.
type Replies struct {
	// NoAnswer is said when nothing in the knowledge base fits; people are listed after it.
	NoAnswer string
	// Broken is said when the search cannot be used right now.
	Broken string
	// KommuneHint is added when no municipality is known.
	KommuneHint string
	// Maybe introduces entries the bot is not sure of.
	Maybe string
	// Outside says that a question is about a subject no entry covers (a format with the
	// subject's name, OutsideTopic.Title); OutsideMaybe follows it when suggestions are shown,
	// OutsideNone when only people are.
	Outside, OutsideMaybe, OutsideNone string
	// Intro is the introduction for greetings and questions about the bot.
	Intro string
}

// Languages are the languages Vejviser speaks; the first is the default.
var Languages = []Language{
	{
		Code:    "da",
		Letters: "æøå",
		Markers: words(`
		hvad hvordan hvorfor hvornår hvem hvilken hvilke hvor jeg du han hun vi dem mig dig os min mit
		mine din dit dine sin sit sine er var være været har havde og eller men af til med uden om kan
		kunne vil ville skal skulle må få får fik ikke ingen ja nej det den de der her en et noget nogen
		gerne bare også meget mere hjælp hjælpe ung unge uddannelse uddannelser skole job arbejde penge
		søge søger ansøgning fag kursus vejledning vejleder samtale angst ensom venner ven selv tænker
		føler dø leve liv bedste hej tak mange kommune bor støtte handicap særlige behov forældre familie
		ledig ydelse ordblind stoffer alkohol praktik klip gratis hvis fra lige
		`),
		Fillers: words(`
		hej hejsa halløj tak gerne bare lige godt øh altså egentlig nogen noget nogle kan kunne må skal
		vil får få fik gøre gør gjorde hvordan hvorfor hvornår hvem hvilken hvilke hvad hvor mig min mit
		mine jeg du dig din dit dine man os vi er var være været har havde det den de der her også meget
		mere mest ved vide ved ikke nej ja sige siger spørgsmål spørge spørger hjælp hjælpe hjælpen bor
		bo boede brug bruge nu lige sidste næste år gammel igen altid rigtig rigtigt helt vildt mega sgu
		lidt mange fx osv dvs eks tror synes ved hvis når hvordan sådan sådanne nogle noget ting bedst
		bedste god godt bedre fin fint nu idag dag uge dag dage tid tæt nær område omkring ift skriv lav
		lave giv fortæl sig vis danmark danmarks region regionen midtjylland midtjyllands jylland gå går
		gik
		måske faktisk vel sikkert spekulerer undrer
		`),
		SmallTalk: words(`
		hej hejsa halløj goddag godmorgen godaften tak  hvem hvad er du kan hjælpe hjælp
		vejviser bot med mig
		`),
		Intensifiers: words(`
		seriøst seriost virkelig helt slet bare altså egentlig ærligt ærlig bogstaveligt talt overhovedet
		simpelthen totalt fandme sgu ligesom vildt mega fucking
		`),
		Spellings: pairs(`
		ik=ikke ikk=ikke ike=ikke ikkee=ikke ikek=ikke hva=hvad hvd=hvad ka=kan ku=kunne ska=skal
		sku=skulle vill=vil mer=mere mier=mere ett=ikke itte=ikke taaet=taget jg=jeg mej=mig mæ=mig blir=bliver dæ=dig nogn=nogen nåt=noget noe=noget nowet=noget
		ogs=også osse=også hvordn=hvordan hvodan=hvordan hvorda=hvordan hvorn=hvornår
		hvofor=hvorfor hvorfo=hvorfor sån=sådan mske=måske måsk=måske ta=tage bli=blive gi=give el=eller elr=eller
		`),
		Ages: AgePhrases{
			Before: []string{"jeg er", "han er", "hun er", "du er", "fylder", "fyldt", "fyldte", "blev", "bliver"},
			After:  []string{"år gammel", "år gamle", "årig", "årige", "årigt"},
			Units: words(`
			timer time min minutter dage uger måneder mdr kr kroner procent point ects klip gange km kg
			`),
			Year:       "år",
			YearBefore: []string{"på", "er"},
			YearNot:    []string{"siden"},
			Persons: words(`
			søn datter barn børn dreng pige knægt mand kvinde fyr mor far kæreste bror søster ven veninde
			nevø niece fætter kusine barnebarn borger elev
			`),
			PersonLink: []string{"på"},
		},
		Replies: Replies{
			NoAnswer: "Det har jeg desværre ikke et godt svar på. Jeg kender til uddannelse, job, SU og andre penge, " +
				"trivsel og hjælp i kommunerne i Region Midtjylland. En person kan hjælpe dig videre:",
			Broken:       "Jeg kan desværre ikke søge i min viden lige nu. En person kan hjælpe dig:",
			KommuneHint:  " (skriv hvilken kommune du bor i, så kan jeg vise hjælp tæt på dig)",
			Maybe:        "Jeg er ikke helt sikker, men måske kan en af disse hjælpe – eller tal med en person:",
			Outside:      "Det lyder som et spørgsmål om %s, og det ved jeg ikke nok om, så jeg vil ikke gætte.",
			OutsideMaybe: "Måske kan en af disse alligevel hjælpe – eller tal med en person:",
			OutsideNone:  "En person kan hjælpe dig videre:",
			Intro: "Hej! Jeg er Vejviser, en bot der hjælper unge i Region Midtjylland videre med uddannelse, job, SU " +
				"og trivsel. Spørg mig fx: \"hvad er FGU?\", \"kan jeg få handicaptillæg til min SU?\" eller " +
				"\"jeg bor i Grenaa og vil gerne tale med en vejleder\". Jeg er ikke rådgiver, men jeg kan vise dig, " +
				"hvor du kan få hjælp:",
		},
	},
	{
		Code: "en",
		// "mentor" and "center" left this list on 2026-12-04: they are Danish words as well. The
		// last line came then too (common English words that are not Danish ones): over every
		// labelled question set, answers in the wrong language fell from 29 to 20, none new.
		// The lines after it came on 2026-12-04 (thirty-sixth session): common English words,
		// each absent from every Danish question of the labelled sets and knowledge/asked and
		// none a Danish word ("program", "stand", "case", "like", "love", "show", "bring" and
		// a few more were left out for that reason, and "sick", which Danish chat uses as slang).
		Markers: words(`
		what whats how why when where who which is are am was were be been the a an and or but of to with in on
		without about can could would should will do does did don doesn didn not no yes my me you your we
		our they their it its this that there these those have has had get got want wanna need know help
		please free young people person someone school education job work working money student grant
		study studying apply application subject single course courses counselling counseling advice talk
		talking anxiety depressed depression lonely friends friend myself thinking think feel feeling
		suicide kill die dying hurt alone live living life best if from just any anyone some something
		find looking look hi hello thanks thank much many municipality near am im i'm getting support
		disability special needs parents family unemployed benefits allowance dyslexia drugs alcohol
		internship centre still kinda tbh dont cant now too also really very only even every
		as so than because ppl same other into out up today price hours opening qualify
		able abroad add afraid after again against allow already although always amount angry anybody
		anything apartment appear arent around ask before begin believe between big bored both brother build
		buy call change child city class classes come company confused consider continue cost costs couldnt
		country create dad daughter degree different doctor during each either evening everyone everything
		exam exams expect fact fall few first flat follow good government grade grades great group grow hand
		happen happy health hear high home hour house hows husband ill important include isnt keep kid kids
		lead learn leave little loan loans lose make meet mom month months morning move mum neither network
		never new night nobody nothing number nurse offer often options own paid part pay place play
		programme provide public reach read remain remember right room salary say scared scheme second see
		seem serve short shouldnt since sister small somebody sometimes son speak spend stay stressed
		struggle struggling such take teacher tell thing third though through tired tmr tmrw tonight town
		try understand university until upset use usually wage wages wait walk wasnt watch way weather week
		weeks werent wheres whether while whos wife win woman women wont worried worry wouldnt write year
		years yet
		`),
		Fillers: words(`
		hey hi hello yo thanks thank please pls plz okay ok hmm i have what how why when where who which
		can could would should will do does did get got i me my you your we our it is are was be been
		have has had the a an to of in on for about any some need want know tell anyone someone something
		help info information question ask asking much many lot lots really very so just also still even
		maybe im ive dont cant wont isnt thing things stuff best better good nice great now anymore today
		tomorrow yesterday week day days time i near close nearby area lol fr pls ppl write make give
		tell say show cost costs price denmark old older years aged year last month months options option
		go goes going
		think might sure wondering wonder guess suppose probably actually seems seem suggestions suggest
		`),
		SmallTalk: words(`
		hey hi hello yo thanks thank you who what are can do you help with me
		`),
		Intensifiers: words(`
		seriously really honestly literally truly genuinely totally absolutely actually just even
		fr fucking like kinda
		`),
		Spellings: pairs(`
		u=you ur=your ya=you ha=have idk=i_don't_know gonna=going_to gotta=got_to bc=because
		cuz=because coz=because abt=about smth=something sth=something rn=right_now tho=though
		thx=thanks wat=what wut=what
		`),
		Ages: AgePhrases{
			Before: []string{"i m", "im", "i am", "he s", "she s", "he is", "she is", "aged", "age", "turned", "turning",
				"turn", "turns", "be"},
			After: []string{"years old", "year old", "yrs old", "yr old", "years of age", "yrs of age", "yo", "y o"},
			Units: words(`
			minutes mins hours hrs hour days weeks months dollars pounds percent points miles lbs times k
			grand credits bucks euros
			`),
			Persons: words(`
			son daughter kid child boy girl brother sister boyfriend girlfriend friend partner husband
			wife mom mum dad nephew niece cousin grandson granddaughter stepson stepdaughter
			`),
			PersonLink: []string{"is"},
			Decades:    []string{"my", "his", "her", "their", "early", "mid", "late"},
		},
		Replies: Replies{
			NoAnswer: "Sorry, I don't have a good answer to that. I know about education, work, SU and other money, " +
				"well-being and help in the municipalities of Central Denmark Region. A person can help you further:",
			Broken:       "Sorry, I can't search my knowledge base right now. A person can help you:",
			KommuneHint:  " (tell me which municipality you live in, and I can show local help)",
			Maybe:        "I'm not quite sure, but maybe one of these helps – or talk to a person:",
			Outside:      "That sounds like a question about %s, which I don't know enough about, so I won't guess.",
			OutsideMaybe: "Maybe one of these helps anyway – or talk to a person:",
			OutsideNone:  "A person can help you further:",
			Intro: "Hi! I'm Vejviser, a bot that helps young people in Region Midtjylland find their way to " +
				"education, jobs, student grants (SU) and support. Ask me for example \"what is FGU?\", \"can I get " +
				"a disability supplement to my SU?\" or \"I live in Grenaa and want to talk to a counsellor\". " +
				"I'm not a counsellor, but I can show you where to get help:",
		},
	},
}

// LanguageFor returns the table of code, or the default language's.
func LanguageFor(code string) Language {
	for _, l := range Languages {
		if l.Code == code {
			return l
		}
	}
	return Languages[0]
}

func words(s string) []string { return strings.Fields(s) }

// Spellings are the chat spellings of every language in one map (see Language.Spellings).
func Spellings() map[string]string {
	m := map[string]string{}
	for _, l := range Languages {
		for from, to := range l.Spellings {
			m[from] = to
		}
	}
	return m
}

// pairs reads "from=to" pairs separated by white space; "_" in a pair stands for a space.
func pairs(s string) map[string]string {
	m := map[string]string{}
	for _, p := range strings.Fields(s) {
		from, to, _ := strings.Cut(p, "=")
		m[strings.ReplaceAll(from, "_", " ")] = strings.ReplaceAll(to, "_", " ")
	}
	return m
}

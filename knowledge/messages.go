package knowledge

import "fmt"

// message is a text that can be shown in English or Danish: an English format string, which
// is the key of the danish catalogue, and its arguments. An argument that is itself a message
// is rendered in the same language. The String and Error forms are English.
type message struct {
	format string
	args   []any
}

// msgf returns the message format with args. Like collector.add, it is called with a literal
// English format string that has a Danish entry in danish (messages_test.go checks both).
func msgf(format string, args ...any) message { return message{format, args} }

// String returns the message in English.
func (m message) String() string { return m.render("en") }

// Error returns the message in English, so a message can be returned as an error.
func (m message) Error() string { return m.String() }

// empty reports whether m is the zero message: nothing to report.
func (m message) empty() bool { return m.format == "" }

// render formats the message in lang: "da" for Danish, anything else for English. A format
// without a Danish entry is shown in English.
func (m message) render(lang string) string {
	format := m.format
	if lang == "da" {
		if da, ok := danish[format]; ok {
			format = da
		}
	}
	args := make([]any, len(m.args))
	for i, a := range m.args {
		if sub, ok := a.(message); ok {
			a = sub.render(lang)
		}
		args[i] = a
	}
	return fmt.Sprintf(format, args...)
}

// danish is the catalogue: every English format string that the package reports (to
// collector.add, collector.warn or msgf) mapped to its Danish, with the same verbs in the same
// order. Key names, ids and file names stay as the editors write them.
var danish = map[string]string{
	// Reading and decoding files (decode.go, load.go).
	"cannot read the file: %v": "kan ikke læse filen: %v",
	"the stored crisis classifier is not used: %v; the bot trains it at start-up (about a minute)": "den gemte kriseklassifikator bruges ikke: %v; botten træner den ved start (ca. et minut)",
	"the file does not exist":                                         "filen findes ikke",
	"the file is %d bytes; the limit is %d":                           "filen fylder %d bytes; grænsen er %d",
	"the file is not valid UTF-8 text; save it as UTF-8":              "filen er ikke gyldig UTF-8-tekst; gem den som UTF-8",
	"the file must start with a line +++ that opens the front matter": "filen skal starte med en linje +++, der åbner toppen med felterne",
	"the front matter is never closed: add a line +++ after it":       "toppen med felterne bliver aldrig lukket: tilføj en linje +++ efter den",
	"invalid TOML: %s": "fejl i opsætningen (TOML): %s",
	"invalid TOML: %v (the TOML reader says: %s)": "fejl i opsætningen (TOML): %v (teknisk besked: %s)",
	"unknown key %q":                    "ukendt nøgle %q",
	"unknown key %q – did you mean %q?": "ukendt nøgle %q – mente du %q?",
	"bad date: write dates as YYYY-MM-DD without quotes, e.g. %s = %s":                 "forkert dato: skriv datoer som ÅÅÅÅ-MM-DD uden anførselstegn, fx %s = %s",
	"wrong type: %q must be %v, not %v":                                                "forkert slags værdi: %q skal være %v, ikke %v",
	"wrong type: %s (dates are written without quotes, e.g. 2026-11-26; lists in [ ])": "forkert slags værdi: %s (datoer skrives uden anførselstegn, fx 2026-11-26; lister i [ ])",

	// What a value should be, and what it is (decode.go).
	"a date without quotes, e.g. 2026-11-26": "en dato uden anførselstegn, fx 2026-11-26",
	"a table [%s]":                           "en tabel [%s]",
	"one or more tables [[%s]]":              "en eller flere tabeller [[%s]]",
	`a list in [ ], e.g. ["a", "b"]`:         `en liste i [ ], fx ["a", "b"]`,
	"text in quotes":                         "tekst i anførselstegn",
	"true or false":                          "true eller false",
	"a whole number":                         "et helt tal",
	"a number":                               "et tal",
	"a value of Go type %s":                  "en værdi af Go-typen %s",
	"text":                                   "tekst",
	"a decimal number":                       "et decimaltal",
	"a date":                                 "en dato",
	"a list of tables":                       "en liste af tabeller",
	"a list":                                 "en liste",
	"a table":                                "en tabel",
	"a value of Go type %T":                  "en værdi af Go-typen %T",

	// Hints for broken TOML (decode.go).
	`write straight quotes " instead of curly quotes “ ” ‘ ’ (they come from Word and similar programs)`:                        `skriv lige anførselstegn " i stedet for krumme “ ” ‘ ’ (de kommer fra Word og lignende programmer)`,
	`a text is missing its closing quote: end it with " on the same line, or write text over several lines between """ and """`: `en tekst mangler sit afsluttende anførselstegn: afslut den med " på samme linje, eller skriv tekst over flere linjer mellem """ og """`,
	`a text begun with """ is never closed: end it with """`:                                                                    `en tekst, der begynder med """, bliver aldrig lukket: afslut den med """`,
	`put a comma between the items of a list, and each text in quotes, e.g. ["unge", "forældre"]`:                               `sæt komma mellem punkterne i en liste og hver tekst i anførselstegn, fx ["unge", "forældre"]`,
	"key names may only use a–z, digits, - and _ (no æ, ø or å); did you mean %q?":                                              "nøglenavne må kun bruge a–z, tal, - og _ (ikke æ, ø eller å); mente du %q?",
	"key names may only use a–z, digits, - and _ (no æ, ø or å)":                                                                "nøglenavne må kun bruge a–z, tal, - og _ (ikke æ, ø eller å)",
	`a key and its value are joined by =, e.g. title = "FGU"`:                                                                   `mellem en nøgle og dens værdi skal der stå =, fx title = "FGU"`,
	"the table [%s] is written twice: keep one [%s] and put all its keys under it":                                              "tabellen [%s] er skrevet to gange: behold én [%s] og saml alle dens nøgler under den",
	"the key %q is written twice in the same table: delete one of them":                                                         "nøglen %q står to gange i samme tabel: slet den ene",
	`a text contains a " inside it: write \" for a quote inside a text, or use curly quotes “ ” there`:                          `en tekst har et " inde i sig: skriv \" for et anførselstegn inde i en tekst, eller brug “ ” der`,
	`put text in quotes, e.g. title = "FGU"; lists of texts as ["unge", "forældre"]`:                                            `sæt tekst i anførselstegn, fx title = "FGU"; lister af tekster som ["unge", "forældre"]`,
	"the value after = is missing": "værdien efter = mangler",

	// Entries (load.go).
	"%s": "%s",
	"%v": "%v",
	"no entries found (want %s/<id>.md files)":                                                          "ingen poster fundet (der skal være filer %s/<id>.md)",
	"duplicate id %q (also in %s)":                                                                      "id'et %q findes to gange (også i %s)",
	`missing required key "id" (it must be %q, the file's name)`:                                        `mangler nøglen "id" (den skal være %q, filens navn)`,
	"id %q must be lowercase letters, digits and single hyphens (æ→ae, ø→oe, å→aa)":                     "id'et %q må kun have små bogstaver, tal og enkelte bindestreger (æ→ae, ø→oe, å→aa)",
	"id %q does not match the file name %q":                                                             "id'et %q passer ikke med filnavnet %q",
	"missing required key %q":                                                                           "mangler nøglen %q",
	`missing required key "keywords" (words young people would search with)`:                            `mangler nøglen "keywords" (ord, unge ville søge med)`,
	`missing required key "en.keywords"`:                                                                `mangler nøglen "en.keywords" (engelske søgeord)`,
	`missing required key "audience" (one or more of %s)`:                                               `mangler nøglen "audience" (målgruppen: en eller flere af %s)`,
	"unknown audience %q (use %s)":                                                                      "ukendt målgruppe %q (brug %s)",
	`missing required key "reviewed" (the date the entry was last checked, e.g. reviewed = 2026-11-26)`: `mangler nøglen "reviewed" (datoen, posten sidst blev gennemgået, fx reviewed = 2026-11-26)`,
	"reviewed date %s is in the future":                                                                 "datoen i reviewed, %s, ligger i fremtiden",
	"review is due: reviewed %s, to be reviewed every %d days (by %s)":                                  "posten skal gennemgås: gennemgået %s, skal gennemgås hver %d. dag (senest %s)",
	"review_every must be a positive number of days":                                                    "review_every skal være et positivt antal dage",
	"unknown service kind %q (known: %s)":                                                               "ukendt tilbudstype %q (kendte: %s)",
	"missing required [[sources]]: every entry cites at least one source with title and url":            "mangler [[sources]]: hver post skal have mindst én kilde med title og url",
	"source %d has no title":                                                                            "kilde %d har ingen titel (title)",
	"source %d: %s":                                                                                     "kilde %d: %s",
	`source %d: date %q: write the page's own date as "YYYY-MM-DD", "YYYY-MM", "YYYY" or %q`:            `kilde %d: dato %q: skriv sidens egen dato som "ÅÅÅÅ-MM-DD", "ÅÅÅÅ-MM", "ÅÅÅÅ" eller %q`,
	"the entry has no body text after the front matter":                                                 "posten har ingen brødtekst efter toppen (efter den anden +++-linje)",
	"alias %q also names %s: an alias names the entry that is the offer; an entry that only tells about it keeps the name as a keyword": "alias %q nævner også %s: et alias nævner den post, der er tilbuddet; en post, der kun fortæller om det, har navnet som nøgleord (keywords)",
	"alias %q has no letters or digits": "alias %q har ingen bogstaver eller tal",
	"empty example question":            "tomt eksempelspørgsmål",
	"%d example questions in %s; write at least %d – the ways young people and counsellors ask for this entry": "%d eksempelspørgsmål på %s; skriv mindst %d – de måder, unge og rådgivere spørger efter denne post på",
	"Danish":  "dansk",
	"English": "engelsk",
	"example question %q copies a question of %s: write the entry's own questions": "eksempelspørgsmålet %q er en kopi af et spørgsmål i %s: skriv postens egne spørgsmål",
	"summary has %d sentences; keep it to 1–3 plain sentences":                     "summary har %d sætninger; hold det til 1–3 enkle sætninger",
	"summary is %d characters; keep it under 400":                                  "summary er %d tegn; hold det under 400",
	"missing url": "mangler url",
	"bad url %q: want a full https:// address":                                                         "forkert url %q: skriv hele adressen med https://",
	"related entry %q does not exist":                                                                  "den relaterede post %q findes ikke",
	"outside topic id %q must be lowercase letters, digits and dashes":                                 "emnet uden for basen har id %q: brug kun små bogstaver, tal og bindestreger",
	"outside topic id %q is used twice":                                                                "id'et %q bruges af to emner uden for basen",
	"outside topic id %q is also an entry's id":                                                        "emnet uden for basen har id %q, som også er en posts id: giv det et andet",
	"outside topic %q needs a title: the reply names the subject by it":                                "emnet uden for basen %q mangler en titel (title): svaret nævner emnet ved den",
	"outside topic %q needs example questions: they are how a question is recognised as this subject":  "emnet uden for basen %q mangler eksempelspørgsmål (questions): det er dem, et spørgsmål genkendes på",
	"example question %q of outside topic %q copies a question of %s: write the topic's own questions": "eksempelspørgsmålet %q i emnet uden for basen %q er en kopi af et spørgsmål i %s: skriv emnets egne spørgsmål",
	"outside topic %q has an empty question or keyword":                                                "emnet uden for basen %q har et tomt spørgsmål eller søgeord",
	"part_of entry %q does not exist":                                                                  "part_of-posten %q findes ikke",
	"part_of names the entry itself: name the offer this entry tells one side of":                      "part_of nævner posten selv: skriv id'et på det tilbud, posten fortæller om én side af",
	"part_of entry %q is itself part of %q: name the offer itself":                                     "part_of-posten %q er selv en del af %q: skriv id'et på selve tilbuddet",
	"the entry %q is missing: the crisis card needs it":                                                "posten %q mangler: krisekortet har brug for den",

	// Municipalities, services, synonyms and questions (load.go).
	"kommune without name":                                          "kommune uden navn (name)",
	"kommune %q is listed twice":                                    "kommunen %q står der to gange",
	"town %q is listed under both %s and %s":                        "byen %q står under både %s og %s",
	"ambiguous town %q is not in towns":                             "den flertydige by %q står ikke i towns",
	"no service files found (want %s/<kommune>.toml)":               "ingen tilbudsfiler fundet (der skal være filer %s/<kommune>.toml)",
	`missing required key "kommune" (a municipality's name, or %q)`: `mangler nøglen "kommune" (en kommunes navn eller %q)`,
	"unknown kommune %q (see %s)":                                   "ukendt kommune %q (se %s)",
	"service has no name":                                           "tilbuddet har intet navn (name)",
	"source: %s":                                                    "kilde (source): %s",
	`phone %q: write digits and spaces only, e.g. "70 11 31 31"`:    `telefonnummer %q: skriv kun tal og mellemrum, fx "70 11 31 31"`,
	"a phone number or address needs the source it was seen on":     "et telefonnummer eller en adresse skal have den kilde (source), hvor det står",
	"kommune %s has no service of kind %q (every kommune needs %s)": "kommunen %s har intet tilbud af typen %q (alle kommuner skal have %s)",
	"a synonym group needs at least two terms":                      "en synonymgruppe skal have mindst to ord (terms)",
	"empty synonym term":                                            "tomt synonym",
	"question without text":                                         "spørgsmål uden tekst (text)",
	"unknown entry id %q":                                           "ukendt post-id %q",
	"unknown kommune %q":                                            "ukendt kommune %q",
	`lang %q: use "da" or "en"`:                                     `lang %q: brug "da" eller "en"`,

	// The crisis card and detector (crisis.go).
	"empty word": "tomt ord",
	"%q: @%s must name a concept defined above this one":                                                  "%q: @%s skal være navnet på en ordfamilie ([[concept]]), der står før denne",
	"%q: a word starting with * (the end of a compound) needs at least 3 letters after it and no other *": "%q: et ord, der starter med * (slutningen af et sammensat ord), skal have mindst 3 bogstaver efter * og ingen anden *",
	"%q: * may only end or start a word":                                                                  "%q: * må kun stå i starten eller slutningen af et ord",
	"%q: write a number bound as #6+":                                                                     "%q: skriv en talgrænse som #6+",
	"%q: write words of letters and digits (no punctuation inside a word)":                                "%q: skriv ord af bogstaver og tal (ingen tegnsætning inde i et ord)",
	"%q: a word ending in * needs at least 3 letters before it":                                           "%q: et ord, der ender på *, skal have mindst 3 bogstaver før *",
	"a [[concept]] needs a name":                                                                          "en [[concept]] skal have et navn (name)",
	"concept %q is defined twice":                                                                         "ordfamilien %q er skrevet to gange",
	"concept %q has no words":                                                                             "ordfamilien %q har ingen ord (words)",
	"concept %q: %q stands twice; once is enough":                                                         "ordfamilien %q: %q står der to gange; én gang er nok",
	"concept %q: %s": "ordfamilien %q: %s",
	"the crisis detector needs at least one [[rule]]":                                 "krisedetektoren skal have mindst én [[rule]]",
	"unknown rule kind %q (use %s or %s)":                                             "ukendt regeltype %q (brug %s eller %s)",
	"a [[rule]] needs the concepts that must meet in all":                             "en [[rule]] skal i all have de ordfamilier, der skal mødes",
	"concept %q is within unknown concept %q":                                         "ordfamilien %q står inden i en ukendt ordfamilie %q",
	"concept %q cannot be within itself":                                              "ordfamilien %q kan ikke stå inden i sig selv",
	"concept %q is within %q, which is itself within %q: use one level (within = %q)": "ordfamilien %q står inden i %q, som selv står inden i %q: brug ét led (within = %q)",
	"rule uses unknown concept %q":                                                    "reglen bruger en ukendt ordfamilie %q",
	"window %d: use 1–40 words (default %d)":                                          "window %d: brug 1–40 ord (standard %d)",
	"overrule is for acute rules only: a support rule never shows the card":           "overrule gælder kun akutte regler: en støtteregel viser aldrig krisekortet",
	"alone %d: use 2–%d words (a sentence of its own), or leave it out":               "alone %d: brug 2–%d ord (en sætning for sig selv), eller udelad den",
	"an [[except]] needs the harmless reading it stands for":                          "en [[except]] skal have den harmløse læsning, den står for (reading)",
	"an [[except]] needs cues and the concepts it cancels":                            "en [[except]] skal have stikord (cues) og de ordfamilier, den ophæver (cancels)",
	"exception cancels unknown concept %q":                                            "undtagelsen ophæver en ukendt ordfamilie %q",
	"exception names unknown concept %q in unless":                                    "undtagelsen nævner en ukendt ordfamilie %q i unless",
	"question %q has no want, offtopic, crisis or kommune: only its language is measured (write offtopic = true for a question no entry answers)": "spørgsmålet %q har hverken want, offtopic, crisis eller kommune: kun dets sprog bliver målt (skriv offtopic = true, hvis ingen post svarer på det)",
	"exception names unknown concept %q in unless_next": "undtagelsen nævner en ukendt ordfamilie %q i unless_next",
	"exception %q: %s":                     "undtagelsen %q: %s",
	"near %d: use 1–20 words (default %d)": "near %d: brug 1–20 ord (standard %d)",
	"the crisis card needs at least two [[line]]s, so help never hangs on one line": "krisekortet skal have mindst to [[line]], så hjælpen aldrig hænger på én linje",
	"crisis line without name": "kriselinje uden navn (name)",
	"crisis line %q needs an id (the [[kind]] tables list lines by id)":                                                  "kriselinjen %q skal have et id ([[kind]]-tabellerne nævner linjer ved deres id)",
	"crisis line id %q is used twice":                                                                                    "kriselinje-id'et %q er brugt to gange",
	"crisis line %q needs a phone or a url":                                                                              "kriselinjen %q skal have et telefonnummer (phone) eller en url",
	"phone %q: write digits and spaces only":                                                                             "telefonnummer %q: skriv kun tal og mellemrum",
	"crisis line %q needs when and when_en":                                                                              "kriselinjen %q skal have when og when_en",
	"crisis line %q needs sources: the pages that show its number, each with its own date":                               "kriselinjen %q skal have sources: de sider, der viser nummeret, hver med sidens egen dato",
	"crisis line %q: source %d: %s":                                                                                      "kriselinjen %q: kilde %d: %s",
	`crisis line %q: source %d: date %q: write the page's own date as "YYYY-MM-DD", "YYYY-MM", "YYYY" or %q`:             `kriselinjen %q: kilde %d: dato %q: skriv sidens egen dato som "ÅÅÅÅ-MM-DD", "ÅÅÅÅ-MM", "ÅÅÅÅ" eller %q`,
	"crisis line %q needs read: the date its sources were read":                                                          "kriselinjen %q skal have read: datoen, kilderne blev læst",
	`crisis line %q: verified needs verified_how = "opkald" or "live side" (a stored copy is not a verification)`:        `kriselinjen %q: verified kræver verified_how = "opkald" eller "live side" (en gemt kopi er ikke en bekræftelse)`,
	"crisis line %q: no source shows a date; confirm it on the live page or by calling":                                  "kriselinjen %q: ingen kilde viser en dato; bekræft linjen på den levende side eller ved at ringe",
	"crisis line %q: its newest evidence is from %s, more than two years old; confirm it on the live page or by calling": "kriselinjen %q: den nyeste kilde er fra %s, mere end to år gammel; bekræft linjen på den levende side eller ved at ringe",
	"unknown crisis kind %q (use %s)":                                                                                    "ukendt krisetype %q (brug %s)",
	"crisis kind %q needs intro and intro_en":                                                                            "krisetypen %q skal have intro og intro_en",
	"crisis kind %q needs at least two lines, so help never hangs on one line":                                           "krisetypen %q skal have mindst to linjer, så hjælpen aldrig hænger på én linje",
	"crisis kind %q lists unknown line %q":                                                                               "krisetypen %q nævner en ukendt linje %q",
	"crisis kind %q: source %d: %s":                                                                                      "krisetypen %q: kilde %d: %s",
	"crisis kind %q has no [[kind]] card":                                                                                "krisetypen %q har intet [[kind]]-kort",
	"example without text":                                                                                               "eksempel uden tekst (text)",
	"an acute example needs a kind: %s":                                                                                  `et eksempel med tier = "acute" skal have en kind: %s`,
	"a support example has kind = %q":                                                                                    `et eksempel med tier = "support" skal have kind = %q`,
	"an example of tier none needs a kind: %s":                                                                           `et eksempel med tier = "none" skal have en kind: %s`,
	"tier %q: use %q, %q or %q":                                                                                          "tier %q: brug %q, %q eller %q",
	// Amounts: figures with their year (amount.go).
	"amount %d: id %q must be lowercase letters, digits and single hyphens": "beløb %d: id'et %q må kun have små bogstaver, tal og enkelte bindestreger",
	"amount id %q is used twice": "beløbs-id'et %q er brugt to gange",
	"amount %q has no value":     "beløbet %q har ingen værdi (value)",
	`amount %q has no label (what the figure is, e.g. "Handicaptillæg til SU")`: `beløbet %q har ingen label (hvad tallet er, fx "Handicaptillæg til SU")`,
	"amount %q: source: %s": "beløbet %q: kilde (source): %s",
	"amount %q: page: %s":   "beløbet %q: side (page): %s",
	"amount %q has no source_date: write the page's own date or %q":                                                                        "beløbet %q har ingen source_date: skriv sidens egen dato eller %q",
	`amount %q: source_date %q: write "YYYY-MM-DD", "YYYY-MM", "YYYY" or %q`:                                                               `beløbet %q: source_date %q: skriv "ÅÅÅÅ-MM-DD", "ÅÅÅÅ-MM", "ÅÅÅÅ" eller %q`,
	"amount %q: give either year, valid_from/valid_to or every_year, not more than one":                                                    "beløbet %q: skriv enten year, valid_from/valid_to eller every_year, ikke flere af dem",
	"amount %q: year %d is not a plausible year":                                                                                           "beløbet %q: året %d er ikke et sandsynligt år",
	"amount %q: valid_to is before valid_from":                                                                                             "beløbet %q: valid_to ligger før valid_from",
	"amount %q has no year: the answer says the year is unknown; find the figure's year on %s":                                             "beløbet %q har intet år: svaret siger, at året er ukendt; find tallets år på %s",
	"amount %q is the figure for %d, a year that has ended: the answer calls it the last known figure (%d); find the current figure on %s": `beløbet %q er tallet for %d, et år der er slut: svaret kalder det det sidst kendte tal (%d); find det aktuelle tal på %s`,
	"amount %q was valid to %s, which has passed: find the current figure on %s":                                                           "beløbet %q gjaldt til %s, som er passeret: find det aktuelle tal på %s",
	"the text names amount %q, but the entry has no [[amount]] with that id":                                                               "teksten nævner beløbet %q, men posten har intet [[amount]] med det id",
	"amount %q is not used in the text: write {beløb:%s} where the figure belongs":                                                         "beløbet %q bruges ikke i teksten: skriv {beløb:%s}, hvor tallet skal stå",
	// Services: status and evidence (service.go).
	`a %q service needs verified (the date) and verified_how = %q or %q: a person confirmed it on the live page or by calling; what a stored copy shows is %q`: `et tilbud med status %q skal have verified (datoen) og verified_how = %q eller %q: en person har bekræftet det på den levende side eller ved at ringe; det, en gemt kopi viser, er %q`,
	"a %q service needs the source it was seen on":                                                             "et tilbud med status %q skal have den kilde (source), det er set på",
	`missing required key "status" (%q, %q, %q or %q)`:                                                         `mangler nøglen "status" (%q, %q, %q eller %q)`,
	"unknown status %q (use %q, %q, %q or %q)":                                                                 "ukendt status %q (brug %q, %q, %q eller %q)",
	"verified is a person's confirmation and needs status = %q; write the day you read the source as read = …": "verified er en persons bekræftelse og kræver status = %q; skriv dagen, du læste kilden, som read = …",
	"%s date %s is in the future":                                                                              "datoen i %s, %s, ligger i fremtiden",
	`source_date is missing: write the source page's own date ("YYYY-MM-DD", "YYYY-MM" or "YYYY") or %q`:       `source_date mangler: skriv kildesidens egen dato ("ÅÅÅÅ-MM-DD", "ÅÅÅÅ-MM" eller "ÅÅÅÅ") eller %q`,
	`source_date %q: write "YYYY-MM-DD", "YYYY-MM", "YYYY" or %q`:                                              `source_date %q: skriv "ÅÅÅÅ-MM-DD", "ÅÅÅÅ-MM", "ÅÅÅÅ" eller %q`,
	"service %q: its evidence is from %d, more than %d years old; confirm it on the live page or by calling":   "tilbuddet %q: kilden er fra %d, mere end %d år gammel; bekræft det på den levende side eller ved at ringe",
	"%v: the file is refused before it is read":                                                                "%v: filen afvises, før den læses",
	"it is not a regular file (%s)":                                                                            "det er ikke en almindelig fil (%s)",
	"the file is over %d bytes; the limit is %d":                                                               "filen er over %d bytes; grænsen er %d",
	"line %d is %d bytes long; the limit is %d":                                                                "linje %d er %d bytes lang; grænsen er %d",
	"arrays and inline tables nest more than %d deep":                                                          "lister og tabeller ligger mere end %d lag inden i hinanden",
	"the knowledge files hold more than %d bytes in all; the rest is not read":                                 "videnfilerne fylder mere end %d bytes i alt; resten læses ikke",
	"more than %d problems in this file; the rest are not shown – fix these first":                             "mere end %d problemer i denne fil; resten vises ikke – ret disse først",
}

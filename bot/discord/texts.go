package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
)

// texts are the words the bot shows around an answer, in one language.
type texts struct {
	share, person, helped, notHelped   string
	sources, reviewed                  string
	servicesIn, servicesRegion         string
	footer                             string
	rateLimited, tooLong, empty        string
	sorry, unknownTopic, thanks        string
	notEditor, noReload, guildOnly     string
	crisisPointer, crisisPointerNoDM   string
	personTitle, personIntro           string
	noneTitle, unconfirmed             string
	shareFailed, noServices            string
	aboutTitle, aboutText              string
	aboutKB, aboutReview, aboutFB      string
	aboutLimits, aboutKBField          string
	aboutReviewField, aboutFBField     string
	aboutLimitsField, crisisMoreTitle  string
	evidenceFrom, evidenceUndated      string
	supportTitle                       string
	maybeTitle                         string
	yourQuestion, askEditors           string
	askEditorsNote, editorsThanks      string
	editorsFailed, editorsNotNeeded    string
	editorsOff, notEditorReport        string
	undatedShort, confirmedBy          string
	moreSources, readMore, pickKommune string
	noText, replyTo, replySent         string
	sendCardDM, cardSent, cardNotSent  string
	shareNoPerm, shared, deleteShared  string
	deleteNotYours, deleted            string
	feedbackAgain, noPermissionDM      string
	entryGone, readMoreRest            string
}

var textsDA = &texts{
	share: "Del i kanalen", person: "Tal med en person", helped: "Det hjalp", notHelped: "Det hjalp ikke",
	sources: "Kilder", reviewed: "Gennemgået %s",
	servicesIn: "Hjælp i %s", servicesRegion: "Hjælp i Region Midtjylland",
	footer:      "Vejviser er en bot – ikke en rådgiver eller læge · videnbase %s",
	rateLimited: "Du har stillet mange spørgsmål på kort tid. Vent et minut, og prøv så igen 🙂",
	tooLong:     "Dit spørgsmål er for langt (højst %d tegn). Prøv at skrive det kortere – ét spørgsmål ad gangen.",
	empty:       "Hej! Skriv dit spørgsmål efter at have nævnt mig – eller brug /spørg, så kan kun du se svaret.",
	sorry: "Beklager, noget gik galt hos mig. Prøv igen om lidt. Vil du tale med en person, kan du bruge " +
		"eVejledning på ug.dk eller din kommunes ungdomsvejledning.",
	unknownTopic:  "Det emne kender jeg ikke. Vælg et emne fra listen, mens du skriver.",
	thanks:        "Tak for din tilbagemelding! Den hjælper redaktørerne med at gøre svarene bedre.",
	notEditor:     "Kun redaktører kan genindlæse videnbasen.",
	noReload:      "Genindlæsning er ikke sat op for denne bot.",
	guildOnly:     "Den kommando virker kun på en server.",
	crisisPointer: "Jeg har sendt dig en privat besked.",
	crisisPointerNoDM: "Jeg kan ikke sende dig en privat besked. Brug /spørg, så får du et svar, som kun du kan se. " +
		"Er du i fare lige nu, så ring 112.",
	personTitle: "Tal med en person", personIntro: "Her kan du tale med et menneske – det er gratis:",
	noneTitle: "Det har jeg ikke et godt svar på", unconfirmed: "ikke bekræftet – tjek før du bruger det",
	shareFailed: "Svaret kunne ikke deles. Prøv at stille spørgsmålet igen.",
	noServices:  "Jeg har ingen kontakter at vise lige nu. Prøv eVejledning på ug.dk.",
	aboutTitle:  "Om Vejviser",
	aboutText: "Vejviser svarer på spørgsmål om uddannelse, job, penge og trivsel for unge i Region Midtjylland " +
		"– ud fra en videnbase, som redaktører skriver og tjekker, med kilder og dato for hvert svar.\n\n" +
		"**Vejviser er ikke** en rådgiver, en læge eller en myndighed. Den kan tage fejl, og den kan ikke hjælpe i " +
		"en krise – så viser den dig, hvem du kan ringe eller skrive til.\n\n" +
		"**Det gemmer Vejviser:** intet af det, du skriver – medmindre du selv trykker \"Send spørgsmålet anonymt til " +
		"redaktionen\" under et svar, Vejviser ikke var sikker på. Så gemmes det ene spørgsmål uden dit navn i 30 dage. " +
		"Ellers tæller botten kun, hvor mange spørgsmål der ikke fik et sikkert svar, og hvilke opslag der hjalp – uden at vide hvem.",
	aboutKBField: "Videnbase", aboutKB: "Version %s · %d opslag · %d tjenester · %d kommuner",
	aboutReviewField: "Gennemgang", aboutReview: "Ældste %s, nyeste %s · %d opslag venter på ny gennemgang",
	aboutFBField: "Tilbagemeldinger", aboutFB: "%d hjalp · %d hjalp ikke",
	aboutLimitsField: "Grænser", aboutLimits: "%d spørgsmål i minuttet pr. person · højst %d tegn",
	crisisMoreTitle: "Mere hjælp",
	evidenceFrom:    "kilde fra",
	evidenceUndated: "kilden er udateret",
	supportTitle:    "Brug for at snakke med nogen?",
	maybeTitle:      "Måske en af disse?",
	yourQuestion:    "Dit spørgsmål",
	askEditors:      "Send spørgsmålet anonymt til redaktionen",
	askEditorsNote: "Trykker du på knappen, får redaktionen spørgsmålet uden dit navn, så de kan skrive et bedre svar. " +
		"Telefonnumre, mails og links fjernes, og det slettes efter 30 dage. Ellers gemmes intet af det, du skriver.",
	editorsThanks:    "Tak! Spørgsmålet er sendt anonymt til redaktionen og slettes efter 30 dage.",
	editorsFailed:    "Spørgsmålet kunne ikke sendes lige nu, og intet er gemt. Prøv igen senere.",
	editorsNotNeeded: "Det spørgsmål kan Vejviser nu svare på – stil det igen. Intet er gemt.",
	editorsOff:       "Redaktørlageret er slået fra, så intet er gemt.",
	notEditorReport:  "Kun redaktører kan se rapporten.",
	undatedShort:     "udateret",
	confirmedBy:      "bekræftet af en redaktør %s",
	moreSources:      "+%d kilder",
	readMore:         "Læs mere",
	pickKommune:      "Vælg din kommune for at se hjælp tæt på dig",
	noText:           "Beskeden har ingen tekst, jeg kan svare på.",
	replyTo:          "Svar på beskeden",
	replySent:        "Svaret er sendt som svar på beskeden.",
	sendCardDM:       "Send krisekortet privat til personen",
	cardSent:         "Krisekortet er sendt privat til personen. Rådgiverne har fået besked, hvis det er sat op.",
	cardNotSent: "Jeg kan ikke skrive privat til personen (de tager måske ikke imod beskeder). Skriv selv til dem – " +
		"ved fare lige nu: ring 112.",
	shareNoPerm:    "Du kan ikke skrive i denne kanal, så svaret kan ikke deles her. Kopiér det gerne selv.",
	shared:         "Svaret er delt i kanalen. Du kan slette det med knappen under det.",
	deleteShared:   "Slet",
	deleteNotYours: "Kun den, der delte svaret, kan slette det.",
	deleted:        "Det delte svar er slettet.",
	feedbackAgain:  "Du har allerede givet feedback på dette svar – tak!",
	noPermissionDM: "Jeg må ikke skrive i den kanal, hvor du spurgte. Her er svaret privat:",
	entryGone:      "Det emne findes ikke længere i videnbasen.",
	readMoreRest:   "Resten står på kilden:",
}

var textsEN = &texts{
	share: "Share", person: "Talk to a person", helped: "This helped", notHelped: "Didn't help",
	sources: "Sources", reviewed: "Reviewed %s",
	servicesIn: "Help in %s", servicesRegion: "Help in the Central Denmark Region",
	footer:      "Vejviser is a bot – not a counsellor or a doctor · knowledge base %s",
	rateLimited: "You've asked a lot of questions in a short time. Please wait a minute and try again 🙂",
	tooLong:     "Your question is too long (at most %d characters). Try a shorter one – one question at a time.",
	empty:       "Hi! Write your question after mentioning me – or use /ask so that only you can see the answer.",
	sorry: "Sorry, something went wrong on my side. Please try again in a moment. To talk to a person, try " +
		"eVejledning at ug.dk or your municipality's youth guidance.",
	unknownTopic:  "I don't know that topic. Pick one from the list as you type.",
	thanks:        "Thank you for your feedback! It helps the editors improve the answers.",
	notEditor:     "Only editors can reload the knowledge base.",
	noReload:      "Reloading is not set up for this bot.",
	guildOnly:     "That command only works in a server.",
	crisisPointer: "I've sent you a private message.",
	crisisPointerNoDM: "I can't send you a private message. Use /ask to get an answer only you can see. " +
		"If you are in danger right now, call 112.",
	personTitle: "Talk to a person", personIntro: "Here you can talk to a human – for free:",
	noneTitle: "I don't have a good answer to that", unconfirmed: "not confirmed – check before you rely on it",
	shareFailed: "The answer could not be shared. Please ask again.",
	noServices:  "I have no contacts to show right now. Try eVejledning at ug.dk.",
	aboutTitle:  "About Vejviser",
	aboutText: "Vejviser answers questions about education, work, money and well-being for young people in the " +
		"Central Denmark Region – from a knowledge base that editors write and check, with sources and a date " +
		"for every answer.\n\n" +
		"**Vejviser is not** a counsellor, a doctor or an authority. It can be wrong, and it cannot help in a " +
		"crisis – then it shows you whom to call or write to.\n\n" +
		"**What Vejviser stores:** nothing of what you write – unless you press \"Send the question anonymously to the " +
		"editors\" under an answer Vejviser was not sure of. Then that one question is kept without your name for 30 days. " +
		"Otherwise the bot only counts how many questions got no sure answer and which entries helped – without knowing who.",
	aboutKBField: "Knowledge base", aboutKB: "Version %s · %d entries · %d services · %d municipalities",
	aboutReviewField: "Review", aboutReview: "Oldest %s, newest %s · %d entries due for review",
	aboutFBField: "Feedback", aboutFB: "%d helped · %d did not help",
	aboutLimitsField: "Limits", aboutLimits: "%d questions a minute per person · at most %d characters",
	crisisMoreTitle: "More help",
	evidenceFrom:    "source from",
	evidenceUndated: "the source is undated",
	supportTitle:    "Need someone to talk to?",
	maybeTitle:      "Maybe one of these?",
	yourQuestion:    "Your question",
	askEditors:      "Send the question anonymously to the editors",
	askEditorsNote: "If you press the button, the editors get the question without your name, so they can write a better " +
		"answer. Phone numbers, e-mails and links are removed, and it is deleted after 30 days. Otherwise nothing you write is kept.",
	editorsThanks:    "Thank you! The question has been sent anonymously to the editors and will be deleted after 30 days.",
	editorsFailed:    "The question could not be sent right now, and nothing was kept. Please try again later.",
	editorsNotNeeded: "Vejviser can answer that question now – please ask it again. Nothing was kept.",
	editorsOff:       "The editors' store is switched off, so nothing was kept.",
	notEditorReport:  "Only editors can see the report.",
	undatedShort:     "undated",
	confirmedBy:      "confirmed by an editor %s",
	moreSources:      "+%d sources",
	readMore:         "Read more",
	pickKommune:      "Choose your municipality to see help near you",
	noText:           "That message has no text I can answer.",
	replyTo:          "Reply to the message",
	replySent:        "The answer was posted as a reply to the message.",
	sendCardDM:       "Send the crisis card privately to the person",
	cardSent:         "The crisis card was sent privately to the person. The counsellors were told, if that is set up.",
	cardNotSent: "I can't message the person privately (they may not accept messages). Please write to them yourself – " +
		"in danger right now: call 112.",
	shareNoPerm:    "You can't post in this channel, so the answer can't be shared here. Feel free to copy it yourself.",
	shared:         "The answer was shared in the channel. You can delete it with the button under it.",
	deleteShared:   "Delete",
	deleteNotYours: "Only the person who shared the answer can delete it.",
	deleted:        "The shared answer was deleted.",
	feedbackAgain:  "You have already given feedback on this answer – thank you!",
	noPermissionDM: "I'm not allowed to post in the channel where you asked. Here is the answer privately:",
	entryGone:      "That topic is no longer in the knowledge base.",
	readMoreRest:   "The rest is on the source:",
}

// textsFor returns the texts for lang ("en" or anything else for Danish).
func textsFor(lang string) *texts {
	if lang == bot.English {
		return textsEN
	}
	return textsDA
}

// localeLang returns "en" for English Discord locales and "da" otherwise.
func localeLang(l discordgo.Locale) string {
	if strings.HasPrefix(string(l), "en") {
		return bot.English
	}
	return bot.Danish
}

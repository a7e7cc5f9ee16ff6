package discord

import "github.com/bwmarrin/discordgo"

// Command names: Danish names are the commands' own names, English ones are localizations.
// Discord sends the default (Danish) name in an interaction; the English ones are accepted too.
const (
	cmdAsk     = "spørg"
	cmdOffer   = "tilbud"
	cmdReindex = "genindlæs"
	cmdAbout   = "om"
	cmdReport  = "rapport"
	// cmdAnswerFor is the message context-menu command ("Apps" → "Svar med Vejviser").
	cmdAnswerFor = "Svar med Vejviser"

	optQuestion = "spørgsmål"
	optKommune  = "kommune"
	optTopic    = "emne"
)

// canonical maps a command or option name in either language to the internal event kind.
var canonical = map[string]string{
	cmdAsk: "ask", "ask": "ask",
	cmdOffer: "offer", "offer": "offer",
	cmdReindex: "reindex", "reindex": "reindex",
	cmdAbout: "about", "about": "about",
	cmdReport: "report", "report": "report",
	cmdAnswerFor: "answerfor", "Answer with Vejviser": "answerfor",
	optQuestion: "question", "question": "question",
	optKommune: "kommune", "municipality": "kommune",
	optTopic: "topic", "topic": "topic",
}

func en(s string) map[discordgo.Locale]string {
	return map[discordgo.Locale]string{discordgo.EnglishUS: s, discordgo.EnglishGB: s}
}

func enp(s string) *map[discordgo.Locale]string { m := en(s); return &m }

// commands returns the slash commands registered at start-up; maxLen is the longest question.
func commands(maxLen int) []*discordgo.ApplicationCommand {
	guildAndDM := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	guildOnly := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	manageGuild := int64(discordgo.PermissionManageGuild)
	one := 1
	kommune := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: optKommune, NameLocalizations: en("municipality"),
		Description:              "Din kommune, så du får hjælp tæt på dig",
		DescriptionLocalizations: en("Your municipality, for help near you"),
		Autocomplete:             true, MaxLength: 40,
	}
	return []*discordgo.ApplicationCommand{
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdAsk, NameLocalizations: enp("ask"),
			Description:              "Stil et spørgsmål om uddannelse, job, penge eller trivsel (kun du ser svaret)",
			DescriptionLocalizations: enp("Ask about education, work, money or well-being (only you see the answer)"),
			Contexts:                 guildAndDM,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type: discordgo.ApplicationCommandOptionString, Name: optQuestion, NameLocalizations: en("question"),
					Description:              "Dit spørgsmål – skriv ikke navne eller andre personlige oplysninger",
					DescriptionLocalizations: en("Your question – please leave out names and other personal details"),
					Required:                 true, MinLength: &one, MaxLength: maxLen,
				},
				kommune,
			},
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdOffer, NameLocalizations: enp("offer"),
			Description:              "Rådgiverens opslag: et emne og de lokale tilbud",
			DescriptionLocalizations: enp("Counsellor's lookup: a topic and its local services"),
			Contexts:                 guildAndDM,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type: discordgo.ApplicationCommandOptionString, Name: optTopic, NameLocalizations: en("topic"),
					Description: "Emnet", DescriptionLocalizations: en("The topic"),
					Required: true, Autocomplete: true, MaxLength: 100,
				},
				kommune,
			},
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdReindex, NameLocalizations: enp("reindex"),
			Description:              "Redaktører: genindlæs videnbasen",
			DescriptionLocalizations: enp("Editors: reload the knowledge base"),
			DefaultMemberPermissions: &manageGuild, Contexts: guildOnly,
			Options: []*discordgo.ApplicationCommandOption{},
		},
		{
			// A message command: Discord gives it the target message's text without the
			// Message Content intent. Description must be empty for this type.
			Type: discordgo.MessageApplicationCommand, Name: cmdAnswerFor, NameLocalizations: enp("Answer with Vejviser"),
			Contexts: guildOnly,
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdReport, NameLocalizations: enp("report"),
			Description:              "Redaktører: det, Vejviser ikke kunne svare på, feedback og forfaldne opslag",
			DescriptionLocalizations: enp("Editors: what Vejviser could not answer, feedback and entries due for review"),
			DefaultMemberPermissions: &manageGuild, Contexts: guildOnly,
			Options: []*discordgo.ApplicationCommandOption{},
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdAbout, NameLocalizations: enp("about"),
			Description:              "Hvad Vejviser er, hvad den ikke er, og hvad den gemmer",
			DescriptionLocalizations: enp("What Vejviser is, what it is not, and what it stores"),
			Contexts:                 guildAndDM,
			Options:                  []*discordgo.ApplicationCommandOption{},
		},
	}
}

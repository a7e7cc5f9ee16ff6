package discord

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// Discord's message limits, counted in UTF-16 code units (which is at least the number of
// characters Discord counts).
const (
	limitContent     = 2000
	limitTitle       = 256
	limitDescription = 4096
	limitFieldName   = 256
	limitFieldValue  = 1024
	limitFields      = 25
	limitFooter      = 2048
	limitEmbedsTotal = 6000
	limitEmbeds      = 10
	limitCustomID    = 100
	limitChoice      = 100
	limitChoices     = 25
	limitButtonLabel = 80
)

// Embed colours.
const (
	colorAnswer   = 0x2B7A78
	colorServices = 0x3AAFA9
	colorCrisis   = 0xC0392B
	colorNone     = 0x8A8A8A
	colorInfo     = 0x5865F2
)

// Custom id prefixes of the bot's buttons.
const (
	idShare    = "vv|share"
	idPerson   = "vv|person|"
	idFeedback = "vv|fb|"
	idEditors  = "vv|ed|"
)

// surface is where a rendered answer is shown; it decides the buttons.
type surface int

const (
	surfacePrivate   surface = iota // an ephemeral slash-command answer
	surfacePublic                   // a reply to a mention in a channel
	surfaceDM                       // a reply in a direct message
	surfaceAnswerFor                // a counsellor's private preview of an answer to someone else
	surfaceShared                   // a copy shared in the channel
)

// rendered is a message ready to send: content, embeds and components within Discord's limits.
type rendered struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
}

// noMentions is the allowed-mentions value set on every message: nothing pings.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// ulen is s's length in UTF-16 code units.
func ulen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// clip shortens s to at most max UTF-16 units, cutting at a word boundary when one is near
// and adding "…".
func clip(s string, max int) string {
	if ulen(s) <= max {
		return s
	}
	if max <= 1 {
		return ""
	}
	var b strings.Builder
	n := 0
	lastSpace := -1
	for _, r := range s {
		w := utf16.RuneLen(r)
		if n+w > max-1 {
			break
		}
		if unicode.IsSpace(r) {
			lastSpace = b.Len()
		}
		b.WriteRune(r)
		n += w
	}
	out := b.String()
	if lastSpace > len(out)*3/4 {
		out = out[:lastSpace]
	}
	return strings.TrimRightFunc(out, unicode.IsSpace) + "…"
}

// embedSize is what Discord counts towards the 6000-character total of a message's embeds.
func embedSize(e *discordgo.MessageEmbed) int {
	n := ulen(e.Title) + ulen(e.Description)
	if e.Footer != nil {
		n += ulen(e.Footer.Text)
	}
	if e.Author != nil {
		n += ulen(e.Author.Name)
	}
	for _, f := range e.Fields {
		n += ulen(f.Name) + ulen(f.Value)
	}
	return n
}

// fit makes embeds obey every per-field limit and the totals: at most 10 embeds, 25 fields
// each, and 6000 characters in all (by shortening the longest texts, then dropping fields).
func fit(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if len(embeds) > limitEmbeds {
		embeds = embeds[:limitEmbeds]
	}
	for _, e := range embeds {
		e.Title = clip(e.Title, limitTitle)
		e.Description = clip(e.Description, limitDescription)
		if e.Footer != nil {
			e.Footer.Text = clip(e.Footer.Text, limitFooter)
		}
		if e.Author != nil {
			e.Author.Name = clip(e.Author.Name, limitFieldName)
		}
		if len(e.Fields) > limitFields {
			e.Fields = e.Fields[:limitFields]
		}
		for _, f := range e.Fields {
			f.Name = clip(f.Name, limitFieldName)
			f.Value = clipFirstLine(f.Value, limitFieldValue)
			if f.Name == "" {
				f.Name = "\u200b"
			}
			if f.Value == "" {
				f.Value = "\u200b"
			}
		}
	}
	total := func() int {
		n := 0
		for _, e := range embeds {
			n += embedSize(e)
		}
		return n
	}
	for over := total() - limitEmbedsTotal; over > 0; over = total() - limitEmbedsTotal {
		// Shorten the longest text that still has room to give.
		var longest *string
		for _, e := range embeds {
			if ulen(e.Description) > 200 && (longest == nil || ulen(e.Description) > ulen(*longest)) {
				longest = &e.Description
			}
			for _, f := range e.Fields {
				if ulen(f.Value) > 200 && (longest == nil || ulen(f.Value) > ulen(*longest)) {
					longest = &f.Value
				}
			}
		}
		if longest != nil {
			if shorter := clipFirstLine(*longest, max(200, ulen(*longest)-over)); ulen(shorter) < ulen(*longest) {
				*longest = shorter
				continue
			}
		}
		// Everything is short: drop the last field of the last embed that has one.
		dropped := false
		for i := len(embeds) - 1; i >= 0 && !dropped; i-- {
			if n := len(embeds[i].Fields); n > 0 {
				embeds[i].Fields = embeds[i].Fields[:n-1]
				dropped = true
			}
		}
		if !dropped {
			embeds = embeds[:len(embeds)-1]
		}
	}
	return embeds
}

// mdEscape keeps Discord markdown in link labels from breaking the link.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("[", "(", "]", ")", "*", "∗", "_", "\\_", "`", "'", "~", "\\~", "|", "¦")

// safeURL returns u when it is an http(s) URL fit for a markdown link, else "".
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	s := p.String()
	return urlEscaper.Replace(s)
}

// urlEscaper escapes what would end a markdown link's URL.
var urlEscaper = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20")

func link(title, u string) string {
	u = safeURL(u)
	if u == "" {
		return mdEscape(title)
	}
	if title == "" {
		title = u
	}
	return "[" + mdEscape(clip(title, 80)) + "](" + u + ")"
}

func footer(t *texts, version string) *discordgo.MessageEmbedFooter {
	return &discordgo.MessageEmbedFooter{Text: fmt.Sprintf(t.footer, version)}
}

// entryField renders an entry as a numbered citation: excerpt, source links, reviewed date.
func entryField(n int, en bot.EntryRef, t *texts, skipExcerpt bool) *discordgo.MessageEmbedField {
	var links []string
	for _, s := range en.Sources {
		if l := link(s.Title, s.URL); l != "" && safeURL(s.URL) != "" {
			switch s.Evidence {
			case "":
			case knowledge.Undated:
				l += " (" + t.undatedShort + ")"
			default:
				l += " (" + s.Evidence + ")"
			}
			links = append(links, l)
		}
	}
	if len(links) == 0 && safeURL(en.URL) != "" {
		links = append(links, link(en.Title, en.URL))
	}
	// The citation lines stay whole: sources (whole links, "+N" for the rest) and the reviewed
	// date; the excerpt on the first line takes what room is left.
	var tail []string
	if len(links) > 0 {
		tail = append(tail, t.sources+": "+citationLinks(links, limitFieldValue-300-ulen(t.sources)-2, t))
	}
	if en.Reviewed != "" {
		tail = append(tail, "_"+fmt.Sprintf(t.reviewed, en.Reviewed)+"_")
	}
	rest := strings.Join(tail, "\n")
	value := rest
	if en.Excerpt != "" && !skipExcerpt {
		room := limitFieldValue - ulen(rest) - 1
		value = clip(en.Excerpt, min(450, room))
		if rest != "" {
			value += "\n" + rest
		}
	}
	return &discordgo.MessageEmbedField{Name: fmt.Sprintf("[%d] %s", n, en.Title), Value: strings.TrimSpace(value)}
}

// servicesEmbed lists services with phone, web address and street address.
func servicesEmbed(title, intro string, svcs []bot.ServiceRef, t *texts) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: colorServices, Title: title, Description: intro}
	for _, s := range svcs {
		var v []string
		if s.Label != "" {
			v = append(v, "*"+s.Label+"*")
		}
		if s.Phone != "" {
			v = append(v, "📞 "+s.Phone)
		}
		if u := safeURL(s.URL); u != "" {
			v = append(v, "🔗 "+u)
		}
		if s.Address != "" {
			v = append(v, "📍 "+s.Address)
		}
		if s.Note != "" {
			v = append(v, clip(s.Note, 300))
		}
		switch s.Status {
		case knowledge.StatusUnconfirmed:
			v = append(v, "⚠️ "+t.unconfirmed)
		case knowledge.StatusConfirmed:
			v = append(v, "_"+fmt.Sprintf(t.confirmedBy, s.Verified)+"_")
		default:
			if s.Evidence == knowledge.Undated {
				v = append(v, "_"+t.evidenceUndated+"_")
			} else if s.Evidence != "" {
				v = append(v, "_"+t.evidenceFrom+" "+s.Evidence+"_")
			}
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: s.Name, Value: strings.Join(v, "\n")})
	}
	return e
}

func servicesTitle(kommune string, t *texts) string {
	if kommune == "" || kommune == knowledge.RegionWide {
		return t.servicesRegion
	}
	return fmt.Sprintf(t.servicesIn, kommune)
}

func button(label, id string, style discordgo.ButtonStyle) discordgo.Button {
	return discordgo.Button{Label: clip(label, limitButtonLabel), CustomID: id, Style: style}
}

// personID is the custom id of the "talk to a person" button.
func personID(lang, kommune string) string {
	id := idPerson + lang + "|" + kommune
	if len(id) > limitCustomID {
		id = idPerson + lang + "|"
	}
	return id
}

// feedbackID is the custom id of a feedback button: vv|fb|y|<lang>|id1,id2 (as many ids as fit).
func feedbackID(helped bool, lang string, entries []bot.EntryRef) string {
	yn := "n"
	if helped {
		yn = "y"
	}
	id := idFeedback + yn + "|" + lang + "|"
	for i, en := range entries {
		add := en.ID
		if i > 0 {
			add = "," + add
		}
		if len(id)+len(add) > limitCustomID {
			break
		}
		id += add
	}
	return id
}

// editorsID is the custom id of the "send to the editors" button: vv|ed|<lang>|<kommune>.
func editorsID(lang, kommune string) string {
	id := idEditors + lang + "|" + kommune
	if len(id) > limitCustomID {
		id = idEditors + lang + "|"
	}
	return id
}

// askEditors adds, to an answer the bot was not sure of, the question itself (so the button
// carries it: nothing is held on the bot's side) and the "send to the editors" button. Only
// where the asker alone sees the answer – a private answer or a DM – so that only the asker
// can give consent.
func askEditors(a bot.Answer, where surface, r *rendered) {
	if !a.AskEditors || (where != surfacePrivate && where != surfaceDM) || len(r.embeds) == 0 {
		return
	}
	t := textsFor(a.Language)
	e := r.embeds[0]
	if len(e.Fields) >= limitFields {
		return
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: t.yourQuestion,
		Value: clip(a.Question, limitFieldValue-len(t.askEditorsNote)-2) + "\n" + t.askEditorsNote})
	r.embeds = fit(r.embeds)
	r.components = append(r.components, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		button("📨 "+t.askEditors, editorsID(a.Language, a.Kommune), discordgo.SecondaryButton)}})
}

// questionFrom finds the question carried in an answer's "your question" field.
func questionFrom(m *discordgo.Message) string {
	if m == nil {
		return ""
	}
	for _, e := range m.Embeds {
		for _, f := range e.Fields {
			if f != nil && (f.Name == textsDA.yourQuestion || f.Name == textsEN.yourQuestion) {
				q, _, _ := strings.Cut(f.Value, "\n")
				return strings.TrimSpace(q)
			}
		}
	}
	return ""
}

// answerComponents returns the buttons for an answer shown on where.
func answerComponents(a bot.Answer, where surface) []discordgo.MessageComponent {
	t := textsFor(a.Language)
	var first []discordgo.MessageComponent
	if where == surfacePrivate {
		first = append(first, button(t.share, idShare, discordgo.PrimaryButton))
	}
	first = append(first, button(t.person, personID(a.Language, a.Kommune), discordgo.SecondaryButton))
	rows := []discordgo.MessageComponent{discordgo.ActionsRow{Components: first}}
	if where != surfaceShared && where != surfaceAnswerFor && len(a.Entries) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			button("👍 "+t.helped, feedbackID(true, a.Language, a.Entries), discordgo.SuccessButton),
			button("👎 "+t.notHelped, feedbackID(false, a.Language, a.Entries), discordgo.SecondaryButton),
		}})
	}
	return append(rows, followRow(a)...)
}

// renderAnswer renders an answer that is not a crisis: the entries as numbered citations, the
// local services, and the buttons for where. With no answer it says so kindly and lists the
// human routes, never an unrelated entry.
func renderAnswer(a bot.Answer, where surface) rendered {
	t := textsFor(a.Language)
	if !a.Answered {
		r := renderUnsure(a, t)
		askEditors(a, where, &r)
		return r
	}
	return renderSure(a, where, t)
}

// renderUnsure renders an answer the bot is not sure of: suggestions, or a kind "no answer",
// with the people to talk to.
func renderUnsure(a bot.Answer, t *texts) rendered {
	if len(a.Entries) > 0 {
		return renderMaybe(a, t)
	}
	e := &discordgo.MessageEmbed{Color: colorNone, Title: t.noneTitle, Description: a.Reply}
	if a.Support != "" {
		e.Description = a.Support + "\n\n" + a.Reply
	}
	embeds := []*discordgo.MessageEmbed{e}
	if len(a.Services) > 0 {
		embeds = append(embeds, servicesEmbed(servicesTitle(a.Kommune, t), "", a.Services, t))
	} else {
		e.Description += "\n\n" + t.noServices
	}
	embeds[len(embeds)-1].Footer = footer(t, a.KnowledgeVersion)
	return rendered{embeds: fit(embeds)}
}

// renderSure renders an answer the bot is sure of.
func renderSure(a bot.Answer, where surface, t *texts) rendered {
	top := a.Entries[0]
	e := &discordgo.MessageEmbed{Color: colorAnswer, Title: top.Title, URL: safeURL(top.URL), Description: clip(a.Reply, 1500)}
	if a.Support != "" {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: t.supportTitle, Value: clip(a.Support, 1024)})
	}
	for i, en := range a.Entries {
		e.Fields = append(e.Fields, entryField(i+1, en, t, i == 0 && en.Excerpt == a.Reply))
	}
	embeds := []*discordgo.MessageEmbed{e}
	if len(a.Services) > 0 {
		embeds = append(embeds, servicesEmbed(servicesTitle(a.Kommune, t), "", a.Services, t))
	}
	embeds[len(embeds)-1].Footer = footer(t, a.KnowledgeVersion)
	return rendered{embeds: fit(embeds), components: answerComponents(a, where)}
}

// crisisEmbed renders the crisis card: what to do first for the kinds of danger found, whom to
// call or write to and when, and how old the evidence for each line is.
func crisisEmbed(c *bot.CrisisCard, t *texts) *discordgo.MessageEmbed {
	desc := c.Intro
	for _, a := range c.Advice {
		desc += "\n\n" + a
	}
	e := &discordgo.MessageEmbed{Color: colorCrisis, Title: c.Title, Description: clip(desc, 1500)}
	for _, l := range c.Lines {
		var v []string
		if l.Phone != "" {
			v = append(v, "📞 **"+l.Phone+"**")
		}
		if u := safeURL(l.URL); u != "" {
			v = append(v, "🔗 "+u)
		}
		if l.When != "" {
			v = append(v, l.When)
		}
		ev := t.evidenceUndated
		if l.Evidence != "" && l.Evidence != knowledge.Undated {
			ev = t.evidenceFrom + " " + l.Evidence
		}
		v = append(v, "*"+ev+"*")
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: l.Name, Value: clip(strings.Join(v, "\n"), 1024)})
	}
	if c.Outro != "" {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "\u200b", Value: c.Outro})
	}
	return e
}

// renderCrisis renders a crisis answer: the crisis card first, then the crisis entry and the
// services, with no buttons (the card is never shared and the conversation is not prolonged).
func renderCrisis(a bot.Answer, card *bot.CrisisCard) rendered {
	t := textsFor(a.Language)
	if card == nil {
		card = a.CrisisCard
	}
	var embeds []*discordgo.MessageEmbed
	if card != nil {
		embeds = append(embeds, crisisEmbed(card, t))
	}
	if len(a.Entries) > 0 {
		e := &discordgo.MessageEmbed{Color: colorCrisis, Title: t.crisisMoreTitle}
		for i, en := range a.Entries {
			e.Fields = append(e.Fields, entryField(i+1, en, t, false))
		}
		embeds = append(embeds, e)
	}
	if len(a.Services) > 0 {
		embeds = append(embeds, servicesEmbed(servicesTitle(a.Kommune, t), "", a.Services, t))
	}
	if len(embeds) > 0 {
		embeds[len(embeds)-1].Footer = footer(t, a.KnowledgeVersion)
	}
	return rendered{embeds: fit(embeds)}
}

// renderMaybe renders entries the bot is not sure of as suggestions – titles, links and a
// line each – under a plain "not sure" and above the people to talk to.
func renderMaybe(a bot.Answer, t *texts) rendered {
	desc := a.Reply
	if a.Support != "" {
		desc = a.Support + "\n\n" + desc
	}
	e := &discordgo.MessageEmbed{Color: colorNone, Title: t.maybeTitle, Description: clip(desc, 1500)}
	for i, en := range a.Entries {
		v := clip(en.Excerpt, 300)
		if u := safeURL(en.URL); u != "" {
			v += "\n🔗 " + u
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: fmt.Sprintf("%d. %s", i+1, clip(en.Title, 200)), Value: clip(v, 1024)})
	}
	embeds := []*discordgo.MessageEmbed{e}
	if len(a.Services) > 0 {
		embeds = append(embeds, servicesEmbed(servicesTitle(a.Kommune, t), "", a.Services, t))
	}
	embeds[len(embeds)-1].Footer = footer(t, a.KnowledgeVersion)
	return rendered{embeds: fit(embeds)}
}

// renderOffer renders a counsellor's card: the entry compactly and its local services.
func renderOffer(a bot.Answer) rendered {
	t := textsFor(a.Language)
	en := a.Entries[0]
	e := &discordgo.MessageEmbed{Color: colorAnswer, Title: en.Title, URL: safeURL(en.URL), Description: clip(en.Excerpt, 1500)}
	f := entryField(1, en, t, true)
	f.Name = t.sources
	e.Fields = append(e.Fields, f)
	embeds := []*discordgo.MessageEmbed{e}
	if len(a.Services) > 0 {
		embeds = append(embeds, servicesEmbed(servicesTitle(a.Kommune, t), "", a.Services, t))
	}
	embeds[len(embeds)-1].Footer = footer(t, a.KnowledgeVersion)
	follow := followRow(a)
	a.Entries = nil // counsellors' cards carry no feedback buttons
	return rendered{embeds: fit(embeds), components: append(answerComponents(a, surfacePrivate), follow...)}
}

// renderPeople renders the human services for the "talk to a person" button.
func renderPeople(svcs []bot.ServiceRef, kommune, lang string) rendered {
	t := textsFor(lang)
	if len(svcs) == 0 {
		return rendered{content: t.noServices}
	}
	e := servicesEmbed(t.personTitle+" · "+servicesTitle(kommune, t), t.personIntro, svcs, t)
	return rendered{embeds: fit([]*discordgo.MessageEmbed{e})}
}

// renderAbout renders /om.
func renderAbout(ab bot.About, fb map[string]FeedbackCount, cfg Config, lang string) rendered {
	t := textsFor(lang)
	var helped, not int
	for _, c := range fb {
		helped += c.Helped
		not += c.NotHelped
	}
	e := &discordgo.MessageEmbed{Color: colorInfo, Title: t.aboutTitle, Description: t.aboutText,
		Fields: []*discordgo.MessageEmbedField{
			{Name: t.aboutKBField, Value: fmt.Sprintf(t.aboutKB, ab.Version, ab.Entries, ab.Services, ab.Kommuner)},
			{Name: t.aboutReviewField, Value: fmt.Sprintf(t.aboutReview, ab.OldestReview, ab.NewestReview, ab.DueForReview)},
			{Name: t.aboutFBField, Value: fmt.Sprintf(t.aboutFB, helped, not)},
			{Name: t.aboutLimitsField, Value: fmt.Sprintf(t.aboutLimits, cfg.RatePerMinute, cfg.MaxQuestionLen)},
		}}
	return rendered{embeds: fit([]*discordgo.MessageEmbed{e})}
}

// problemsOf returns the knowledge problems (errors first) carried by err, if any.
func problemsOf(err error) knowledge.Problems {
	var ps knowledge.Problems
	if errors.As(err, &ps) {
		if errs := ps.Errors(); len(errs) > 0 {
			return errs
		}
		return ps
	}
	var p knowledge.Problem
	if errors.As(err, &p) {
		return knowledge.Problems{p}
	}
	return nil
}

// reloadText reports a reload to editors: the counts, or the first errors as file:line:col.
func reloadText(r bot.ReloadReport, err error, lang string) string {
	const maxLines = 10
	en := lang == bot.English
	var b strings.Builder
	lines := func(ps knowledge.Problems) {
		b.WriteString("```\n")
		for i, p := range ps {
			if i == maxLines {
				if en {
					fmt.Fprintf(&b, "… and %d more\n", len(ps)-maxLines)
				} else {
					fmt.Fprintf(&b, "… og %d mere\n", len(ps)-maxLines)
				}
				break
			}
			b.WriteString(clip(strings.ReplaceAll(p.String(), "```", "'''"), 300) + "\n")
		}
		b.WriteString("```")
	}
	if err != nil {
		if en {
			b.WriteString("❌ The reload failed; the previous knowledge base is still answering.\n")
		} else {
			b.WriteString("❌ Genindlæsningen fejlede; den hidtidige videnbase svarer stadig.\n")
		}
		if ps := problemsOf(err); len(ps) > 0 {
			if en {
				fmt.Fprintf(&b, "%d problem(s); the first:\n", len(ps))
			} else {
				fmt.Fprintf(&b, "%d fejl; de første:\n", len(ps))
			}
			lines(ps)
		} else {
			b.WriteString("```\n" + clip(strings.ReplaceAll(err.Error(), "```", "'''"), 600) + "\n```")
		}
		return closeFence(clip(b.String(), limitContent-4))
	}
	if en {
		fmt.Fprintf(&b, "✅ Knowledge base reloaded: version %s · %d entries · %d services · %d warning(s) · %d ms",
			r.Version, r.Entries, r.Services, len(r.Warnings), r.Took.Milliseconds())
	} else {
		fmt.Fprintf(&b, "✅ Videnbasen er genindlæst: version %s · %d opslag · %d tjenester · %d advarsler · %d ms",
			r.Version, r.Entries, r.Services, len(r.Warnings), r.Took.Milliseconds())
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n")
		lines(r.Warnings)
	}
	return closeFence(clip(b.String(), limitContent-4))
}

// closeFence closes a code block left open by clipping.
func closeFence(s string) string {
	if strings.Count(s, "```")%2 == 1 {
		s += "\n```"
	}
	return s
}

// clipFirstLine shortens s to max by cutting its first line – the excerpt of a citation – and
// keeps the lines after it (source links, the reviewed date) whole. Only when they alone are
// too long is the whole text clipped.
func clipFirstLine(s string, max int) string {
	if ulen(s) <= max {
		return s
	}
	first, rest, found := strings.Cut(s, "\n")
	if !found || ulen(rest)+1+20 > max {
		return clip(s, max)
	}
	return clip(first, max-ulen(rest)-1) + "\n" + rest
}

// citationLinks joins whole source links within budget (UTF-16 units), dropping whole
// sources at the end with "+N more" – a link is never cut.
func citationLinks(links []string, budget int, t *texts) string {
	out := ""
	for i, l := range links {
		sep := ""
		if i > 0 {
			sep = " · "
		}
		more := ""
		if rest := len(links) - i - 1; rest > 0 {
			more = " · " + fmt.Sprintf(t.moreSources, rest)
		}
		if ulen(out)+ulen(sep)+ulen(l)+ulen(more) > budget {
			return out + sep + fmt.Sprintf(t.moreSources, len(links)-i)
		}
		out += sep + l
	}
	return out
}

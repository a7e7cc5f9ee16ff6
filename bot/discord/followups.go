package discord

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
)

// Follow-ups store nothing: every button and menu carries what it needs in its custom id –
// entry ids, kommune, language, a message id, or a salted hash of a user id – and the answer
// it sits on carries the rest.
const (
	idMore    = "vv|more|"    // vv|more|<lang>|<entry>: the entry's full text, privately
	idRelated = "vv|rel|"     // vv|rel|<lang>|<kommune>|<entry>: a related entry's card
	idKommune = "vv|kom|"     // vv|kom|<lang>|<entry>: kommune picker (select menu)
	idReplyTo = "vv|replyto|" // vv|replyto|<lang>|<message>: post the answer as a reply
	idDMCard  = "vv|dmcard|"  // vv|dmcard|<lang>|<user>: send the crisis card to the author
	idDelete  = "vv|del|"     // vv|del|<hash of the sharer>: delete a shared answer
)

// followRow is the row under an answer: "Læs mere" for the first entry and buttons for up to
// three of its related entries.
func followRow(a bot.Answer) []discordgo.MessageComponent {
	if len(a.Entries) == 0 {
		return nil
	}
	t := textsFor(a.Language)
	top := a.Entries[0]
	id := idMore + a.Language + "|" + top.ID
	if len(id) > limitCustomID {
		return nil
	}
	row := []discordgo.MessageComponent{button("📖 "+t.readMore, id, discordgo.SecondaryButton)}
	for _, r := range top.Related {
		if len(row) == 4 {
			break
		}
		rid := idRelated + a.Language + "|" + a.Kommune + "|" + r.ID
		if len(rid) > limitCustomID {
			rid = idRelated + a.Language + "||" + r.ID
		}
		if len(rid) > limitCustomID {
			continue
		}
		row = append(row, button(r.Title, rid, discordgo.SecondaryButton))
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// kommunePicker is a select menu of the municipalities, for an answer whose kommune is not
// known; choosing one shows the services there.
func kommunePicker(a bot.Answer, names []string) []discordgo.MessageComponent {
	if a.Kommune != "" || len(a.Entries) == 0 || len(names) == 0 {
		return nil
	}
	id := idKommune + a.Language + "|" + a.Entries[0].ID
	if len(id) > limitCustomID {
		return nil
	}
	var opts []discordgo.SelectMenuOption
	for _, n := range names {
		if len(opts) == limitChoices {
			break
		}
		opts = append(opts, discordgo.SelectMenuOption{Label: clip(n, 100), Value: clip(n, 100)})
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: id, Placeholder: textsFor(a.Language).pickKommune,
			Options: opts}}}}
}

// withPicker adds the kommune picker to a rendered answer when there is room for another row.
func (b *Bot) withPicker(r rendered, a bot.Answer) rendered {
	if len(r.components) < 5 && a.Answered {
		r.components = append(r.components, kommunePicker(a, b.engine.KommuneNames())...)
	}
	return r
}

// userHash is a salted hash of a user id, for a custom id that must recognise its user again
// without holding the id; the salt lives only in this process.
func (b *Bot) userHash(userID string) string {
	m := hmac.New(sha256.New, b.salt)
	m.Write([]byte(userID))
	return hex.EncodeToString(m.Sum(nil))[:20]
}

// splitID splits a custom id's rest into n parts ("" for missing ones).
func splitID(rest string, n int) []string {
	parts := strings.SplitN(rest, "|", n)
	for len(parts) < n {
		parts = append(parts, "")
	}
	return parts
}

func langOf(s string) string {
	if s == bot.English {
		return bot.English
	}
	return bot.Danish
}

// headingLine matches a Markdown heading, which embeds do not render.
var headingLine = regexp.MustCompile(`(?m)^#{1,6}\s+(.+)$`)

// renderEntry renders an entry's full text as embeds within Discord's limits: the body split
// at paragraphs (headings made bold), its sources whole, and, if the body is longer than a
// message can hold, a line pointing to the source for the rest.
func renderEntry(d bot.EntryDetail) rendered {
	t := textsFor(d.Language)
	body := headingLine.ReplaceAllString(d.Body, "**$1**")
	var links []string
	for _, s := range d.Sources {
		if l := link(s.Title, s.URL); safeURL(s.URL) != "" {
			links = append(links, l)
		}
	}
	cites := t.sources + ": " + citationLinks(links, 900, t) + "\n_" + fmt.Sprintf(t.reviewed, d.Reviewed) + "_"
	budget := limitEmbedsTotal - ulen(d.Title) - ulen(cites) - 200
	var chunks []string
	cur := ""
	cut := false
	for _, para := range strings.Split(body, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		if ulen(para) > 3900 {
			para = clip(para, 3900)
		}
		if budget-ulen(para)-2 < 0 {
			cut = true
			break
		}
		budget -= ulen(para) + 2
		if ulen(cur)+ulen(para)+2 > 3900 {
			chunks = append(chunks, cur)
			cur = ""
		}
		if cur != "" {
			cur += "\n\n"
		}
		cur += para
	}
	if cur != "" {
		chunks = append(chunks, cur)
	}
	if cut && len(links) > 0 {
		cites = t.readMoreRest + " " + links[0] + "\n" + cites
	}
	var embeds []*discordgo.MessageEmbed
	for i, c := range chunks {
		e := &discordgo.MessageEmbed{Color: colorAnswer, Description: c}
		if i == 0 {
			e.Title = d.Title
		}
		embeds = append(embeds, e)
	}
	if len(embeds) == 0 {
		embeds = append(embeds, &discordgo.MessageEmbed{Color: colorAnswer, Title: d.Title})
	}
	last := embeds[len(embeds)-1]
	last.Fields = append(last.Fields, &discordgo.MessageEmbedField{Name: "\u200b", Value: cites})
	return rendered{embeds: fit(embeds)}
}

// onMore shows an entry's full text privately.
func (b *Bot) onMore(ctx context.Context, r *ireply) error {
	p := splitID(strings.TrimPrefix(r.i.MessageComponentData().CustomID, idMore), 2)
	lang := langOf(p[0])
	d, ok := b.engine.Entry(p[1], lang)
	if !ok {
		return r.message(ctx, rendered{content: textsFor(lang).entryGone}, true)
	}
	b.log.Info("read more", "entry", d.ID)
	return r.message(ctx, renderEntry(d), true)
}

// onRelated shows a related entry's card with its services, privately.
func (b *Bot) onRelated(ctx context.Context, r *ireply) error {
	p := splitID(strings.TrimPrefix(r.i.MessageComponentData().CustomID, idRelated), 3)
	lang := langOf(p[0])
	a, ok := b.engine.Offer(p[2], p[1], lang)
	if !ok || len(a.Entries) == 0 {
		return r.message(ctx, rendered{content: textsFor(lang).entryGone}, true)
	}
	b.log.Info("related", "entry", a.Entries[0].ID)
	return r.message(ctx, renderOffer(a), true)
}

// onKommune redraws the services of an answer for the chosen kommune: in place on a private
// answer, as a private card under a public one.
func (b *Bot) onKommune(ctx context.Context, r *ireply) error {
	data := r.i.MessageComponentData()
	p := splitID(strings.TrimPrefix(data.CustomID, idKommune), 2)
	lang := langOf(p[0])
	if len(data.Values) == 0 {
		return nil
	}
	a, ok := b.engine.Offer(p[1], data.Values[0], lang)
	if !ok {
		return r.message(ctx, rendered{content: textsFor(lang).entryGone}, true)
	}
	b.log.Info("kommune picked", "entry", p[1])
	t := textsFor(lang)
	svc := servicesEmbed(servicesTitle(a.Kommune, t), "", a.Services, t)
	m := r.i.Message
	if m != nil && m.Flags&discordgo.MessageFlagsEphemeral != 0 && len(m.Embeds) > 0 {
		embeds := make([]*discordgo.MessageEmbed, 0, len(m.Embeds))
		replaced := false
		for _, e := range m.Embeds {
			if e.Color == colorServices && !replaced {
				svc.Footer = e.Footer
				e, replaced = svc, true
			}
			embeds = append(embeds, e)
		}
		if !replaced {
			embeds = append(embeds, svc)
		}
		return r.respond(ctx, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
			Embeds: fit(embeds), Components: nonNilC(m.Components)})
	}
	return r.message(ctx, rendered{embeds: fit([]*discordgo.MessageEmbed{svc})}, true)
}

// onAnswerFor answers the message a counsellor or moderator picked with "Svar med Vejviser":
// privately to them first, with a button that posts the answer as a reply. A crisis message
// gets the crisis card privately and a button that sends it to the author by DM – never a
// public post – and the counsellors' alert.
func (b *Bot) onAnswerFor(ctx context.Context, l *live, r *ireply) error {
	data := r.i.ApplicationCommandData()
	var target *discordgo.Message
	if data.Resolved != nil {
		target = data.Resolved.Messages[data.TargetID]
	}
	t := textsFor(r.lang)
	if target == nil {
		return r.message(ctx, rendered{content: t.noText}, true)
	}
	text := cleanQuestion(target.Content)
	if text == "" {
		return r.message(ctx, rendered{content: t.noText}, true)
	}
	var a bot.Answer
	if _, err := b.inTime(ctx, r, func(ctx context.Context) error {
		actx, cancel := context.WithTimeout(ctx, b.answerTimeout)
		defer cancel()
		var err error
		a, err = b.engine.Answer(actx, bot.Question{Text: text, Lang: r.lang})
		return err
	}); err != nil {
		return err
	}
	if a.Crisis {
		out := renderCrisis(a, nil)
		if target.Author != nil && !target.Author.Bot {
			id := idDMCard + a.Language + "|" + target.Author.ID
			out.components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				button("✉️ "+textsFor(a.Language).sendCardDM, id, discordgo.DangerButton)}}}
		}
		err := r.message(ctx, out, true)
		if err == nil && r.i.GuildID != "" {
			b.alertCounsellors(ctx, l.session(), "Svar med Vejviser",
				fmt.Sprintf("https://discord.com/channels/%s/%s/%s", r.i.GuildID, r.i.ChannelID, target.ID), true)
		}
		b.log.Info("answer for", "crisis", true)
		return err
	}
	out := renderAnswer(a, surfaceAnswerFor)
	out.components = append([]discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		button("↩️ "+textsFor(a.Language).replyTo, idReplyTo+a.Language+"|"+target.ID, discordgo.PrimaryButton)}}},
		out.components...)
	if len(out.components) > 5 {
		out.components = out.components[:5]
	}
	b.log.Info("answer for", "crisis", false, "answered", a.Answered)
	return r.message(ctx, out, true)
}

// onReplyTo posts the private answer the button sits on as a reply to the message it answers,
// then takes the button away.
func (b *Bot) onReplyTo(ctx context.Context, l *live, r *ireply) error {
	p := splitID(strings.TrimPrefix(r.i.MessageComponentData().CustomID, idReplyTo), 2)
	t := textsFor(langOf(p[0]))
	m := r.i.Message
	if m == nil || len(m.Embeds) == 0 {
		return r.message(ctx, rendered{content: t.shareFailed}, true)
	}
	if !canPost(r.i) {
		return r.message(ctx, rendered{content: t.shareNoPerm}, true)
	}
	no := false
	comps := []discordgo.MessageComponent{}
	for _, c := range withoutPrefix(m.Components, idReplyTo) {
		if row, ok := asRow(c); ok && rowHasPrefix(row, idMore) {
			comps = append(comps, c) // "Læs mere" and related entries answer privately: safe in public
		}
	}
	_, err := b.send(ctx, l.session(), "reply_for", r.i.ChannelID, &discordgo.MessageSend{Embeds: m.Embeds, Components: comps,
		Reference: &discordgo.MessageReference{MessageID: p[1], ChannelID: r.i.ChannelID, GuildID: r.i.GuildID, FailIfNotExists: &no}})
	if err != nil {
		if forbidden(err) {
			b.log.Warn("no permission to post", "op", "reply_for", "channel", r.i.ChannelID)
			return r.message(ctx, rendered{content: t.shareNoPerm}, true)
		}
		return err
	}
	return r.respond(ctx, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
		Content: t.replySent, Embeds: nonNil(m.Embeds), Components: withoutPrefix(m.Components, idReplyTo)})
}

// onDMCard sends the crisis card the button sits on to the author of the message by DM.
func (b *Bot) onDMCard(ctx context.Context, l *live, r *ireply) error {
	p := splitID(strings.TrimPrefix(r.i.MessageComponentData().CustomID, idDMCard), 2)
	t := textsFor(langOf(p[0]))
	m := r.i.Message
	if m == nil || len(m.Embeds) == 0 || p[1] == "" {
		return r.message(ctx, rendered{content: t.cardNotSent}, true)
	}
	if err := b.sendDM(ctx, l, "dm_card", p[1], &discordgo.MessageSend{Embeds: m.Embeds}); err != nil {
		b.log.Warn("crisis card not sent by DM", "error_class", errorClass(err))
		return r.message(ctx, rendered{content: t.cardNotSent}, true)
	}
	b.log.Info("crisis card sent by DM", "via", "answer_for")
	return r.respond(ctx, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
		Content: t.cardSent, Embeds: nonNil(m.Embeds), Components: []discordgo.MessageComponent{}})
}

// onDelete deletes a shared answer, when the person who shared it (or a member who may manage
// messages) presses its button.
func (b *Bot) onDelete(ctx context.Context, l *live, r *ireply) error {
	t := textsFor(r.lang)
	want := strings.TrimPrefix(r.i.MessageComponentData().CustomID, idDelete)
	manage := r.i.Member != nil && r.i.Member.Permissions&discordgo.PermissionManageMessages != 0
	if b.userHash(userID(r.i)) != want && !manage {
		return r.message(ctx, rendered{content: t.deleteNotYours}, true)
	}
	if r.i.Message == nil {
		return nil
	}
	if err := b.call(ctx, "delete_shared", func(o ...discordgo.RequestOption) error {
		return l.session().ChannelMessageDelete(r.i.ChannelID, r.i.Message.ID, o...)
	}); err != nil {
		return err
	}
	b.log.Info("shared answer deleted")
	return r.message(ctx, rendered{content: t.deleted}, true)
}

// canPost reports whether the member behind an interaction may post in its channel (Discord
// sends the member's permissions in that channel with every interaction). Outside a guild
// there is nothing to check.
func canPost(i *discordgo.Interaction) bool {
	if i.Member == nil || i.GuildID == "" {
		return true
	}
	p := i.Member.Permissions
	// discordgo v0.29 does not carry the channel's type, so a thread cannot be told from a
	// channel: either permission counts.
	return p&(discordgo.PermissionAdministrator|discordgo.PermissionSendMessages|discordgo.PermissionSendMessagesInThreads) != 0
}

// forbidden reports whether err is Discord's 403: missing access (50001) or permissions (50013).
func forbidden(err error) bool {
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) {
		return false
	}
	if rest.Response != nil && rest.Response.StatusCode == 403 {
		return true
	}
	return rest.Message != nil && (rest.Message.Code == discordgo.ErrCodeMissingAccess || rest.Message.Code == discordgo.ErrCodeMissingPermissions)
}

// rowHasPrefix reports whether a row holds a button whose custom id starts with prefix.
func rowHasPrefix(row discordgo.ActionsRow, prefix string) bool {
	for _, c := range row.Components {
		if strings.HasPrefix(customID(c), prefix) {
			return true
		}
	}
	return false
}

// feedbackWindow is how long one person's feedback on one answer is remembered (as a salted
// hash), so that it counts once.
const feedbackWindow = 24 * time.Hour

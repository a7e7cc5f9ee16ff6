package discord

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// handlerTimeout bounds one event's handling; interaction tokens live 15 minutes.
const handlerTimeout = 14 * time.Minute

// guard runs fn as one event handler: it registers with the shutdown tracker, bounds fn with
// a timeout, recovers a panic, and on a panic or an error logs the event kind and the error
// class (never a message) and apologises to the user through sorry. The bot keeps serving.
func (b *Bot) guard(l *live, event string, fn func(ctx context.Context) error, sorry func(ctx context.Context)) {
	if !l.work.enter() {
		return
	}
	defer l.work.leave()
	ctx, cancel := context.WithTimeout(l.ctx, handlerTimeout)
	defer cancel()
	start := time.Now()
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = panicError{class: fmt.Sprintf("panic:%T", p)}
			}
		}()
		return fn(ctx)
	}()
	if err == nil {
		return
	}
	if alreadyAcknowledged(err) {
		// Discord has already had an answer to this interaction (a duplicate delivery, or a
		// response that arrived although our request timed out): the user has seen an answer,
		// and an apology would only meet the same 40060. Nothing to do.
		b.log.Info("interaction already acknowledged", "event", event, "ms", time.Since(start).Milliseconds())
		return
	}
	b.log.Error("handler failed", "event", event, "error_class", errorClass(err), "ms", time.Since(start).Milliseconds())
	if sorry == nil {
		return
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("apology failed", "event", event, "error_class", fmt.Sprintf("panic:%T", p))
			}
		}()
		sctx, cancel := context.WithTimeout(l.ctx, 10*time.Second)
		defer cancel()
		sorry(sctx)
	}()
}

// alreadyAcknowledged reports whether err is Discord's 40060 "Interaction has already been
// acknowledged".
func alreadyAcknowledged(err error) bool {
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Message != nil &&
		rest.Message.Code == discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged
}

// ---------------------------------------------------------------------------------------
// Interactions

// ireply answers one interaction: first a response (or a deferral), then edits or follow-ups.
// Every payload it sends carries allowed mentions = none.
type ireply struct {
	b    *Bot
	s    *discordgo.Session
	i    *discordgo.Interaction
	lang string // from the user's locale

	mu    sync.Mutex
	state int // replyNone, replyDeferred or replyDone
}

const (
	replyNone = iota
	replyDeferred
	replyDone
)

func (r *ireply) getState() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

func (r *ireply) setState(s int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = s
}

// respond sends the interaction's first response.
func (r *ireply) respond(ctx context.Context, typ discordgo.InteractionResponseType, d *discordgo.InteractionResponseData) error {
	if d != nil && typ != discordgo.InteractionApplicationCommandAutocompleteResult {
		d.AllowedMentions = noMentions()
		d.Content = clip(d.Content, limitContent)
	}
	err := r.b.call(ctx, "interaction_respond", func(o ...discordgo.RequestOption) error {
		return r.s.InteractionRespond(r.i, &discordgo.InteractionResponse{Type: typ, Data: d}, o...)
	})
	if err == nil {
		if typ == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			r.setState(replyDeferred)
		} else {
			r.setState(replyDone)
		}
	}
	return err
}

// deferReply acknowledges the interaction with "thinking…" (type 5); the answer is edited in.
func (r *ireply) deferReply(ctx context.Context, ephemeral bool) error {
	d := &discordgo.InteractionResponseData{}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return r.respond(ctx, discordgo.InteractionResponseDeferredChannelMessageWithSource, d)
}

// message shows m: as the response, as an edit of a deferred response, or as a follow-up.
func (r *ireply) message(ctx context.Context, m rendered, ephemeral bool) error {
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	switch r.getState() {
	case replyNone:
		return r.respond(ctx, discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{
			Content: m.content, Embeds: m.embeds, Components: m.components, Flags: flags})
	case replyDeferred:
		content, embeds, comps := clip(m.content, limitContent), nonNil(m.embeds), nonNilC(m.components)
		err := r.b.call(ctx, "interaction_edit", func(o ...discordgo.RequestOption) error {
			_, err := r.s.InteractionResponseEdit(r.i, &discordgo.WebhookEdit{Content: &content, Embeds: &embeds,
				Components: &comps, AllowedMentions: noMentions()}, o...)
			return err
		})
		if err == nil {
			r.setState(replyDone)
		}
		return err
	default:
		return r.b.call(ctx, "interaction_followup", func(o ...discordgo.RequestOption) error {
			_, err := r.s.FollowupMessageCreate(r.i, true, &discordgo.WebhookParams{Content: clip(m.content, limitContent),
				Embeds: m.embeds, Components: m.components, Flags: flags, AllowedMentions: noMentions()}, o...)
			return err
		})
	}
}

func nonNil(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func nonNilC(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}

// apologise tells the user, privately, that something went wrong.
func (r *ireply) apologise(ctx context.Context) {
	if r.i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return
	}
	_ = r.message(ctx, rendered{content: textsFor(r.lang).sorry}, true)
}

// interactionKind names an interaction for logs and dispatch; it never panics.
func interactionKind(i *discordgo.Interaction) (kind string) {
	defer func() {
		if recover() != nil {
			kind = "malformed"
		}
	}()
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		if k, ok := canonical[i.ApplicationCommandData().Name]; ok {
			return k
		}
		return "command_unknown"
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete"
	case discordgo.InteractionMessageComponent:
		id := i.MessageComponentData().CustomID
		switch {
		case id == idShare:
			return "share"
		case strings.HasPrefix(id, idPerson):
			return "person"
		case strings.HasPrefix(id, idFeedback):
			return "feedback"
		case strings.HasPrefix(id, idEditors):
			return "editors"
		case strings.HasPrefix(id, idMore):
			return "more"
		case strings.HasPrefix(id, idRelated):
			return "related"
		case strings.HasPrefix(id, idKommune):
			return "kommune"
		case strings.HasPrefix(id, idReplyTo):
			return "replyto"
		case strings.HasPrefix(id, idDMCard):
			return "dmcard"
		case strings.HasPrefix(id, idDelete):
			return "delete"
		}
		return "component_unknown"
	}
	return "interaction_unknown"
}

func (b *Bot) onInteraction(l *live, i *discordgo.Interaction) {
	r := &ireply{b: b, s: l.session(), i: i, lang: localeLang(i.Locale)}
	kind := interactionKind(i)
	if !b.seen.first(i.ID, b.now()) {
		// The same INTERACTION_CREATE again (e.g. replayed after a resume): it has been
		// handled, and a second handling would cost the user a rate-limit slot and end in 40060.
		b.log.Info("duplicate delivery ignored", "kind", kind)
		return
	}
	b.guard(l, kind, func(ctx context.Context) error {
		start := time.Now()
		var err error
		switch kind {
		case "ask":
			err = b.onAsk(ctx, l, r)
		case "offer":
			err = b.onOffer(ctx, l, r)
		case "reindex":
			err = b.onReindex(ctx, l, r)
		case "about":
			err = r.message(ctx, renderAbout(b.engine.About(), b.feedback.snapshot(), b.cfg, r.lang), true)
		case "autocomplete":
			err = b.onAutocomplete(ctx, r)
		case "share":
			err = b.onShare(ctx, r)
		case "person":
			err = b.onPerson(ctx, r)
		case "feedback":
			err = b.onFeedback(ctx, r)
		case "editors":
			err = b.onEditors(ctx, r)
		case "more":
			err = b.onMore(ctx, r)
		case "related":
			err = b.onRelated(ctx, r)
		case "kommune":
			err = b.onKommune(ctx, r)
		case "answerfor":
			err = b.onAnswerFor(ctx, l, r)
		case "replyto":
			err = b.onReplyTo(ctx, l, r)
		case "dmcard":
			err = b.onDMCard(ctx, l, r)
		case "delete":
			err = b.onDelete(ctx, l, r)
		case "report":
			err = b.onReport(ctx, l, r)
		default:
			b.log.Info("interaction ignored", "kind", kind)
			return nil
		}
		if err == nil && kind != "ask" && kind != "autocomplete" {
			b.log.Info("interaction", "kind", kind, "ms", time.Since(start).Milliseconds())
		}
		return err
	}, r.apologise)
}

// userID returns the id of the user behind an interaction (a member in a guild, a user in a DM).
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// commandOptions returns a command's options by canonical name.
func commandOptions(i *discordgo.Interaction) map[string]*discordgo.ApplicationCommandInteractionDataOption {
	out := map[string]*discordgo.ApplicationCommandInteractionDataOption{}
	for _, o := range i.ApplicationCommandData().Options {
		if k, ok := canonical[o.Name]; ok {
			out[k] = o
		}
	}
	return out
}

func optString(o *discordgo.ApplicationCommandInteractionDataOption) string {
	if o == nil {
		return ""
	}
	s, _ := o.Value.(string)
	return strings.TrimSpace(s)
}

// memberKommune returns the kommune of the first of roles that kommune_roles maps (by role id,
// or by role name when the config names roles).
func (b *Bot) memberKommune(ctx context.Context, s *discordgo.Session, guildID string, roles []string) string {
	if len(b.kommune) == 0 || guildID == "" {
		return ""
	}
	for _, id := range roles {
		if k, ok := b.cfg.KommuneRoles[id]; ok {
			return k
		}
	}
	if !b.namesRoles() {
		return ""
	}
	names := b.roleNames(ctx, s, guildID)
	for _, id := range roles {
		if n, ok := names[id]; ok {
			if k, ok := b.kommune[n]; ok {
				return k
			}
		}
	}
	return ""
}

// namesRoles reports whether kommune_roles has keys that are not role ids.
func (b *Bot) namesRoles() bool {
	for k := range b.cfg.KommuneRoles {
		if !isSnowflake(k) {
			return true
		}
	}
	return false
}

func isSnowflake(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isEditor reports whether the member behind i may reindex: they have editor_role (by id or
// name), or, when no editor role is configured, Manage Server or Administrator.
func (b *Bot) isEditor(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) bool {
	if i.Member == nil || i.GuildID == "" {
		return false
	}
	role := strings.TrimSpace(b.cfg.EditorRole)
	if role == "" {
		return i.Member.Permissions&(discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0
	}
	if slices.Contains(i.Member.Roles, role) {
		return true
	}
	if isSnowflake(role) {
		return false
	}
	names := b.roleNames(ctx, s, i.GuildID)
	for _, id := range i.Member.Roles {
		if names[id] == knowledge.Fold(role) {
			return true
		}
	}
	return false
}

// inTime runs fn (which prepares and computes a reply) and, when it has not finished within
// deferAfter, defers the interaction (ephemeral "thinking…") so Discord's 3-second window is
// kept; the caller then shows the result with r.message, which edits the deferred response.
// A panic in fn is returned as a panicError.
func (b *Bot) inTime(ctx context.Context, r *ireply, fn func(ctx context.Context) error) (deferred bool, err error) {
	ch := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- panicError{class: fmt.Sprintf("panic:%T", p)}
			}
		}()
		ch <- fn(ctx)
	}()
	t := time.NewTimer(b.deferAfter)
	defer t.Stop()
	select {
	case err := <-ch:
		return false, err
	case <-t.C:
	}
	if err := r.deferReply(ctx, true); err != nil {
		return true, err
	}
	select {
	case err := <-ch:
		return true, err
	case <-ctx.Done():
		return true, ctx.Err()
	}
}

// mentionTokens are Discord mention markups and mass mentions; they are removed from
// questions (they carry other people's ids and never help an answer).
var mentionTokens = regexp.MustCompile(`<@[!&]?\d+>|<#\d+>|@everyone|@here`)

// isCrisis reports whether a question too long to answer is a crisis all the same: the length
// limit must never hide a crisis sentence. The engine's crisis check does not use the index.
func (b *Bot) isCrisis(ctx context.Context, text, lang string) bool {
	actx, cancel := context.WithTimeout(ctx, b.answerTimeout)
	defer cancel()
	a, err := b.engine.Answer(actx, bot.Question{Text: text, Lang: lang})
	return err == nil && a.Crisis
}

func cleanQuestion(text string) string {
	return strings.Join(strings.Fields(mentionTokens.ReplaceAllString(text, " ")), " ")
}

func (b *Bot) onAsk(ctx context.Context, l *live, r *ireply) error {
	start := time.Now()
	opts := commandOptions(r.i)
	text := cleanQuestion(optString(opts["question"]))
	t := textsFor(bot.DetectLanguage(text, r.lang))
	if text == "" {
		return r.message(ctx, rendered{content: t.empty}, true)
	}
	if utf8.RuneCountInString(text) > b.maxLen && !b.isCrisis(ctx, text, r.lang) {
		b.log.Info("question refused", "kind", "ask", "reason", "too_long")
		return r.message(ctx, rendered{content: fmt.Sprintf(t.tooLong, b.maxLen)}, true)
	}
	if ok, _ := b.limiter.allow(userID(r.i), b.now()); !ok {
		b.log.Info("question refused", "kind", "ask", "reason", "rate_limited")
		return r.message(ctx, rendered{content: t.rateLimited}, true)
	}
	kommune := optString(opts["kommune"])
	var a bot.Answer
	deferred, err := b.inTime(ctx, r, func(ctx context.Context) error {
		if kommune == "" && r.i.Member != nil {
			kommune = b.memberKommune(ctx, l.session(), r.i.GuildID, r.i.Member.Roles)
		}
		actx, cancel := context.WithTimeout(ctx, b.answerTimeout)
		defer cancel()
		var err error
		a, err = b.engine.Answer(actx, bot.Question{Text: text, Kommune: kommune, Lang: r.lang})
		return err
	})
	if err != nil {
		return err
	}
	if a.Crisis {
		err = r.message(ctx, renderCrisis(a, nil), true)
		if err == nil && r.i.GuildID != "" {
			b.alertCounsellors(ctx, l.session(), "/spørg", fmt.Sprintf("https://discord.com/channels/%s/%s", r.i.GuildID, r.i.ChannelID), false)
		}
	} else {
		where := surfacePrivate
		if r.i.GuildID == "" {
			where = surfaceDM // already private: nothing to share
		}
		err = r.message(ctx, b.withPicker(renderAnswer(a, where), a), true)
	}
	b.logAnswer("ask", a, deferred, start, err)
	return err
}

// logAnswer logs an answered question: kind, language, flags, the top entry id and latency.
func (b *Bot) logAnswer(kind string, a bot.Answer, deferred bool, start time.Time, err error) {
	top := ""
	if len(a.Entries) > 0 {
		top = a.Entries[0].ID
	}
	b.log.Info("answer", "kind", kind, "lang", a.Language, "answered", a.Answered, "crisis", a.Crisis,
		"top", top, "entries", len(a.Entries), "services", len(a.Services), "deferred", deferred,
		"ms", time.Since(start).Milliseconds(), "error_class", errorClass(err))
}

func (b *Bot) onOffer(ctx context.Context, l *live, r *ireply) error {
	opts := commandOptions(r.i)
	id := optString(opts["topic"])
	kommune := optString(opts["kommune"])
	var a bot.Answer
	var ok bool
	if _, err := b.inTime(ctx, r, func(ctx context.Context) error {
		if kommune == "" && r.i.Member != nil {
			kommune = b.memberKommune(ctx, l.session(), r.i.GuildID, r.i.Member.Roles)
		}
		a, ok = b.engine.Offer(id, kommune, r.lang)
		if !ok && id != "" {
			if sug := b.engine.Suggest(id, r.lang, 1); len(sug) == 1 {
				a, ok = b.engine.Offer(sug[0].ID, kommune, r.lang)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if !ok || len(a.Entries) == 0 {
		return r.message(ctx, rendered{content: textsFor(r.lang).unknownTopic}, true)
	}
	b.log.Info("offer", "entry", a.Entries[0].ID, "kommune_known", a.Kommune != "")
	return r.message(ctx, renderOffer(a), true)
}

// editorsOnly admits an editors' command: in a server, deferred privately (the role check may
// need a REST call, and the command takes a while), and only for an editor; otherwise it
// answers the member kindly with refused. ok is false when the command must stop there.
func (b *Bot) editorsOnly(ctx context.Context, l *live, r *ireply, event, refused string) (ok bool, err error) {
	if r.i.GuildID == "" {
		return false, r.message(ctx, rendered{content: textsFor(r.lang).guildOnly}, true)
	}
	if err := r.deferReply(ctx, true); err != nil {
		return false, err
	}
	if !b.isEditor(ctx, l.session(), r.i) {
		b.log.Info(event+" refused", "reason", "not_editor")
		return false, r.message(ctx, rendered{content: refused}, true)
	}
	return true, nil
}

func (b *Bot) onReindex(ctx context.Context, l *live, r *ireply) error {
	t := textsFor(r.lang)
	if ok, err := b.editorsOnly(ctx, l, r, "reindex", t.notEditor); !ok {
		return err
	}
	if b.reload == nil {
		return r.message(ctx, rendered{content: t.noReload}, true)
	}
	rep, rerr := b.reload(ctx)
	if rerr != nil {
		b.log.Warn("reindex failed", "problems", len(problemsOf(rerr)), "error_class", errorClass(rerr))
	} else {
		b.log.Info("reindex", "version", rep.Version, "entries", rep.Entries, "services", rep.Services,
			"warnings", len(rep.Warnings), "ms", rep.Took.Milliseconds())
	}
	return r.message(ctx, rendered{content: reloadText(rep, rerr, r.lang)}, true)
}

func (b *Bot) onAutocomplete(ctx context.Context, r *ireply) error {
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range r.i.ApplicationCommandData().Options {
		if o.Focused {
			focused = o
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if focused != nil {
		typed, _ := focused.Value.(string)
		switch canonical[focused.Name] {
		case "topic":
			for _, s := range b.engine.Suggest(typed, r.lang, limitChoices) {
				if len(s.ID) <= limitChoice {
					choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(s.Title, limitChoice), Value: s.ID})
				}
			}
		case "kommune":
			want := knowledge.Fold(strings.TrimSpace(typed))
			var first, rest []string
			for _, k := range b.engine.KommuneNames() {
				f := knowledge.Fold(k)
				switch {
				case strings.HasPrefix(f, want):
					first = append(first, k)
				case strings.Contains(f, want):
					rest = append(rest, k)
				}
			}
			for _, k := range append(first, rest...) {
				if len(choices) == limitChoices {
					break
				}
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(k, limitChoice), Value: clip(k, limitChoice)})
			}
		}
	}
	return r.respond(ctx, discordgo.InteractionApplicationCommandAutocompleteResult,
		&discordgo.InteractionResponseData{Choices: choices})
}

// onShare posts the private answer the button sits on publicly in the channel.
//
// Sharing is a young person's privacy step: it happens once (the button then leaves the private
// answer), only where they may post themselves, and the shared post carries a button with which
// they – and only they, or a moderator – can delete it again.
func (b *Bot) onShare(ctx context.Context, r *ireply) error {
	t := textsFor(r.lang)
	m := r.i.Message
	if m == nil || len(m.Embeds) == 0 {
		return r.message(ctx, rendered{content: t.shareFailed}, true)
	}
	if r.i.GuildID == "" {
		return r.message(ctx, rendered{content: t.guildOnly}, true)
	}
	if !canPost(r.i) {
		b.log.Info("share refused", "reason", "member_cannot_post")
		return r.message(ctx, rendered{content: t.shareNoPerm}, true)
	}
	row := []discordgo.MessageComponent{}
	if lang, kommune, ok := personButton(m.Components); ok {
		row = append(row, button(textsFor(lang).person, personID(lang, kommune), discordgo.SecondaryButton))
	}
	row = append(row, button("🗑️ "+t.deleteShared, idDelete+b.userHash(userID(r.i)), discordgo.DangerButton))
	comps := []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
	for _, c := range m.Components {
		if rr, ok := asRow(c); ok && rowHasPrefix(rr, idMore) {
			comps = append(comps, rr)
		}
	}
	// First take the button away (Discord answers this interaction once), then post.
	if err := r.respond(ctx, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
		Content: t.shared, Embeds: nonNil(m.Embeds), Components: withoutPrefix(m.Components, idShare)}); err != nil {
		return err
	}
	err := r.message(ctx, rendered{embeds: fit(m.Embeds), components: comps}, false)
	if err != nil && forbidden(err) {
		b.log.Warn("no permission to post", "op", "share", "channel", r.i.ChannelID)
		return r.message(ctx, rendered{content: t.shareNoPerm}, true)
	}
	return err
}

// personButton finds the "talk to a person" button among components and returns its
// language and kommune.
func personButton(comps []discordgo.MessageComponent) (lang, kommune string, ok bool) {
	for _, c := range comps {
		row, isRow := asRow(c)
		if !isRow {
			continue
		}
		for _, bc := range row.Components {
			if rest, found := strings.CutPrefix(customID(bc), idPerson); found {
				lang, kommune, _ = strings.Cut(rest, "|")
				return lang, kommune, true
			}
		}
	}
	return "", "", false
}

func (b *Bot) onPerson(ctx context.Context, r *ireply) error {
	rest := strings.TrimPrefix(r.i.MessageComponentData().CustomID, idPerson)
	lang, kommune, _ := strings.Cut(rest, "|")
	if lang != bot.English {
		lang = bot.Danish
	}
	return r.message(ctx, renderPeople(b.engine.HumanServices(kommune, lang), kommune, lang), true)
}

// onFeedback counts the feedback for the answer's entries (no user id) and thanks the user:
// on a private answer by replacing the feedback buttons with the thanks, elsewhere privately.
func (b *Bot) onFeedback(ctx context.Context, r *ireply) error {
	parts := strings.SplitN(strings.TrimPrefix(r.i.MessageComponentData().CustomID, idFeedback), "|", 3)
	if len(parts) != 3 {
		return nil
	}
	helped, lang := parts[0] == "y", parts[1]
	var ids []string
	for _, id := range strings.Split(parts[2], ",") {
		if id != "" {
			ids = append(ids, id)
		}
	}
	msgID := ""
	if r.i.Message != nil {
		msgID = r.i.Message.ID
	}
	if !b.feedback.first(b.userHash(userID(r.i)+"|"+msgID), b.now()) {
		return r.message(ctx, rendered{content: textsFor(lang).feedbackAgain}, true)
	}
	b.feedback.add(ids, helped)
	if err := b.engine.Feedback(ids, helped); err != nil {
		b.log.Warn("feedback not stored", "error_class", errorClass(err))
	}
	b.log.Info("feedback", "helped", helped, "entries", strings.Join(ids, ","))
	t := textsFor(lang)
	m := r.i.Message
	if m != nil && m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		return r.respond(ctx, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
			Content: t.thanks, Embeds: nonNil(m.Embeds), Components: withoutFeedback(m.Components)})
	}
	return r.message(ctx, rendered{content: t.thanks}, true)
}

// withoutFeedback returns the component rows minus the feedback buttons.
func withoutFeedback(comps []discordgo.MessageComponent) []discordgo.MessageComponent {
	return withoutPrefix(comps, idFeedback)
}

// ---------------------------------------------------------------------------------------
// Messages: @mentions in channels and direct messages.

func mentioned(m *discordgo.Message, self string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	return false
}

func stripMention(content, self string) string {
	content = strings.ReplaceAll(content, "<@"+self+">", " ")
	content = strings.ReplaceAll(content, "<@!"+self+">", " ")
	content = roleMention.ReplaceAllString(content, " ")
	return strings.TrimSpace(content)
}

// roleMention matches a role mention, which carries no words of a question.
var roleMention = regexp.MustCompile(`<@&\d+>`)

// sendDM opens (or finds) the DM channel with a user and sends msg there.
func (b *Bot) sendDM(ctx context.Context, l *live, op, userID string, msg *discordgo.MessageSend) error {
	var ch *discordgo.Channel
	err := b.call(ctx, "dm_channel", func(o ...discordgo.RequestOption) error {
		var err error
		ch, err = l.session().UserChannelCreate(userID, o...)
		return err
	})
	if err != nil {
		return err
	}
	_, err = b.send(ctx, l.session(), op, ch.ID, msg)
	return err
}

// dmAnswer sends an answer to a user by DM, after a note on why it comes there.
func (b *Bot) dmAnswer(ctx context.Context, l *live, userID string, out rendered, note string) error {
	err := b.sendDM(ctx, l, "dm_answer", userID, &discordgo.MessageSend{Content: note, Embeds: out.embeds, Components: out.components})
	if err != nil {
		b.log.Warn("answer not sent by DM either", "error_class", errorClass(err))
		return nil // nothing more can reach the asker; an apology would fail the same way
	}
	return nil
}

// send posts a message with allowed mentions = none and a bounded 429 retry.
func (b *Bot) send(ctx context.Context, s *discordgo.Session, op, channelID string, msg *discordgo.MessageSend) (*discordgo.Message, error) {
	msg.AllowedMentions = noMentions()
	msg.Content = clip(msg.Content, limitContent)
	var out *discordgo.Message
	err := b.call(ctx, op, func(o ...discordgo.RequestOption) error {
		var err error
		out, err = s.ChannelMessageSendComplex(channelID, msg, o...)
		return err
	})
	return out, err
}

func (b *Bot) onMessage(l *live, m *discordgo.Message) {
	self, _ := b.ids()
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" || m.Author.ID == self || self == "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	dm := m.GuildID == ""
	if !dm && !mentioned(m, self) && !b.mentionsBotRole(l.ctx, l.session(), m) {
		return
	}
	if !dm && len(b.cfg.MentionChannels) > 0 && !slices.Contains(b.cfg.MentionChannels, m.ChannelID) {
		b.log.Info("mention ignored", "reason", "channel_not_allowed", "channel", m.ChannelID)
		return
	}
	kind := "mention"
	if dm {
		kind = "dm"
	}
	if !b.seen.first(m.ID, b.now()) {
		// The same MESSAGE_CREATE again: a second handling would post a second reply.
		b.log.Info("duplicate delivery ignored", "kind", kind)
		return
	}
	text := cleanQuestion(stripMention(m.Content, self))
	lang := bot.DetectLanguage(text, "")
	no := false
	reply := func(ctx context.Context, op string, r rendered) error {
		_, err := b.send(ctx, l.session(), op, m.ChannelID, &discordgo.MessageSend{Content: r.content, Embeds: r.embeds,
			Components: r.components, Reference: &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID,
				GuildID: m.GuildID, FailIfNotExists: &no}})
		return err
	}
	b.guard(l, kind, func(ctx context.Context) error {
		return b.answerMessage(ctx, l, m, kind, text, lang, reply)
	}, func(ctx context.Context) {
		_ = reply(ctx, "apology", rendered{content: textsFor(lang).sorry})
	})
}

func (b *Bot) answerMessage(ctx context.Context, l *live, m *discordgo.Message, kind, text, lang string,
	reply func(context.Context, string, rendered) error) error {
	start := time.Now()
	t := textsFor(lang)
	if text == "" {
		return reply(ctx, "reply", rendered{content: t.empty})
	}
	if utf8.RuneCountInString(text) > b.maxLen && !b.isCrisis(ctx, text, lang) {
		b.log.Info("question refused", "kind", kind, "reason", "too_long")
		return reply(ctx, "reply", rendered{content: fmt.Sprintf(t.tooLong, b.maxLen)})
	}
	if ok, notify := b.limiter.allow(m.Author.ID, b.now()); !ok {
		b.log.Info("question refused", "kind", kind, "reason", "rate_limited", "notified", notify)
		if notify {
			return reply(ctx, "reply", rendered{content: t.rateLimited})
		}
		return nil
	}
	kommune := ""
	if m.Member != nil {
		kommune = b.memberKommune(ctx, l.session(), m.GuildID, m.Member.Roles)
	}
	actx, cancel := context.WithTimeout(ctx, b.answerTimeout)
	a, err := b.engine.Answer(actx, bot.Question{Text: text, Kommune: kommune})
	cancel()
	if err != nil {
		return err
	}
	switch {
	case a.Crisis && kind == "mention":
		err = b.crisisFromMention(ctx, l, m, a, reply)
	case a.Crisis:
		err = reply(ctx, "reply", renderCrisis(a, nil)) // a DM is already private
	case kind == "dm":
		err = reply(ctx, "reply", b.withPicker(renderAnswer(a, surfaceDM), a))
	default:
		out := b.withPicker(renderAnswer(a, surfacePublic), a)
		err = reply(ctx, "reply", out)
		if err != nil && forbidden(err) {
			// The bot may not post here: tell the asker privately, once, and do not retry or
			// apologise in the channel (that would fail the same way).
			b.log.Warn("no permission to post", "op", "reply", "channel", m.ChannelID)
			err = b.dmAnswer(ctx, l, m.Author.ID, out, t.noPermissionDM)
		}
	}
	b.logAnswer(kind, a, false, start, err)
	return err
}

// crisisFromMention sends the crisis card to the asker privately (a DM), posts only a short
// pointer without details in the channel, and alerts the counsellors with a link.
func (b *Bot) crisisFromMention(ctx context.Context, l *live, m *discordgo.Message, a bot.Answer,
	reply func(context.Context, string, rendered) error) error {
	t := textsFor(a.Language)
	dmErr := b.sendDM(ctx, l, "crisis_dm", m.Author.ID, &discordgo.MessageSend{Embeds: renderCrisis(a, nil).embeds})
	pointer := t.crisisPointer
	if dmErr != nil {
		b.log.Info("crisis card not sent by DM", "error_class", errorClass(dmErr))
		pointer = t.crisisPointerNoDM
	}
	err := reply(ctx, "crisis_pointer", rendered{content: pointer})
	b.alertCounsellors(ctx, l.session(), "@omtale", fmt.Sprintf("https://discord.com/channels/%s/%s/%s", m.GuildID, m.ChannelID, m.ID), true)
	return err
}

// alertCounsellors posts a crisis alert in counsellor_channel: where it happened and a link,
// never the text.
func (b *Bot) alertCounsellors(ctx context.Context, s *discordgo.Session, via, link string, isMessage bool) {
	if b.cfg.CounsellorChannel == "" {
		return
	}
	var content string
	if isMessage {
		content = "🔔 En besked til Vejviser (" + via + ") matchede kriseordene. Den unge har fået krisekortet privat, " +
			"hvis det var muligt. Beskeden: " + link
	} else {
		content = "🔔 Et spørgsmål til Vejviser (" + via + ") matchede kriseordene. Den unge har fået krisekortet privat; " +
			"svaret kan kun den unge se. Kanalen: " + link
	}
	if _, err := b.send(ctx, s, "crisis_alert", b.cfg.CounsellorChannel, &discordgo.MessageSend{Content: content}); err != nil {
		b.log.Warn("crisis alert not posted", "error_class", errorClass(err))
		return
	}
	b.log.Info("crisis alert posted")
}

// onEditors stores the question carried in an answer after its asker pressed "send to the
// editors", and replaces the button with a thank-you. The button is shown only where the asker
// alone can press it (a private answer or a DM), so pressing it is the asker's consent.
func (b *Bot) onEditors(ctx context.Context, r *ireply) error {
	rest := strings.TrimPrefix(r.i.MessageComponentData().CustomID, idEditors)
	lang, kommune, _ := strings.Cut(rest, "|")
	if lang != bot.English {
		lang = bot.Danish
	}
	t := textsFor(lang)
	m := r.i.Message
	q := questionFrom(m)
	if q == "" {
		return r.message(ctx, rendered{content: t.editorsFailed}, true)
	}
	_, err := b.engine.KeepForEditors(ctx, bot.Question{Text: q, Kommune: kommune, Lang: lang, Again: true})
	switch {
	case errors.Is(err, bot.ErrNotForEditors):
		return r.message(ctx, rendered{content: t.editorsNotNeeded}, true)
	case errors.Is(err, bot.ErrNoInsight):
		return r.message(ctx, rendered{content: t.editorsOff}, true)
	case err != nil:
		b.log.Warn("question for editors not stored", "error_class", errorClass(err))
		return r.message(ctx, rendered{content: t.editorsFailed}, true)
	}
	b.log.Info("question sent to editors", "lang", lang)
	return r.respond(ctx, discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{
		Content: t.editorsThanks, Embeds: nonNil(m.Embeds), Components: withoutPrefix(m.Components, idEditors)})
}

// onReport shows an editor the editors' report, privately.
func (b *Bot) onReport(ctx context.Context, l *live, r *ireply) error {
	if ok, err := b.editorsOnly(ctx, l, r, "report", textsFor(r.lang).notEditorReport); !ok {
		return err
	}
	text := bot.RenderReport(b.engine.EditorReport(), bot.ReportOptions{Lang: r.lang, Now: b.now(), MaxGroups: 10, MaxDue: 10})
	return r.message(ctx, rendered{embeds: reportEmbeds(text)}, true)
}

// reportEmbeds splits a plain-text report into embeds within Discord's limits, at line ends.
func reportEmbeds(text string) []*discordgo.MessageEmbed {
	var embeds []*discordgo.MessageEmbed
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			embeds = append(embeds, &discordgo.MessageEmbed{Color: colorInfo, Description: cur.String()})
			cur.Reset()
		}
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = clip(line, 1000)
		if cur.Len()+len(line)+1 > 1900 {
			flush()
		}
		cur.WriteString(line + "\n")
	}
	flush()
	return fit(embeds)
}

// withoutPrefix returns the component rows minus the buttons whose custom id starts with prefix.
func withoutPrefix(comps []discordgo.MessageComponent, prefix string) []discordgo.MessageComponent {
	out := []discordgo.MessageComponent{}
	for _, c := range comps {
		row, ok := asRow(c)
		if !ok {
			continue
		}
		var keep []discordgo.MessageComponent
		for _, bc := range row.Components {
			if !strings.HasPrefix(customID(bc), prefix) {
				keep = append(keep, bc)
			}
		}
		if len(keep) > 0 {
			out = append(out, discordgo.ActionsRow{Components: keep})
		}
	}
	return out
}

// asRow returns c as an action row: discordgo decodes a message's rows as pointers, and the
// bot builds them as values.
func asRow(c discordgo.MessageComponent) (discordgo.ActionsRow, bool) {
	switch v := c.(type) {
	case *discordgo.ActionsRow:
		return *v, v != nil
	case discordgo.ActionsRow:
		return v, true
	}
	return discordgo.ActionsRow{}, false
}

// customID returns the custom id of a button or select menu, or "".
func customID(c discordgo.MessageComponent) string {
	switch v := c.(type) {
	case *discordgo.Button:
		return v.CustomID
	case discordgo.Button:
		return v.CustomID
	case *discordgo.SelectMenu:
		return v.CustomID
	case discordgo.SelectMenu:
		return v.CustomID
	}
	return ""
}
